import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from checklists.models.items import CheckItem
from checklists.models.sectors import SupervisionSector


class JointItemList(models.Model):
    """A "一业一查" joint item list: for one industry, which department checks which items.

    The lead department organises the joint check; each participating department checks its
    own items in the same visit, so the enterprise is visited once. Retired from a date, never
    deleted.
    """

    name = models.CharField("清单名称", max_length=100, unique=True)
    industry = models.CharField("行业", max_length=100, help_text="如“危险化学品经营企业”。")
    sectors = models.ManyToManyField(
        SupervisionSector,
        verbose_name="适用行业领域",
        blank=True,
        related_name="joint_lists",
    )
    lead_department = models.ForeignKey(
        "inspectors.Department",
        verbose_name="牵头部门",
        on_delete=models.PROTECT,
        related_name="led_joint_lists",
    )
    participating_departments = models.ManyToManyField(
        "inspectors.Department",
        verbose_name="参与部门",
        related_name="joint_lists",
    )
    guidelines = models.TextField("抽查工作指引", blank=True)
    effective_from = models.DateField("生效日期")
    retired_from = models.DateField("停用日期", null=True, blank=True)
    retire_reason = models.CharField("停用原因", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "一业一查联合抽查清单"
        verbose_name_plural = "一业一查联合抽查清单"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(retired_from__isnull=True)
                | models.Q(retired_from__gte=models.F("effective_from")),
                name="jointlist_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def is_active_on(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.effective_from <= day and (self.retired_from is None or self.retired_from > day)

    @property
    def status_label(self) -> str:
        today = timezone.localdate()
        if self.effective_from > today:
            return "未生效"
        return "有效" if self.is_active_on(today) else "已停用"


class JointListItem(models.Model):
    """An item of a joint list and the department that checks it."""

    joint_list = models.ForeignKey(
        JointItemList, verbose_name="联合清单", on_delete=models.CASCADE, related_name="entries"
    )
    department = models.ForeignKey(
        "inspectors.Department", verbose_name="检查部门", on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        CheckItem, verbose_name="抽查事项", on_delete=models.PROTECT, related_name="joint_entries"
    )
    position = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = "联合清单事项"
        verbose_name_plural = "联合清单事项"
        ordering = ["joint_list", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["joint_list", "item"], name="jointitem_unique_item"),
        ]

    def __str__(self):
        return f"{self.department} · {self.item}"


def attachment_path(instance, filename: str) -> str:
    # The stored name is ours (no user-typed path); the original name is kept in the row.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    stamp = timezone.localtime().strftime("%Y/%m")
    return f"checklists/guidelines/{stamp}/{timezone.now():%Y%m%d%H%M%S%f}.{suffix}"


class JointListAttachment(models.Model):
    """A document of the work guidelines (抽查工作指引): a PDF, Word, Excel file or an image."""

    joint_list = models.ForeignKey(
        JointItemList,
        verbose_name="联合清单",
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField("附件名称", max_length=200)
    file = models.FileField("文件", upload_to=attachment_path, max_length=255)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "抽查工作指引附件"
        verbose_name_plural = "抽查工作指引附件"
        ordering = ["joint_list", "uploaded_at", "id"]

    def __str__(self):
        return self.title

    @property
    def extension(self) -> str:
        return self.original_name.rsplit(".", 1)[-1].lower() if "." in self.original_name else ""

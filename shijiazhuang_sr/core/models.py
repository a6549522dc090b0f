import uuid

from django.conf import settings
from django.db import models


class ImportBatch(models.Model):
    """An uploaded import file between its preview and its confirmation.

    The preview is a dry run; confirming runs the same file again for real, so what is saved
    is exactly what the file says at that moment, checked once more.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "已预检"
        APPLIED = "applied", "已导入"
        REJECTED = "rejected", "有错误未导入"
        DISCARDED = "discarded", "已放弃"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("导入类型", max_length=40)
    filename = models.CharField("文件名", max_length=255)
    file = models.FileField("文件", upload_to="imports/%Y/%m/", max_length=255)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices)
    report = models.JSONField("报告", default=dict)
    applied_at = models.DateTimeField("导入时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-uploaded_at"]
        indexes = [
            # The import page lists a kind's recent batches.
            models.Index(fields=["kind", "-uploaded_at"], name="importbatch_kind_idx"),
        ]

    def __str__(self):
        return f"{self.filename}（{self.get_status_display()}）"


class Notification(models.Model):
    """A message to one user inside the platform (approvals, reminders, decisions).

    Shown under the bell in the navigation bar; also e-mailed when the user has an address.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The navigation bar counts a user's unread notifications on every page.
            models.Index(fields=["user", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self):
        return self.title

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from checklists.models.sectors import SupervisionSector


class Method(models.TextChoices):
    ONSITE = "onsite", "现场检查"
    DOCUMENT = "document", "书面检查"
    ONLINE = "online", "网络监测"
    SAMPLING = "sampling", "抽样检测"
    THIRD_PARTY = "third_party", "委托专业机构"


class LegalBasisKind(models.TextChoices):
    LAW = "law", "法律"
    ADMIN_REGULATION = "admin_regulation", "行政法规"
    LOCAL_REGULATION = "local_regulation", "地方性法规"
    DEPARTMENT_RULE = "department_rule", "部门规章"
    LOCAL_RULE = "local_rule", "地方政府规章"
    NATIONAL_STANDARD = "national_standard", "国家标准"
    INDUSTRY_STANDARD = "industry_standard", "行业标准"
    LOCAL_STANDARD = "local_standard", "地方标准"
    NORMATIVE = "normative", "规范性文件"


def method_labels(codes) -> list[str]:
    labels = dict(Method.choices)
    return [labels.get(code, code) for code in codes or []]


def validate_methods(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("请至少选择一种检查方式。")
    unknown = [code for code in value if code not in Method.values]
    if unknown:
        raise ValidationError(f"未知的检查方式：{'、'.join(map(str, unknown))}。")
    if len(set(value)) != len(value):
        raise ValidationError("检查方式不能重复。")


class ItemFields(models.Model):
    """What describes an item, shared by the item and by a request to add one."""

    class Category(models.TextChoices):
        KEY = "key", "重点检查事项"
        GENERAL = "general", "一般检查事项"

    name = models.CharField("事项名称", max_length=200)
    category = models.CharField("事项类别", max_length=10, choices=Category.choices)
    # blank: an empty list reaches clean(), which says what is missing in Chinese.
    methods = models.JSONField(
        "检查方式", default=list, blank=True, validators=[validate_methods], help_text="可多选。"
    )
    ratio_percent = models.DecimalField(
        "建议抽查比例（%）",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="占该领域检查对象的百分比，如 5 表示 5%。",
    )
    frequency_per_year = models.PositiveSmallIntegerField(
        "建议抽查频次（次/年）", null=True, blank=True
    )
    frequency_note = models.CharField(
        "比例和频次说明",
        max_length=300,
        blank=True,
        help_text="如“重点检查事项不设比例上限，D 级企业 100% 覆盖”。",
    )
    annual_cap = models.PositiveSmallIntegerField(
        "每家企业年度检查上限（次）",
        null=True,
        blank=True,
        help_text="留空表示不设上限（重点检查事项通常不设上限）。",
    )
    required_expertise = models.ForeignKey(
        "inspectors.Tag",
        verbose_name="执法专长要求",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="抽取的检查组中至少一名执法人员须具备该专长。",
    )

    class Meta:
        abstract = True

    @property
    def method_labels(self) -> list[str]:
        return method_labels(self.methods)

    def clean(self):
        super().clean()
        errors = {}
        if not self.methods:
            errors["methods"] = "请至少选择一种检查方式。"
        if self.ratio_percent is not None and not 0 < self.ratio_percent <= 100:
            errors["ratio_percent"] = "抽查比例应大于 0 且不超过 100。"
        if self.frequency_per_year is not None and self.frequency_per_year < 1:
            errors["frequency_per_year"] = "抽查频次至少为 1 次/年。"
        if self.annual_cap is not None and self.annual_cap < 1:
            errors["annual_cap"] = "年度检查上限应为正整数；不设上限请留空。"
        expertise = self.required_expertise if self.required_expertise_id else None
        if expertise is not None and expertise.kind != "expertise":
            errors["required_expertise"] = "请选择“执法专长”类标签。"
        if errors:
            raise ValidationError(errors)


class SubItemFields(models.Model):
    position = models.PositiveSmallIntegerField("序号")
    content = models.TextField("检查内容及要求", max_length=1000)

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self):
        return f"{self.position}. {self.content[:40]}"


class LegalBasisFields(models.Model):
    position = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("依据类别", max_length=20, choices=LegalBasisKind.choices)
    title = models.CharField("法律法规或标准名称", max_length=200)
    article = models.CharField("条款", max_length=100, blank=True)
    excerpt = models.TextField("条文摘录", max_length=2000, blank=True)

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self):
        return f"{self.title}{self.article}"


class CheckItem(ItemFields):
    """An item of the spot-check list (抽查事项). Nothing off the list may be checked.

    Never deleted: an item is retired from a date (`retired_from`) and stays in the history,
    so that past campaigns and records keep pointing at what was checked. Every change is a
    `CheckItemVersion` with the reason for it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "未生效"
        ACTIVE = "active", "有效"
        RETIRED = "retired", "已停用"

    code = models.CharField(
        "事项编码",
        max_length=50,
        unique=True,
        help_text="与河北省“互联网+监管”平台监管事项编码一致。",
    )
    responsible_section = models.ForeignKey(
        "inspectors.Section",
        verbose_name="责任科室",
        on_delete=models.PROTECT,
        related_name="check_items",
    )
    sectors = models.ManyToManyField(
        SupervisionSector,
        verbose_name="适用行业领域",
        blank=True,
        related_name="check_items",
        help_text="不选表示适用于全部行业领域。",
    )
    effective_from = models.DateField("生效日期")
    retired_from = models.DateField("停用日期", null=True, blank=True)
    retire_reason = models.CharField("停用原因", max_length=200, blank=True)
    version = models.PositiveIntegerField("当前版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "抽查事项"
        verbose_name_plural = "抽查事项"
        ordering = ["code"]
        permissions = [("retire_checkitem", "可以停用抽查事项")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(retired_from__isnull=True)
                | models.Q(retired_from__gte=models.F("effective_from")),
                name="checkitem_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(annual_cap__isnull=True) | models.Q(annual_cap__gte=1),
                name="checkitem_cap_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(ratio_percent__isnull=True)
                | (models.Q(ratio_percent__gt=0) & models.Q(ratio_percent__lte=100)),
                name="checkitem_ratio_range",
            ),
        ]
        indexes = [
            # active_items(on=D): effective_from <= D < retired_from, for every campaign check.
            models.Index(fields=["effective_from", "retired_from"], name="checkitem_dates_idx"),
            # The staff and public lists filter by section and category.
            models.Index(fields=["responsible_section", "category"], name="checkitem_section_idx"),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def status_on(self, day: dt.date | None = None) -> str:
        day = day or timezone.localdate()
        if self.effective_from > day:
            return self.Status.PENDING
        if self.retired_from is not None and self.retired_from <= day:
            return self.Status.RETIRED
        return self.Status.ACTIVE

    @property
    def status(self) -> str:
        return self.status_on()

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    def is_active_on(self, day: dt.date) -> bool:
        return self.status_on(day) == self.Status.ACTIVE

    def clean(self):
        super().clean()
        if self.retired_from and self.effective_from and self.retired_from < self.effective_from:
            raise ValidationError({"retired_from": "停用日期不能早于生效日期。"})


class CheckSubItem(SubItemFields):
    """One line of 检查内容及要求, in order."""

    item = models.ForeignKey(
        CheckItem, verbose_name="抽查事项", on_delete=models.CASCADE, related_name="sub_items"
    )

    class Meta(SubItemFields.Meta):
        verbose_name = "检查内容及要求"
        verbose_name_plural = "检查内容及要求"
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="subitem_unique_position")
        ]


class LegalBasis(LegalBasisFields):
    """One provision an item is grounded in: a law, regulation, rule or standard clause."""

    item = models.ForeignKey(
        CheckItem, verbose_name="抽查事项", on_delete=models.CASCADE, related_name="legal_bases"
    )

    class Meta(LegalBasisFields.Meta):
        verbose_name = "检查依据"
        verbose_name_plural = "检查依据"
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="legalbasis_unique_position")
        ]


class CheckItemVersion(models.Model):
    """One version of an item: the whole item as it was after a change, and why it changed."""

    class Event(models.TextChoices):
        CREATED = "created", "新增"
        CHANGED = "changed", "修改"
        RETIRED = "retired", "停用"

    item = models.ForeignKey(
        CheckItem, verbose_name="抽查事项", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    event = models.CharField("变更类型", max_length=10, choices=Event.choices)
    snapshot = models.JSONField("事项内容", default=dict)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    reason = models.CharField("变更原因", max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="变更人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField("变更时间", default=timezone.now)

    class Meta:
        verbose_name = "抽查事项版本"
        verbose_name_plural = "抽查事项版本"
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="itemversion_unique_number")
        ]

    def __str__(self):
        return f"{self.item.code} 第{self.number}版"

"""Annual plans and campaigns (年度抽查计划, 抽查任务): what will be checked, how the draw is made.

A campaign moves 草稿 → 待审批 → 已批准 → 已公示 → 已摇号 → 检查中 → 已完成, each step a service
in `campaigns.services.plans`. Publishing freezes the draw's manifest (`models.draws.Manifest`);
after that, any change is a plan adjustment (`PlanAdjustment`) with a reason and an approval.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from campaigns.models.register import CreditGrade


class AnnualPlan(models.Model):
    """A section's plan for one year: the campaigns it intends, published as a whole."""

    class Status(models.TextChoices):
        DRAFT = "draft", "编制中"
        PUBLISHED = "published", "已公示"

    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    section = models.ForeignKey(
        "inspectors.Section", verbose_name="科室", on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField("计划名称", max_length=200)
    note = models.TextField("说明", blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Each publication (the first, and every republication after an adjustment) bumps it.
    version = models.PositiveSmallIntegerField("公示版本", default=0)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公示人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="编制人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度抽查计划"
        verbose_name_plural = "年度抽查计划"
        ordering = ["-year", "section__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["year", "section"], name="annualplan_one_per_section"),
        ]

    def __str__(self):
        return self.title


class Campaign(models.Model):
    """One spot-check task (抽查任务), single-department or a joint "一业一查" campaign."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审批"
        APPROVED = "approved", "已批准"
        PUBLISHED = "published", "已公示"
        DRAWN = "drawn", "已摇号"
        IN_PROGRESS = "in_progress", "检查中"
        COMPLETED = "completed", "已完成"

    class Kind(models.TextChoices):
        SINGLE = "single", "单部门抽查"
        JOINT = "joint", "部门联合抽查（一业一查）"

    class Stratification(models.TextChoices):
        CREDIT = "credit", "按信用风险等级分层"
        NONE = "none", "不分层"

    class KeySupervision(models.TextChoices):
        ALL = "all", "不限"
        ONLY = "only", "仅重点监管企业"
        EXCLUDE = "exclude", "不含重点监管企业"

    # Statuses in which the plan may still be edited freely (before anything was published).
    EDITABLE = (Status.DRAFT,)

    plan = models.ForeignKey(
        AnnualPlan, verbose_name="年度计划", on_delete=models.PROTECT, related_name="campaigns"
    )
    section = models.ForeignKey(
        "inspectors.Section", verbose_name="牵头科室", on_delete=models.PROTECT, related_name="+"
    )
    # The official number is given at approval, so that numbers run without gaps.
    code = models.CharField("任务编号", max_length=60, unique=True, null=True, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("年度序号", null=True, blank=True)
    title = models.CharField("任务名称", max_length=200)
    kind = models.CharField("抽查方式", max_length=16, choices=Kind.choices, default=Kind.JOINT)
    lead_department = models.ForeignKey(
        "inspectors.Department",
        verbose_name="牵头部门",
        on_delete=models.PROTECT,
        related_name="+",
    )
    participating_departments = models.ManyToManyField(
        "inspectors.Department", verbose_name="参与部门", blank=True, related_name="+"
    )
    joint_list = models.ForeignKey(
        "checklists.JointItemList",
        verbose_name="联合抽查事项清单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    items = models.ManyToManyField(
        "checklists.CheckItem", verbose_name="抽查事项", related_name="campaigns"
    )
    # --- scope: which enterprises of the register form the population ---
    scope_sectors = models.ManyToManyField(
        "checklists.SupervisionSector",
        verbose_name="行业领域",
        blank=True,
        related_name="+",
        help_text="不选表示不限行业领域。",
    )
    scope_areas = models.ManyToManyField(
        "campaigns.Area",
        verbose_name="区县",
        blank=True,
        related_name="+",
        help_text="不选表示全市。",
    )
    scope_grades = models.JSONField(
        "信用风险等级",
        default=list,
        blank=True,
        help_text="不选表示不限等级（含未评级企业）。",
    )
    scope_key_supervision = models.CharField(
        "重点监管", max_length=16, choices=KeySupervision.choices, default=KeySupervision.ALL
    )
    scope_scales = models.JSONField("企业规模", default=list, blank=True)
    # --- how enterprises and inspectors are drawn ---
    stratification = models.CharField(
        "分层方式", max_length=16, choices=Stratification.choices, default=Stratification.CREDIT
    )
    inspector_cap = models.PositiveSmallIntegerField(
        "每名执法人员任务上限",
        null=True,
        blank=True,
        help_text="不填则按“抽中户数 × 每组人数 ÷ 人员库人数”向上取整。",
    )
    lookback_months = models.PositiveSmallIntegerField(
        "轮换回避期（月）",
        default=12,
        validators=[MaxValueValidator(60)],
        help_text="在此期间检查过同一企业的执法人员不再抽派（确保每次双随机人员不同）。",
    )
    annual_cap = models.PositiveSmallIntegerField(
        "每户年度检查上限",
        null=True,
        blank=True,
        help_text="本年度已达此次数的企业不纳入抽取范围；不填表示不限。",
    )
    starts_on = models.DateField("检查开始日期")
    ends_on = models.DateField("检查结束日期")
    alternates = models.PositiveSmallIntegerField(
        "每层备选户数", default=3, validators=[MaxValueValidator(50)]
    )
    external_randomness = models.TextField(
        "外部公开随机数来源",
        blank=True,
        help_text="事先公布、摇号时尚未产生的公开数值，如“中国福利彩票快乐8第2025128期开奖号码”。"
        "不填则仅使用平台随机数（可复核、防篡改，但对本局而言并非不可预知）。",
    )
    notes = models.TextField("工作要求", blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    rejection_note = models.CharField("退回意见", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制定人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    drawn_at = models.DateTimeField("摇号时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "抽查任务"
        verbose_name_plural = "抽查任务"
        ordering = ["-year", "-sequence", "-id"]
        permissions = [
            ("view_all_campaigns", "可以查阅所有科室的抽查任务"),
            ("approve_campaign", "可以审批抽查任务和计划调整"),
            ("draw_campaign", "可以公示、组织摇号和替补"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="campaign_unique_sequence"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_dates_ordered",
                violation_error_message="检查结束日期不能早于开始日期。",
            ),
        ]
        indexes = [
            # The campaign list: a section's campaigns by status, newest first.
            models.Index(fields=["section", "status", "-id"], name="campaign_section_idx"),
            models.Index(fields=["status", "-id"], name="campaign_status_idx"),
        ]

    def __str__(self):
        return f"{self.code or '（待编号）'} {self.title}"

    @property
    def display_code(self) -> str:
        return self.code or "（审批后编号）"

    @property
    def is_joint(self) -> bool:
        return self.kind == self.Kind.JOINT


class CampaignStratum(models.Model):
    """One stratum of the population: a credit grade, the key-supervised enterprises, or all.

    Its quota is a ratio (percentage, rounded up) or a fixed count, capped by its size.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="strata")
    position = models.PositiveSmallIntegerField("顺序")
    # CreditGrade value; "" with is_key False means "all enterprises" (no stratification),
    # "-" the enterprises without a grade.
    grade = models.CharField("信用等级", max_length=1, blank=True)
    is_key = models.BooleanField("重点监管企业层", default=False)
    ratio = models.DecimalField(
        "抽查比例（%）",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    fixed_count = models.PositiveIntegerField("固定户数", null=True, blank=True)

    class Meta:
        verbose_name = "抽取分层"
        verbose_name_plural = "抽取分层"
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "position"], name="stratum_position"),
            models.CheckConstraint(
                condition=(models.Q(ratio__isnull=True) & models.Q(fixed_count__isnull=False))
                | (models.Q(ratio__isnull=False) & models.Q(fixed_count__isnull=True)),
                name="stratum_ratio_or_count",
                violation_error_message="每一层须填写抽查比例或固定户数（二选一）。",
            ),
        ]

    def __str__(self):
        return self.label

    UNGRADED = "-"

    @property
    def label(self) -> str:
        if self.is_key:
            return "重点监管企业"
        if self.grade == self.UNGRADED:
            return "未评级"
        if self.grade:
            return f"{self.grade}级（{CreditGrade(self.grade).label.split(' ', 1)[-1]}）"
        return "全部企业"

    @property
    def rule_text(self) -> str:
        if self.fixed_count is not None:
            return f"固定 {self.fixed_count} 户"
        return f"{self.ratio.normalize():f}%"


class TeamSlot(models.Model):
    """One place in every inspection team: which department and/or expertise fills it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField("顺序")
    department = models.ForeignKey(
        "inspectors.Department",
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tag = models.ForeignKey(
        "inspectors.Tag",
        verbose_name="执法领域或专长",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "检查组席位"
        verbose_name_plural = "检查组席位"
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "position"], name="slot_position"),
        ]

    def __str__(self):
        parts = [str(self.department) if self.department else "任一部门"]
        if self.tag:
            parts.append(str(self.tag))
        return " · ".join(parts)


class PlanAdjustment(models.Model):
    """A change to a published plan (计划调整): it needs a reason and an approval.

    A change of the population or the draw's rules supersedes the frozen manifest; the old one
    stays published, marked superseded with this reason, and the new one gets new randomness.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已驳回"

    campaign = models.ForeignKey(
        Campaign, verbose_name="抽查任务", on_delete=models.PROTECT, related_name="adjustments"
    )
    reason = models.TextField("调整原因")
    # The campaign's editable fields as the adjustment proposes them (form data, JSON).
    proposal = models.JSONField("调整内容", default=dict)
    changes = models.JSONField("变更对比", default=dict, help_text="字段：[原值, 新值]")
    supersedes_manifest = models.BooleanField("需重新冻结摇号方案", default=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "计划调整"
        verbose_name_plural = "计划调整"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign"],
                condition=models.Q(status="pending"),
                name="adjustment_one_pending",
                violation_error_message="该抽查任务已有待审批的计划调整。",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} 调整：{self.reason[:30]}"

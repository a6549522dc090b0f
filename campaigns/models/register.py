"""The enterprise register (检查对象名录库 / 主体库): the population every draw is made from.

- `Area`: the county-level areas of Shijiazhuang (domain.md §8) and the development zones.
- `Enterprise`: keyed by its USCC, with its current credit-risk grade (信用风险分类).
- `CreditGradeChange`: every grade an enterprise has had; the grade on a date is read from it.
- `Recusal` (回避): an inspector who must not be drawn for an enterprise.
- `CheckVisit`: one visit to an enterprise, however many departments took part (the count
  per year is the basis of the annual cap on checks).

Rules live in `campaigns.services.register` and `campaigns.selectors.register`.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from campaigns.uscc import validate_uscc


class CreditGrade(models.TextChoices):
    """信用风险分类, updated monthly from the provincial platform."""

    A = "A", "A 低风险"
    B = "B", "B 一般风险"
    C = "C", "C 较高风险"
    D = "D", "D 高风险"


# --- Name search --------------------------------------------------------------------------------
#
# Enterprise names are Chinese, and users search them by fragments of 1 to 4 characters
# ("化工", "恒达", "石家庄"). pg_trgm cannot serve that: it does not index CJK characters when the
# database's LC_CTYPE is C/POSIX, and a trigram index cannot answer a 2-character fragment. So
# each enterprise keeps `name_grams`, the set of the name's single characters and character
# pairs, as a tsvector with a GIN index (PostgreSQL). A fragment of two or more characters is
# found with the AND of its pairs, a single character with itself, and the rows are rechecked
# with a plain substring match (pairs can match out of order). The tsvector is written and
# queried with literal casts (`'石家' '家庄'`::tsvector), never through a text-search parser,
# so the database locale plays no part. On SQLite the column is plain text and searches use a
# substring match only. The services, the imports and the demo data keep the column in step
# with the name (no signals).


def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _gram_text(text: str) -> str:
    return "".join(text.lower().split())


def name_grams(name: str) -> str:
    """The tsvector literal of a name: its characters and pairs of adjacent characters.

    Imports compute it for every row, hence the fast path for names without quotes.
    """
    text = _gram_text(name)
    grams = set(text)
    grams.update(text[i : i + 2] for i in range(len(text) - 1))
    if not grams:
        return ""
    if "'" in text or "\\" in text:
        return " ".join(_lexeme(gram) for gram in sorted(grams))
    return "'" + "' '".join(sorted(grams)) + "'"


def fragment_query(fragment: str) -> str:
    """The tsquery literal that finds names containing `fragment` (to be rechecked)."""
    text = _gram_text(fragment)
    if len(text) == 1:
        return _lexeme(text)
    pairs = dict.fromkeys(text[i : i + 2] for i in range(len(text) - 1))
    return " & ".join(_lexeme(pair) for pair in pairs)


class NameGramsField(models.TextField):
    """A tsvector column on PostgreSQL, plain text elsewhere (see "Name search" above)."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


@NameGramsField.register_lookup
class GramsMatch(models.Lookup):
    """`name_grams__matches=fragment_query(...)`: the tsquery match (PostgreSQL only)."""

    lookup_name = "matches"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ ({rhs})::tsquery", [*lhs_params, *rhs_params]


# --- Industry codes (GB/T 4754-2017) ------------------------------------------------------------

# The section letter (门类) of each two-digit division (大类) of GB/T 4754-2017.
_SECTION_OF_DIVISION = [
    ("A", 1, 5),
    ("B", 6, 12),
    ("C", 13, 43),
    ("D", 44, 46),
    ("E", 47, 50),
    ("F", 51, 52),
    ("G", 53, 60),
    ("H", 61, 62),
    ("I", 63, 65),
    ("J", 66, 69),
    ("K", 70, 70),
    ("L", 71, 72),
    ("M", 73, 75),
    ("N", 76, 79),
    ("O", 80, 82),
    ("P", 83, 83),
    ("Q", 84, 85),
    ("R", 86, 90),
    ("S", 91, 96),
    ("T", 97, 97),
]
_INDUSTRY_CODE = re.compile(r"([A-T])?(\d{2,4})?")


def _section_letter(division: int) -> str | None:
    return next(
        (letter for letter, low, high in _SECTION_OF_DIVISION if low <= division <= high), None
    )


def normalize_industry_code(text: str | None) -> str:
    """Tidy an industry code: "2614", "c2614", " C 2614 " → "C2614"; "C" stays "C".

    The section letter is added from the division; invalid text is returned without spaces.
    """
    value = re.sub(r"\s+", "", text or "").upper()
    match = _INDUSTRY_CODE.fullmatch(value)
    if not value or match is None or not match.group(2):
        return value
    letter = _section_letter(int(match.group(2)[:2]))
    return (letter or "") + match.group(2) if not match.group(1) else value


def validate_industry_code(value: str) -> None:
    """A GB/T 4754-2017 code: a section letter, a division, group or class (C, C26, C261, C2614)."""
    match = _INDUSTRY_CODE.fullmatch(value or "")
    if not value or match is None or len(match.group(2) or "") == 1:
        raise ValidationError(
            "国民经济行业代码格式不正确，应为门类字母加 2～4 位数字，如 C2614 或 2614。",
            code="invalid_industry_code",
        )
    if match.group(2):
        letter = _section_letter(int(match.group(2)[:2]))
        if letter is None:
            raise ValidationError(
                f"国民经济行业代码中没有“{match.group(2)[:2]}”大类。", code="invalid_industry_code"
            )
        if match.group(1) and match.group(1) != letter:
            raise ValidationError(
                f"行业大类 {match.group(2)[:2]} 属于门类 {letter}，而不是 {match.group(1)}。",
                code="invalid_industry_code",
            )


# --- Models -------------------------------------------------------------------------------------


class Area(models.Model):
    """A county-level area of Shijiazhuang, or a development zone the bureau treats as one.

    Seeded by a data migration with the 22 codes of domain.md §8 and the two zones.
    """

    class Kind(models.TextChoices):
        DISTRICT = "district", "市辖区"
        COUNTY = "county", "县"
        CITY = "city", "县级市"
        ZONE = "zone", "开发区（园区）"

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "区县"
        verbose_name_plural = "区县"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Enterprise(models.Model):
    """An enterprise of the register (检查对象), keyed by its USCC. Never deleted: one that
    closes or moves away keeps its record with status 注销 / 吊销 / 迁出."""

    class Scale(models.TextChoices):
        ABOVE = "above", "规上"
        BELOW = "below", "规下"

    class Standardisation(models.TextChoices):
        # 安全生产标准化等级
        LEVEL_1 = "1", "一级"
        LEVEL_2 = "2", "二级"
        LEVEL_3 = "3", "三级"
        NONE = "none", "无"

    class Status(models.TextChoices):
        ACTIVE = "active", "在业"
        SUSPENDED = "suspended", "停业"
        CANCELLED = "cancelled", "注销"
        REVOKED = "revoked", "吊销"
        MOVED_OUT = "moved_out", "迁出"

    # Fields that are never published nor exported to anyone outside the bureau's staff.
    PRIVATE_FIELDS = ("contact_person", "contact_phone")

    uscc = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc]
    )
    name = models.CharField("企业名称", max_length=200)
    name_grams = NameGramsField("名称检索词", blank=True, default="", editable=False)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    address = models.CharField("注册地址", max_length=255, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name="所属区县",
        on_delete=models.PROTECT,
        related_name="enterprises",
        db_index=False,  # enterprise_area_name_idx starts with area
    )
    industry_code = models.CharField(
        "国民经济行业代码",
        max_length=5,
        blank=True,
        validators=[validate_industry_code],
        help_text="GB/T 4754-2017，如 C2614。",
    )
    supervision_sectors = models.ManyToManyField(
        "checklists.SupervisionSector",
        verbose_name="监管行业领域",
        through="EnterpriseSector",
        blank=True,
        related_name="enterprises",
    )
    scale = models.CharField("企业规模", max_length=8, choices=Scale.choices, blank=True)
    # The current grade; kept in step with the last CreditGradeChange by the services.
    credit_grade = models.CharField(
        "信用风险等级", max_length=1, choices=CreditGrade.choices, blank=True
    )
    credit_grade_date = models.DateField("等级生效日期", null=True, blank=True)
    credit_grade_source = models.CharField("等级来源", max_length=200, blank=True)
    is_key_supervision = models.BooleanField("重点监管", default=False)
    key_supervision_reason = models.CharField(
        "重点监管原因", max_length=200, blank=True, help_text="如：构成重大危险源。"
    )
    standardisation_level = models.CharField(
        "安全生产标准化等级",
        max_length=8,
        choices=Standardisation.choices,
        default=Standardisation.NONE,
    )
    status = models.CharField(
        "经营状态", max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    responsible_sections = models.ManyToManyField(
        "inspectors.Section", verbose_name="负责科室", blank=True, related_name="enterprises"
    )
    contact_person = models.CharField("联系人", max_length=50, blank=True)  # private
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)  # private
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "检查对象"
        verbose_name_plural = "检查对象"
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_key_supervision=False) | ~models.Q(key_supervision_reason=""),
                name="enterprise_key_supervision_reason",
                violation_error_message="列为重点监管的企业须填写重点监管原因。",
            ),
            # A grade always has its effective date, and a date never stands without a grade.
            models.CheckConstraint(
                condition=models.Q(credit_grade="", credit_grade_date__isnull=True)
                | (~models.Q(credit_grade="") & models.Q(credit_grade_date__isnull=False)),
                name="enterprise_grade_has_date",
                violation_error_message="信用风险等级和等级生效日期须同时填写。",
            ),
        ]
        indexes = [
            # The register list, ordered by name; its deep pages read ids from this index only.
            models.Index(fields=["name", "id"], name="enterprise_name_idx"),
            # The list filtered by area / grade / status, still ordered by name.
            models.Index(fields=["area", "name", "id"], name="enterprise_area_name_idx"),
            models.Index(fields=["credit_grade", "name", "id"], name="enterprise_grade_name_idx"),
            models.Index(fields=["status", "name", "id"], name="enterprise_status_name_idx"),
            # Counting the register, a grade or a status: tiny (deduplicated) index-only scans,
            # where the ordering indexes above hold every name. The draw counts by grade too.
            models.Index(fields=["credit_grade"], name="enterprise_grade_idx"),
            models.Index(fields=["status"], name="enterprise_status_idx"),
            # The list filtered by key supervision (about 5 % of the register); the included
            # columns let it count key enterprises of a grade, status or area from the index.
            models.Index(
                fields=["name", "id"],
                include=["credit_grade", "status", "area"],
                condition=models.Q(is_key_supervision=True),
                name="enterprise_key_name_idx",
            ),
            # The GIN index on name_grams (name search) is PostgreSQL-only and is created by
            # migration 0002_areas_and_name_search: enterprise_name_grams_gin.
        ]

    def __str__(self):
        return f"{self.name}（{self.uscc}）"

    def refresh_name_grams(self) -> None:
        """Bring the search column in step with the name (call before saving a new name)."""
        self.name_grams = name_grams(self.name)


class EnterpriseSector(models.Model):
    """An enterprise's supervision sector (the through table of Enterprise.supervision_sectors)."""

    # Both foreign keys are the first column of an index below; no separate index each.
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    sector = models.ForeignKey(
        "checklists.SupervisionSector", on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = "企业监管行业领域"
        verbose_name_plural = "企业监管行业领域"
        constraints = [
            # Also serves EXISTS (… enterprise_id = e.id AND sector_id = s) in the list filter.
            models.UniqueConstraint(
                fields=["enterprise", "sector"], name="enterprise_sector_unique"
            ),
        ]
        indexes = [
            # The sector filter when the planner starts from the sector: all its enterprises.
            models.Index(fields=["sector", "enterprise"], name="enterprise_sector_idx"),
        ]

    def __str__(self):
        return f"{self.enterprise_id}→{self.sector_id}"


class CreditGradeChange(models.Model):
    """One grade an enterprise received (the first grade too: `old_grade` is then empty).

    The grade of an enterprise on day D is the `new_grade` of its last change effective on or
    before D (`selectors.register.grade_on`).
    """

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="检查对象",
        on_delete=models.PROTECT,
        related_name="grade_changes",
        db_index=False,  # gradechange_lookup_idx starts with enterprise
    )
    old_grade = models.CharField("原等级", max_length=1, choices=CreditGrade.choices, blank=True)
    new_grade = models.CharField("新等级", max_length=1, choices=CreditGrade.choices)
    effective_date = models.DateField("生效日期")
    source = models.CharField("来源", max_length=200, help_text="导入文件名或调整依据。")
    # The import run that wrote the change (one id per file imported); empty for manual changes.
    import_run = models.UUIDField("导入批次", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "信用等级变更"
        verbose_name_plural = "信用等级变更"
        ordering = ["enterprise", "-effective_date", "-id"]
        indexes = [
            # grade_on(): the last change of an enterprise on or before a date.
            models.Index(
                fields=["enterprise", "-effective_date", "-id"], name="gradechange_lookup_idx"
            ),
            # The home page: when the last grade file was imported (manual changes excluded).
            models.Index(
                fields=["-recorded_at"],
                condition=models.Q(import_run__isnull=False),
                name="gradechange_import_idx",
            ),
        ]

    def __str__(self):
        old = self.old_grade or "未评级"
        return f"{old} → {self.new_grade}（{self.effective_date}）"


class Recusal(models.Model):
    """回避: an inspector who must not be drawn to check an enterprise, for a period.

    Inspectors declare their own; staff of 综合执法四科 record the enterprises' requests and
    approve or reject every declaration. Draws read the approved pairs valid on the day
    (`selectors.register.active_recusal_pairs`).
    """

    class Reason(models.TextChoices):
        KINSHIP = "kinship", "亲属关系"
        FORMER_EMPLOYMENT = "former_employment", "曾在该企业任职"
        OTHER_INTEREST = "other_interest", "其他利害关系"
        ENTERPRISE_REQUEST = "enterprise_request", "企业申请回避"
        SELF_REQUEST = "self_request", "本人申请回避"

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已驳回"
        WITHDRAWN = "withdrawn", "已撤销"

    # Both foreign keys start an index of Meta.indexes; no separate index each.
    inspector = models.ForeignKey(
        "inspectors.Inspector",
        verbose_name="执法人员",
        on_delete=models.PROTECT,
        related_name="recusals",
        db_index=False,
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="检查对象",
        on_delete=models.PROTECT,
        related_name="recusals",
        db_index=False,
    )
    reason = models.CharField("回避事由", max_length=24, choices=Reason.choices)
    description = models.TextField("情况说明")
    valid_from = models.DateField("有效期自")
    valid_to = models.DateField("有效期至", null=True, blank=True, help_text="不填表示长期有效。")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申报人", on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField("申报时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=500, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)
    withdraw_reason = models.CharField("撤销原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "回避登记"
        verbose_name_plural = "回避登记"
        ordering = ["-declared_at", "-id"]
        permissions = [
            ("declare_recusal", "可以申报本人回避"),
            ("approve_recusal", "可以审批回避"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="recusal_dates_ordered",
                violation_error_message="有效期至不能早于有效期自。",
            ),
            # One open declaration per pair: a second one waits for the first decision.
            models.UniqueConstraint(
                fields=["inspector", "enterprise"],
                condition=models.Q(status="pending"),
                name="recusal_one_pending_per_pair",
                violation_error_message="该执法人员与该企业已有待审核的回避登记。",
            ),
        ]
        indexes = [
            # active_recusal_pairs(): approved recusals valid on a day.
            models.Index(fields=["status", "valid_from"], name="recusal_status_from_idx"),
            # An inspector's own recusals; an enterprise's recusals on its page.
            models.Index(fields=["inspector", "status"], name="recusal_inspector_idx"),
            models.Index(fields=["enterprise", "status"], name="recusal_enterprise_idx"),
        ]

    def __str__(self):
        return f"{self.inspector.name} 回避 {self.enterprise.name}"

    def valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class CheckVisit(models.Model):
    """One check of an enterprise on one day (现场检查). A joint "一业一查" check by several
    departments is one visit with several departments: it counts once towards the annual cap."""

    class Source(models.TextChoices):
        PLATFORM = "platform", "本平台抽查"
        MANUAL = "manual", "人工登记"

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="检查对象",
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,  # checkvisit_enterprise_idx starts with enterprise
    )
    visited_on = models.DateField("检查日期")
    departments = models.ManyToManyField(
        "inspectors.Department", verbose_name="参与部门", related_name="+"
    )
    # The campaign or inspection the visit belongs to, as text until campaigns link it.
    reference = models.CharField(
        "任务或文书编号", max_length=100, blank=True, help_text="如：石应急检记〔2025〕0012号。"
    )
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    note = models.CharField("备注", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查记录"
        verbose_name_plural = "检查记录"
        ordering = ["-visited_on", "-id"]
        indexes = [
            # An enterprise's visits (its page) and its count for one year.
            models.Index(fields=["enterprise", "visited_on"], name="checkvisit_enterprise_idx"),
            # annual_check_counts() over the whole register: the visits of one year.
            models.Index(fields=["visited_on", "enterprise"], name="checkvisit_date_idx"),
        ]

    def __str__(self):
        return f"{self.enterprise.name} {self.visited_on}"

"""Forms of annual plans, campaigns, plan adjustments, draws and replacements.

The campaign form and its two row lists (strata, team slots) give a `CampaignData`; the
services validate the plan as a whole and their messages are shown on the form. The same form
feeds the live preview with whatever is valid so far (`preview_data`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone

from campaigns.models import Area, Campaign, CampaignStratum, CreditGrade, Enterprise
from campaigns.services.plans import CampaignData
from checklists.models import CheckItem, JointItemList, SupervisionSector
from checklists.selectors import active_q
from inspectors.models import Department, Section, Tag
from shijiazhuang_sr.core.forms import FilterForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UNGRADED = CampaignStratum.UNGRADED
GRADE_CHOICES = [
    *[(grade, CampaignStratum(grade=grade).label) for grade in CreditGrade.values],
    (UNGRADED, "未评级"),
]
ALL, KEY = "all", "key"
STRATUM_CHOICES = [
    ("", "请选择"),
    *GRADE_CHOICES,
    (ALL, "全部企业（不分层时）"),
    (KEY, "重点监管企业"),
]
# The default strata of a new campaign (seed: credit-differentiated ratios).
DEFAULT_STRATA = [("A", "3"), ("B", "5"), ("C", "10"), ("D", "20")]


# --- annual plans ----------------------------------------------------------------------------


class AnnualPlanForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2020, max_value=2100)
    title = forms.CharField(
        label="计划名称",
        max_length=200,
        required=False,
        help_text="不填则为“某年某科室“双随机、一公开”抽查计划”。",
    )
    note = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class PlanFilterForm(FilterForm):
    year = forms.IntegerField(label="年度", required=False, min_value=2020, max_value=2100)
    section = forms.ModelChoiceField(
        label="科室", queryset=Section.objects.none(), required=False, empty_label="全部科室"
    )

    def __init__(self, *args, sees_all: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if sees_all:
            self.fields["section"].queryset = supervising_sections()
        else:
            del self.fields["section"]


def supervising_sections():
    return Section.objects.filter(
        is_active=True, department__is_own_bureau=True, kind=Section.Kind.SUPERVISION
    ).order_by("sort_order", "name")


class CampaignFilterForm(FilterForm):
    q = forms.CharField(
        label="任务名称或编号",
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "如：危险化学品、〔2025〕3号"}),
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *Campaign.Status.choices]
    )
    year = forms.IntegerField(label="年度", required=False, min_value=2020, max_value=2100)
    section = forms.ModelChoiceField(
        label="牵头科室", queryset=Section.objects.none(), required=False, empty_label="全部科室"
    )
    pending_adjustment = forms.BooleanField(label="有待审批的计划调整", required=False)

    def __init__(self, *args, sees_all: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if sees_all:
            self.fields["section"].queryset = supervising_sections()
        else:
            del self.fields["section"]


# --- rows: strata and team slots -----------------------------------------------------------------


class RowsFormSet(forms.BaseFormSet):
    """Rows the planner adds, removes and moves in the browser (checklists/rows.js renumbers
    them). Every submitted row counts, in page order: a row is removed with its button."""

    def initial_form_count(self):
        return 0 if self.is_bound else super().initial_form_count()

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.empty_permitted = False
        form.use_required_attribute = False
        return form

    def valid_values(self) -> list[dict]:
        """The rows that are valid (the preview uses what it can)."""
        return [form.value() for form in self.forms if form.is_valid()]

    def values(self) -> list[dict]:
        return [form.value() for form in self.forms]


class StratumForm(forms.Form):
    stratum = forms.ChoiceField(
        label="分层", choices=STRATUM_CHOICES, error_messages={"required": "请选择分层。"}
    )
    ratio = forms.DecimalField(
        label="抽查比例（%）",
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    fixed_count = forms.IntegerField(
        label="或固定户数", required=False, min_value=1, max_value=1_000_000
    )

    def clean(self):
        cleaned = super().clean()
        ratio, count = cleaned.get("ratio"), cleaned.get("fixed_count")
        if "ratio" in cleaned and "fixed_count" in cleaned and (ratio is None) == (count is None):
            raise forms.ValidationError("请填写抽查比例或固定户数（二选一）。")
        return cleaned

    def value(self) -> dict:
        stratum = self.cleaned_data["stratum"]
        return {
            "grade": "" if stratum in (ALL, KEY) else stratum,
            "is_key": stratum == KEY,
            "ratio": self.cleaned_data.get("ratio"),
            "fixed_count": self.cleaned_data.get("fixed_count"),
        }


class TagChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()}：{obj.name}"


class SlotForm(forms.Form):
    department = forms.ModelChoiceField(
        label="部门", queryset=Department.objects.none(), required=False, empty_label="任一部门"
    )
    tag = TagChoiceField(
        label="执法领域或专长",
        queryset=Tag.objects.none(),
        required=False,
        empty_label="不限",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = active_departments()
        self.fields["tag"].queryset = Tag.objects.filter(is_active=True)

    def value(self) -> dict:
        return {"department": self.cleaned_data["department"], "tag": self.cleaned_data["tag"]}


StratumFormSet = forms.formset_factory(StratumForm, formset=RowsFormSet, extra=0)
SlotFormSet = forms.formset_factory(SlotForm, formset=RowsFormSet, extra=0)


def active_departments():
    return Department.objects.filter(is_active=True).order_by("sort_order", "name")


def stratum_key(stratum: dict) -> str:
    if stratum.get("is_key"):
        return KEY
    return stratum.get("grade") or ALL


def strata_formset(data=None, *, strata: list[dict] | None = None):
    if data is not None:
        return StratumFormSet(data, prefix="stratum")
    if strata is None:
        initial = [{"stratum": grade, "ratio": Decimal(ratio)} for grade, ratio in DEFAULT_STRATA]
    else:
        initial = [
            {
                "stratum": stratum_key(s),
                "ratio": None if s.get("ratio") is None else Decimal(s["ratio"]).normalize(),
                "fixed_count": s.get("fixed_count"),
            }
            for s in strata
        ]
    return StratumFormSet(prefix="stratum", initial=initial)


def slots_formset(data=None, *, slots: list[dict] | None = None, department=None):
    if data is not None:
        return SlotFormSet(data, prefix="slot")
    if slots is None:
        pk = getattr(department, "pk", None)
        initial = [{"department": pk}, {"department": pk}]
    else:
        initial = [
            {
                "department": getattr(slot.get("department"), "pk", None),
                "tag": getattr(slot.get("tag"), "pk", None),
            }
            for slot in slots
        ]
    return SlotFormSet(prefix="slot", initial=initial)


# --- the campaign ----------------------------------------------------------------------------


class CampaignForm(forms.Form):
    """Everything a planner sets; the strata and slots come from their two formsets."""

    title = forms.CharField(label="任务名称", max_length=200)
    kind = forms.ChoiceField(
        label="抽查方式",
        choices=Campaign.Kind.choices,
        initial=Campaign.Kind.JOINT,
        widget=forms.RadioSelect,
    )
    lead_department = forms.ModelChoiceField(
        label="牵头部门", queryset=Department.objects.none(), empty_label="请选择"
    )
    participating_departments = forms.ModelMultipleChoiceField(
        label="参与部门",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="部门联合抽查（一业一查）须至少选择一个牵头部门以外的部门。",
    )
    joint_list = forms.ModelChoiceField(
        label="“一业一查”联合抽查清单",
        queryset=JointItemList.objects.none(),
        required=False,
        empty_label="不使用联合清单",
        help_text="选择后自动带入该清单的牵头部门、参与部门和检查事项，可再调整。",
    )
    items = forms.ModelMultipleChoiceField(
        label="抽查事项",
        queryset=CheckItem.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一项抽查事项（清单之外无检查）。"},
    )
    scope_sectors = forms.ModelMultipleChoiceField(
        label="行业领域",
        queryset=SupervisionSector.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示不限行业领域。",
    )
    scope_areas = forms.ModelMultipleChoiceField(
        label="区县",
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示全市。",
    )
    scope_grades = forms.MultipleChoiceField(
        label="信用风险等级",
        choices=GRADE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示不限等级（含未评级企业）。",
    )
    scope_key_supervision = forms.ChoiceField(
        label="重点监管企业",
        choices=Campaign.KeySupervision.choices,
        initial=Campaign.KeySupervision.ALL,
        widget=forms.RadioSelect,
    )
    scope_scales = forms.MultipleChoiceField(
        label="企业规模",
        choices=Enterprise.Scale.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示不限规模。",
    )
    stratification = forms.ChoiceField(
        label="分层方式",
        choices=Campaign.Stratification.choices,
        initial=Campaign.Stratification.CREDIT,
        widget=forms.RadioSelect,
    )
    inspector_cap = forms.IntegerField(
        label="每名执法人员任务上限",
        required=False,
        min_value=1,
        max_value=1000,
        help_text="不填则按“抽中户数 × 每组人数 ÷ 人员库人数”向上取整。",
    )
    lookback_months = forms.IntegerField(
        label="轮换回避期（月）",
        min_value=0,
        max_value=60,
        initial=12,
        help_text="在此期间检查过同一企业的执法人员不再抽派。",
    )
    annual_cap = forms.IntegerField(
        label="每户年度检查上限",
        required=False,
        min_value=1,
        max_value=100,
        help_text="本年度已达此次数的企业不纳入抽取范围；不填表示不限。",
    )
    starts_on = forms.DateField(label="检查开始日期", widget=DATE_INPUT)
    ends_on = forms.DateField(label="检查结束日期", widget=DATE_INPUT)
    alternates = forms.IntegerField(
        label="每层备选户数",
        min_value=0,
        max_value=50,
        initial=3,
        help_text="抽中企业关停、注销等无法检查时，按顺序由本层备选企业替补。",
    )
    external_randomness = forms.CharField(
        label="外部公开随机数来源",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="事先公布、摇号时尚未产生的公开数值，每行一个，如“中国福利彩票快乐8第2025128期"
        "开奖号码”。摇号时须如实录入。不填则仅使用平台随机数（可复核、防篡改，但对本局而言"
        "并非不可预知）。",
    )
    notes = forms.CharField(
        label="工作要求",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, joint_list=None, **kwargs):
        super().__init__(*args, **kwargs)
        departments = active_departments()
        self.fields["lead_department"].queryset = departments
        self.fields["participating_departments"].queryset = departments
        today = timezone.localdate()
        current = Q(pk=joint_list.pk) if joint_list is not None else Q(pk__in=[])
        self.fields["joint_list"].queryset = (
            JointItemList.objects.filter(active_q(today) | current)
            .select_related("lead_department")
            .order_by("name")
        )
        self.fields["scope_sectors"].queryset = SupervisionSector.objects.filter(is_active=True)
        self.fields["scope_areas"].queryset = Area.objects.filter(is_active=True)

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "检查结束日期不能早于开始日期。")
        return cleaned

    def _value(self, name, default=None):
        return self.cleaned_data.get(name, default) if hasattr(self, "cleaned_data") else default

    def to_data(self, strata: list[dict], slots: list[dict]) -> CampaignData:
        """The plan as the services take it (the form must be valid)."""
        data = self.cleaned_data
        return CampaignData(
            title=data["title"],
            kind=data["kind"],
            lead_department=data["lead_department"],
            participating_departments=list(data["participating_departments"]),
            joint_list=data["joint_list"],
            items=list(data["items"]),
            scope_sectors=list(data["scope_sectors"]),
            scope_areas=list(data["scope_areas"]),
            scope_grades=list(data["scope_grades"]),
            scope_key_supervision=data["scope_key_supervision"],
            scope_scales=list(data["scope_scales"]),
            stratification=data["stratification"],
            strata=strata,
            slots=slots,
            inspector_cap=data["inspector_cap"],
            lookback_months=data["lookback_months"],
            annual_cap=data["annual_cap"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            alternates=data["alternates"],
            external_randomness=data["external_randomness"].strip(),
            notes=data["notes"],
        )

    def preview_data(self, strata: list[dict], slots: list[dict]) -> CampaignData:
        """The plan as far as it is valid, with neutral values for what is missing or wrong
        (the live preview must answer while the planner is still typing)."""
        self.is_valid()
        today = timezone.localdate()
        starts_on = self._value("starts_on") or today
        ends_on = self._value("ends_on") or starts_on
        return CampaignData(
            title=self._value("title") or "",
            kind=self._value("kind") or Campaign.Kind.JOINT,
            lead_department=self._value("lead_department"),
            participating_departments=list(self._value("participating_departments") or []),
            joint_list=self._value("joint_list"),
            items=list(self._value("items") or []),
            scope_sectors=list(self._value("scope_sectors") or []),
            scope_areas=list(self._value("scope_areas") or []),
            scope_grades=list(self._value("scope_grades") or []),
            scope_key_supervision=self._value("scope_key_supervision")
            or Campaign.KeySupervision.ALL,
            scope_scales=list(self._value("scope_scales") or []),
            stratification=self._value("stratification") or Campaign.Stratification.CREDIT,
            strata=strata,
            slots=slots,
            inspector_cap=self._value("inspector_cap"),
            lookback_months=self._value("lookback_months") or 0,
            annual_cap=self._value("annual_cap"),
            starts_on=starts_on,
            ends_on=max(ends_on, starts_on),
            alternates=self._value("alternates") or 0,
            external_randomness=(self._value("external_randomness") or "").strip(),
            notes=self._value("notes") or "",
        )


def campaign_initial(data: CampaignData) -> dict:
    """A saved plan as the form's initial values."""
    return {
        "title": data.title,
        "kind": data.kind,
        "lead_department": getattr(data.lead_department, "pk", None),
        "participating_departments": [d.pk for d in data.participating_departments],
        "joint_list": getattr(data.joint_list, "pk", None),
        "items": [item.pk for item in data.items],
        "scope_sectors": [s.pk for s in data.scope_sectors],
        "scope_areas": [a.pk for a in data.scope_areas],
        "scope_grades": data.scope_grades,
        "scope_key_supervision": data.scope_key_supervision,
        "scope_scales": data.scope_scales,
        "stratification": data.stratification,
        "inspector_cap": data.inspector_cap,
        "lookback_months": data.lookback_months,
        "annual_cap": data.annual_cap,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "alternates": data.alternates,
        "external_randomness": data.external_randomness,
        "notes": data.notes,
    }


def new_campaign_initial(*, year: int, department) -> dict:
    """A new campaign: a month of checks from today (or from 1 January of a later plan year)."""
    today = timezone.localdate()
    start = today + dt.timedelta(days=14) if year == today.year else dt.date(year, 1, 15)
    if start.year != year:
        start = today
    end = min(start + dt.timedelta(days=30), dt.date(year, 12, 31))
    return {
        "kind": Campaign.Kind.JOINT,
        "lead_department": getattr(department, "pk", None),
        "starts_on": start,
        "ends_on": end,
    }


class AdjustmentForm(CampaignForm):
    reason = forms.CharField(
        label="调整原因",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="将与调整内容一并公示。",
        error_messages={"required": "计划调整须写明调整原因。"},
    )
    redraw = forms.BooleanField(
        label="重新冻结摇号方案（使用新的随机数）",
        required=False,
        help_text="抽取范围或规则有变更时自动重新冻结；未变更规则但需要重新摇号（如上次摇号"
        "失败、检查对象已发生较大变化）时勾选。",
    )
    field_order = ["reason", "redraw"]


# --- decisions, draws, replacements ----------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(
        label="意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DrawForm(forms.Form):
    """One field per external source named in advance (one per line of the plan)."""

    def __init__(self, *args, source_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for index, name in enumerate(source_names):
            self.fields[f"source_{index}"] = forms.CharField(
                label=name,
                max_length=500,
                error_messages={"required": f"请录入“{name}”的公布数值。"},
                help_text="按公布的数值原样录入。",
            )

    def sources(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.fields]


def source_names(text: str) -> list[str]:
    """The external sources named in a plan: one per non-empty line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class ReplaceForm(forms.Form):
    reason = forms.CharField(
        label="替补原因",
        max_length=500,
        error_messages={"required": "请填写替补原因（如企业已注销、停业或不在抽查范围内）。"},
        widget=forms.TextInput(attrs={"placeholder": "如：企业已于 5 月注销"}),
    )

"""Forms of the enterprise register. Every USCC goes through `UsccField` (normalise, then the
GB 32100-2015 check); the views hand the cleaned data to one service each."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from campaigns.models import Area, CreditGrade, Enterprise, Recusal
from campaigns.selectors.register import UNRATED, enterprise_by_uscc
from campaigns.services.register import KEY_REASON_MISSING, PROFILE_FIELDS
from campaigns.uscc import normalize_uscc, validate_uscc
from checklists.models import SupervisionSector
from inspectors.models import Department, Inspector, Section
from shijiazhuang_sr.core.forms import FilterForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UsccField(forms.CharField):
    """A USCC as people type it: spaces, full-width characters and lower case are accepted."""

    default_validators = [validate_uscc]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "统一社会信用代码")
        kwargs.setdefault("max_length", 40)  # room for spaces and full-width input
        kwargs.setdefault("help_text", "18 位，可含空格或全角字符，保存时自动规范。")
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_uscc(super().to_python(value))


class EnterpriseFilterForm(FilterForm):
    q = forms.CharField(
        label="名称或统一社会信用代码",
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "如：化工、恒达、91130102…"}),
    )
    area = forms.ModelChoiceField(
        label="所属区县", queryset=Area.objects.all(), required=False, empty_label="全部区县"
    )
    sector = forms.ModelChoiceField(
        label="监管行业领域",
        queryset=SupervisionSector.objects.all(),
        required=False,
        empty_label="全部领域",
    )
    grade = forms.ChoiceField(
        label="信用风险等级",
        required=False,
        choices=[("", "全部等级"), *CreditGrade.choices, (UNRATED, "未评级")],
    )
    status = forms.ChoiceField(
        label="经营状态", required=False, choices=[("", "全部状态"), *Enterprise.Status.choices]
    )
    key_supervision = forms.BooleanField(label="仅重点监管", required=False)


class EnterpriseForm(forms.ModelForm):
    """The profile of an enterprise; on creation also its USCC and, optionally, first grade."""

    uscc = UsccField()
    supervision_sectors = forms.ModelMultipleChoiceField(
        label="监管行业领域",
        queryset=SupervisionSector.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible_sections = forms.ModelMultipleChoiceField(
        label="负责科室",
        queryset=Section.objects.filter(is_active=True, department__is_own_bureau=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    grade = forms.ChoiceField(
        label="信用风险等级",
        required=False,
        choices=[("", "暂未评级"), *CreditGrade.choices],
        help_text="以后每月通过信用风险分类导入更新。",
    )
    grade_date = forms.DateField(label="等级生效日期", required=False, widget=DATE_INPUT)
    grade_source = forms.CharField(
        label="等级来源", required=False, max_length=200, help_text="如：省平台信用风险分类结果。"
    )

    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "name",
            "legal_representative",
            "address",
            "area",
            "industry_code",
            "supervision_sectors",
            "scale",
            "is_key_supervision",
            "key_supervision_reason",
            "standardisation_level",
            "status",
            "responsible_sections",
            "contact_person",
            "contact_phone",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scale"].choices = [("", "未填写"), *Enterprise.Scale.choices]
        self.fields["contact_person"].help_text = "仅本局工作人员可见，不公开。"
        if self.instance.pk:
            # The USCC identifies the enterprise (and its history); the grade changes through
            # its own form so that every change is kept with its date and source.
            for name in ("uscc", "grade", "grade_date", "grade_source"):
                del self.fields[name]

    def validate_unique(self):
        """The service checks the USCC and says which enterprise already has it."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_key_supervision") and not cleaned.get("key_supervision_reason"):
            self.add_error("key_supervision_reason", KEY_REASON_MISSING)
        grade_details = cleaned.get("grade_date") or cleaned.get("grade_source")
        if "grade" in self.fields and not cleaned.get("grade") and grade_details:
            self.add_error("grade", "填写了等级生效日期或来源，请选择信用风险等级。")
        return cleaned

    def profile(self) -> dict:
        """The cleaned profile fields, as the services take them."""
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}


class GradeChangeForm(forms.Form):
    grade = forms.ChoiceField(label="新的信用风险等级", choices=CreditGrade.choices)
    effective_date = forms.DateField(label="生效日期", widget=DATE_INPUT)
    source = forms.CharField(
        label="等级来源或调整依据",
        max_length=200,
        help_text="如：省平台 2025 年 6 月信用风险分类结果；发生较大事故后调整。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].initial = timezone.localdate()


class _RecusalPeriodForm(forms.Form):
    description = forms.CharField(
        label="情况说明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明利害关系的具体情况，如：配偶在该企业任安全总监。",
    )
    valid_from = forms.DateField(label="有效期自", widget=DATE_INPUT)
    valid_to = forms.DateField(
        label="有效期至", required=False, widget=DATE_INPUT, help_text="不填表示长期有效。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "有效期至不能早于有效期自。")
        return cleaned


class RecusalDeclareForm(_RecusalPeriodForm):
    """An inspector declares their own conflict of interest with an enterprise."""

    enterprise = UsccField(
        label="企业统一社会信用代码",
        help_text="可在下方按企业名称查找后点击“选择”。",
    )
    reason = forms.ChoiceField(
        label="回避事由",
        choices=[
            (value, label)
            for value, label in Recusal.Reason.choices
            if value != Recusal.Reason.ENTERPRISE_REQUEST
        ],
    )
    field_order = ["enterprise", "reason", "description", "valid_from", "valid_to"]

    def clean_enterprise(self):
        enterprise = enterprise_by_uscc(self.cleaned_data["enterprise"])
        if enterprise is None:
            raise forms.ValidationError("检查对象名录库中没有该统一社会信用代码的企业。")
        return enterprise


class RecusalRecordForm(_RecusalPeriodForm):
    """Staff record a recusal for an enterprise, usually the enterprise's own request."""

    inspector = forms.ModelChoiceField(
        label="执法人员",
        queryset=Inspector.objects.order_by("name", "cert_no"),
        help_text="按姓名排序，括号内为执法证号。",
    )
    reason = forms.ChoiceField(
        label="回避事由", choices=Recusal.Reason.choices, initial=Recusal.Reason.ENTERPRISE_REQUEST
    )
    field_order = ["inspector", "reason", "description", "valid_from", "valid_to"]


class RecusalDecisionForm(forms.Form):
    note = forms.CharField(
        label="审核意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RecusalWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤销原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RecusalFilterForm(FilterForm):
    q = forms.CharField(label="人员、执法证号或企业", required=False, max_length=60)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *Recusal.Status.choices]
    )


class CheckVisitForm(forms.Form):
    visited_on = forms.DateField(label="检查日期", widget=DATE_INPUT)
    departments = forms.ModelMultipleChoiceField(
        label="参与部门",
        queryset=Department.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text="联合检查选择所有参与部门：一次检查只计一次。",
    )
    reference = forms.CharField(
        label="任务或文书编号",
        max_length=100,
        required=False,
        help_text="如：石应急检记〔2025〕0012号。同一天同一编号的记录合并为一次检查。",
    )
    note = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()

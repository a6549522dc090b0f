"""The item form, the request form, their two row lists, and the decision forms."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils import timezone

from checklists.forms.common import DATE_INPUT, BaseRowFormSet, SectionChoiceField, active_sections
from checklists.models import (
    CheckItem,
    CheckItemRequest,
    LegalBasisKind,
    Method,
    SupervisionSector,
)
from checklists.models.items import ItemFields
from checklists.specs import ItemSpec, LegalBasisSpec
from inspectors.models import Section, Tag


class ItemFieldsMixin:
    """Widgets and choices shared by the item form and the request form."""

    def setup_item_fields(self, instance=None):
        self.fields["methods"] = forms.MultipleChoiceField(
            label="检查方式",
            choices=Method.choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "请至少选择一种检查方式。"},
            initial=getattr(instance, "methods", None) or [Method.ONSITE],
        )
        sectors = SupervisionSector.objects.filter(is_active=True)
        expertise = Tag.objects.filter(kind=Tag.Kind.EXPERTISE, is_active=True)
        if instance is not None and instance.pk:
            # Keep what the item already has, even if it has been deactivated since.
            sectors = sectors | SupervisionSector.objects.filter(pk__in=instance.sectors.all())
            if instance.required_expertise_id:
                expertise = expertise | Tag.objects.filter(pk=instance.required_expertise_id)
        self.fields["sectors"].widget = forms.CheckboxSelectMultiple(
            attrs={"class": "sr-check-columns"}
        )
        self.fields["sectors"].queryset = sectors.distinct().order_by("sort_order", "name")
        self.fields["category"].choices = [("", "请选择"), *ItemFields.Category.choices]
        self.fields["required_expertise"].queryset = expertise.distinct()
        self.fields["required_expertise"].empty_label = "无特别要求"
        self.fields["ratio_percent"].widget.attrs.update({"min": "0.01", "max": "100"})


ITEM_FIELDS = [
    "code",
    "name",
    "category",
    "methods",
    "responsible_section",
    "sectors",
    "ratio_percent",
    "frequency_per_year",
    "frequency_note",
    "annual_cap",
    "required_expertise",
    "effective_from",
]


class CheckItemForm(ItemFieldsMixin, forms.ModelForm):
    """The item itself; its sub-items and legal basis are the two formsets beside it."""

    reason = forms.CharField(
        label="变更原因",
        max_length=200,
        help_text="每次修改都须说明原因，如“法律修订”“省平台事项调整”，将记入版本历史。",
    )

    class Meta:
        model = CheckItem
        fields = ITEM_FIELDS
        widgets = {"effective_from": DATE_INPUT}
        field_classes = {"responsible_section": SectionChoiceField}

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_item_fields(self.instance)
        sections = active_sections()
        if self.instance.responsible_section_id:
            # Keep the item's section selectable even if it has been deactivated since.
            sections = sections | Section.objects.filter(pk=self.instance.responsible_section_id)
        self.fields["responsible_section"].queryset = sections.distinct()
        if creating:
            self.fields["reason"].initial = "新增抽查事项"
            self.fields["reason"].help_text = "如“依据省平台监管事项清单新增”。"
            self.fields["effective_from"].initial = timezone.localdate()

    def validate_unique(self):
        # The service checks the code and says which item already holds it.
        pass

    def spec(self, sub_items: list[str], legal_bases: list[LegalBasisSpec]) -> ItemSpec:
        data = self.cleaned_data
        return ItemSpec(
            code=data["code"],
            name=data["name"],
            category=data["category"],
            methods=list(data["methods"]),
            responsible_section=data["responsible_section"],
            effective_from=data["effective_from"],
            sectors=list(data["sectors"]),
            ratio_percent=data["ratio_percent"],
            frequency_per_year=data["frequency_per_year"],
            frequency_note=data["frequency_note"],
            annual_cap=data["annual_cap"],
            required_expertise=data["required_expertise"],
            sub_items=sub_items,
            legal_bases=legal_bases,
        )


class CheckItemRequestForm(ItemFieldsMixin, forms.ModelForm):
    class Meta:
        model = CheckItemRequest
        fields = [
            "name",
            "code",
            "category",
            "methods",
            "sectors",
            "ratio_percent",
            "frequency_per_year",
            "frequency_note",
            "annual_cap",
            "required_expertise",
            "justification",
        ]
        widgets = {"justification": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "justification": {"required": "请说明申请理由（如新法规施行、省平台新增监管事项）。"}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_item_fields()

    def _post_clean(self):
        # The request has no section until the service sets it; the service validates it.
        pass

    def spec(self, sub_items: list[str], legal_bases: list[LegalBasisSpec]) -> ItemSpec:
        data = self.cleaned_data
        return ItemSpec(
            code=data["code"],
            name=data["name"],
            category=data["category"],
            methods=list(data["methods"]),
            responsible_section=None,
            sectors=list(data["sectors"]),
            ratio_percent=data["ratio_percent"],
            frequency_per_year=data["frequency_per_year"],
            frequency_note=data["frequency_note"],
            annual_cap=data["annual_cap"],
            required_expertise=data["required_expertise"],
            sub_items=sub_items,
            legal_bases=legal_bases,
        )


# --- the two dynamic lists --------------------------------------------------------------------


class SubItemForm(forms.Form):
    content = forms.CharField(
        label="检查内容及要求",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写检查内容，或删除这一行。"},
    )


class SubItemBaseFormSet(BaseRowFormSet):
    empty_message = "请至少填写一条检查内容及要求。"

    def values(self) -> list[str]:
        return [form.cleaned_data["content"].strip() for form in self.filled_forms()]


class LegalBasisForm(forms.Form):
    kind = forms.ChoiceField(
        label="依据类别",
        choices=[("", "请选择"), *LegalBasisKind.choices],
        error_messages={"required": "请选择依据类别。"},
    )
    title = forms.CharField(
        label="法律法规或标准名称",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "如《中华人民共和国安全生产法》"}),
        error_messages={"required": "请填写法律法规或标准名称。"},
    )
    article = forms.CharField(
        label="条款",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如第二十一条"}),
    )
    excerpt = forms.CharField(
        label="条文摘录",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LegalBasisBaseFormSet(BaseRowFormSet):
    empty_message = "请至少填写一条检查依据（法律、法规、规章或标准条款）。"

    def values(self) -> list[LegalBasisSpec]:
        return [
            LegalBasisSpec(
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"].strip(),
                article=form.cleaned_data["article"].strip(),
                excerpt=form.cleaned_data["excerpt"].strip(),
            )
            for form in self.filled_forms()
        ]


SubItemFormSet = formset_factory(SubItemForm, formset=SubItemBaseFormSet, extra=0)
LegalBasisFormSet = formset_factory(LegalBasisForm, formset=LegalBasisBaseFormSet, extra=0)


def item_formsets(data=None, *, source=None) -> dict:
    """The sub-item and legal-basis formsets, filled from `source` (an item or a request)
    when not bound; a new form starts with one blank row of each."""
    if data is not None:
        return {
            "sub_items": SubItemFormSet(data, prefix="sub"),
            "legal_bases": LegalBasisFormSet(data, prefix="basis"),
        }
    if source is None:
        sub_initial, basis_initial = [{}], [{}]
    else:
        sub_initial = [{"content": sub.content} for sub in source.sub_items.all()]
        basis_initial = [
            {
                "kind": basis.kind,
                "title": basis.title,
                "article": basis.article,
                "excerpt": basis.excerpt,
            }
            for basis in source.legal_bases.all()
        ]
    return {
        "sub_items": SubItemFormSet(prefix="sub", initial=sub_initial),
        "legal_bases": LegalBasisFormSet(prefix="basis", initial=basis_initial),
    }


# --- decisions -------------------------------------------------------------------------------


class RetireForm(forms.Form):
    retired_from = forms.DateField(
        label="停用日期",
        widget=DATE_INPUT,
        help_text="自该日起不能再列入抽查任务，并从公示清单中撤下；已开展的检查不受影响。",
    )
    reason = forms.CharField(
        label="停用原因",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "如“《XX条例》废止”"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retired_from"].initial = timezone.localdate()


class ApproveForm(forms.Form):
    code = forms.CharField(
        label="事项编码",
        max_length=50,
        help_text="与河北省“互联网+监管”平台监管事项编码一致。",
    )
    effective_from = forms.DateField(label="生效日期", widget=DATE_INPUT)
    note = forms.CharField(label="审批意见", max_length=500, required=False)

    def __init__(self, *args, request_obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.localdate()
        if request_obj is not None:
            self.fields["code"].initial = request_obj.code


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="退回理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "退回申请须说明理由。"},
    )

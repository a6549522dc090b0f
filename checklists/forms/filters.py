"""GET filter forms of the staff lists and the public list."""

from __future__ import annotations

from django import forms

from checklists.forms.common import SectionChoiceField, active_sections
from checklists.models import (
    CheckItem,
    CheckItemRequest,
    SupervisionSector,
)
from checklists.selectors import STATUS_FILTERS
from inspectors.models import Department, Section
from shijiazhuang_sr.core.forms import FilterForm


class _SectorFilterMixin:
    def setup_common(self):
        self.fields["section"].queryset = active_sections()
        self.fields["sector"].queryset = SupervisionSector.objects.order_by("sort_order", "name")


class ItemFilterForm(_SectorFilterMixin, FilterForm):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "编码、名称、依据或检查内容"}),
    )
    section = SectionChoiceField(
        label="责任科室", required=False, queryset=Section.objects.none(), empty_label="全部科室"
    )
    category = forms.ChoiceField(
        label="事项类别", required=False, choices=[("", "全部类别"), *CheckItem.Category.choices]
    )
    sector = forms.ModelChoiceField(
        label="行业领域",
        required=False,
        queryset=SupervisionSector.objects.none(),
        empty_label="全部领域",
    )
    status = forms.ChoiceField(label="状态", required=False, choices=list(STATUS_FILTERS.items()))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_common()

    def criteria(self) -> dict:
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        data["status"] = data.get("status") or "current"
        return data


class PublicItemFilterForm(_SectorFilterMixin, FilterForm):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "事项名称、编码或法律依据"}),
    )
    section = SectionChoiceField(
        label="责任科室", required=False, queryset=Section.objects.none(), empty_label="全部科室"
    )
    category = forms.ChoiceField(
        label="事项类别", required=False, choices=[("", "全部类别"), *CheckItem.Category.choices]
    )
    sector = forms.ModelChoiceField(
        label="行业领域",
        required=False,
        queryset=SupervisionSector.objects.none(),
        empty_label="全部领域",
    )

    def __init__(self, *args, sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_common()
        if sections is not None:
            self.fields["section"].queryset = sections
        self.fields["sector"].queryset = SupervisionSector.objects.filter(is_active=True)

    def criteria(self) -> dict:
        return dict(self.cleaned_data) if self.is_valid() else {}


class RequestFilterForm(FilterForm):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "事项名称或编码"}),
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *CheckItemRequest.Status.choices]
    )
    section = SectionChoiceField(
        label="申请科室", required=False, queryset=Section.objects.none(), empty_label="全部科室"
    )

    def __init__(self, *args, show_section: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if show_section:
            self.fields["section"].queryset = active_sections()
        else:
            del self.fields["section"]

    def criteria(self) -> dict:
        return dict(self.cleaned_data) if self.is_valid() else {}


class JointListFilterForm(FilterForm):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "清单名称或行业"}),
    )
    department = forms.ModelChoiceField(
        label="部门", required=False, queryset=Department.objects.all(), empty_label="全部部门"
    )
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("current", "有效和未生效"), ("retired", "已停用"), ("all", "全部")],
    )

    def criteria(self) -> dict:
        return dict(self.cleaned_data) if self.is_valid() else {}

"""Joint list forms (with department/item rows), guideline attachments, sectors."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils import timezone

from checklists.forms.common import DATE_INPUT, BaseRowFormSet
from checklists.models import (
    CheckItem,
    JointItemList,
    SupervisionSector,
)
from checklists.validators import ACCEPT, ALLOWED_LABEL, validate_attachment
from inspectors.models import Department


class JointListForm(forms.ModelForm):
    class Meta:
        model = JointItemList
        fields = [
            "name",
            "industry",
            "sectors",
            "lead_department",
            "participating_departments",
            "guidelines",
            "effective_from",
        ]
        widgets = {
            "effective_from": DATE_INPUT,
            "sectors": forms.CheckboxSelectMultiple(attrs={"class": "sr-check-columns"}),
            "participating_departments": forms.CheckboxSelectMultiple,
            "guidelines": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(is_active=True).order_by("sort_order", "name")
        self.fields["lead_department"].queryset = departments
        self.fields["participating_departments"].queryset = departments
        self.fields["sectors"].queryset = SupervisionSector.objects.filter(is_active=True)
        if not self.instance.pk:
            self.fields["effective_from"].initial = timezone.localdate()

    def validate_unique(self):
        pass  # the service says which list holds the name

    def _post_clean(self):
        # The service validates the whole list (departments and entries together).
        pass


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class JointEntryForm(forms.Form):
    department = forms.ModelChoiceField(
        label="检查部门",
        queryset=Department.objects.none(),
        error_messages={"required": "请选择检查部门。"},
    )
    item = ItemChoiceField(
        label="抽查事项",
        queryset=CheckItem.objects.none(),
        error_messages={"required": "请选择抽查事项。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True)
        today = timezone.localdate()
        self.fields["item"].queryset = CheckItem.objects.exclude(
            retired_from__isnull=False, retired_from__lte=today
        ).order_by("code")


class JointEntryBaseFormSet(BaseRowFormSet):
    empty_message = "请为各部门列出检查事项。"

    def values(self) -> list[tuple]:
        return [
            (form.cleaned_data["department"], form.cleaned_data["item"])
            for form in self.filled_forms()
        ]


JointEntryFormSet = formset_factory(JointEntryForm, formset=JointEntryBaseFormSet, extra=0)


def joint_entry_formset(data=None, *, joint_list=None):
    if data is not None:
        return JointEntryFormSet(data, prefix="entry")
    initial = [{}]
    if joint_list is not None:
        initial = [
            {"department": entry.department_id, "item": entry.item_id}
            for entry in joint_list.entries.all()
        ]
    return JointEntryFormSet(prefix="entry", initial=initial)


class AttachmentForm(forms.Form):
    title = forms.CharField(
        label="附件名称", max_length=200, required=False, help_text="留空则使用文件名。"
    )
    file = forms.FileField(
        label="文件",
        help_text=f"支持 {ALLOWED_LABEL}，不超过 20 MB。",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": "请选择要上传的文件。"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_attachment(upload)
        return upload


# --- sectors -----------------------------------------------------------------------------------


class SectorForm(forms.ModelForm):
    class Meta:
        model = SupervisionSector
        fields = ["code", "name", "sort_order", "is_active"]

    def validate_unique(self):
        pass  # the service checks and names the clash

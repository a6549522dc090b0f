from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.selectors import audited_content_types
from shijiazhuang_sr.core.forms import FilterForm


class ContentTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        model = obj.model_class()
        return str(model._meta.verbose_name) if model else f"{obj.app_label}.{obj.model}"


class EntryFilterForm(FilterForm):
    actor = forms.ModelChoiceField(
        label="操作人",
        required=False,
        queryset=get_user_model().objects.order_by("username"),
        empty_label="全部用户",
    )
    content_type = ContentTypeChoiceField(
        label="对象类型",
        required=False,
        queryset=ContentType.objects.none(),
        empty_label="全部类型",
    )
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "全部操作"), *AuditEntry.Action.choices]
    )
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "对象、操作人或事件"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content_type"].queryset = audited_content_types()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return cleaned

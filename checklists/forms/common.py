"""What the item list's forms share: date input, section choices, rows."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from inspectors.models import Section

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def active_sections():
    return (
        Section.objects.filter(is_active=True)
        .exclude(kind=Section.Kind.OTHER)
        .select_related("department")
        .order_by("department__sort_order", "sort_order", "name")
    )


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.department.is_own_bureau:
            return obj.name
        return f"{obj.department.short_name or obj.department.name} · {obj.name}"


class BaseRowFormSet(forms.BaseFormSet):
    """Rows added and removed in the browser (static/checklists/rows.js renumbers them).

    Every submitted row counts as new: a row left completely blank is ignored, a row with
    something in it must be complete. The order of the rows is the order on the page.
    """

    empty_message = "请至少填写一行。"

    def initial_form_count(self):
        return 0 if self.is_bound else super().initial_form_count()

    def add_non_form_errors(self, messages):
        self.non_form_errors()  # runs full_clean so the list exists
        self._non_form_errors.extend(messages)

    def filled_forms(self):
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.filled_forms():
            raise ValidationError(self.empty_message)

from django import forms
from django.core.exceptions import ValidationError


class FilterForm(forms.Form):
    """A GET filter form whose widgets carry Bootstrap's classes (rendered by filter_form.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def attach_errors(error: ValidationError, form: forms.BaseForm, formsets: dict | None = None):
    """Show a service's ValidationError on the form that fed it: each message at its field,
    messages about a formset's rows above those rows, the rest at the top of the form. The
    form keeps what the user typed."""
    formsets = formsets or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, messages in error.message_dict.items():
        if key in formsets:
            formsets[key].add_non_form_errors(messages)
        elif key in form.fields:
            form.add_error(key, messages)
        else:
            form.add_error(None, messages)

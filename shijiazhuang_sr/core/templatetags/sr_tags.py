from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **overrides) -> str:
    """The current query string with some parameters replaced (pagination keeps the filters)."""
    query = context["request"].GET.copy()
    for key, value in overrides.items():
        query[key] = value
    return query.urlencode()


@register.filter
def local_dt(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if not value:
        return ""
    return timezone.localtime(value).strftime(fmt)


@register.filter
def dict_items(value) -> list:
    """`{% for key, value in some_dict|dict_items %}`: safe when the dict has a key named
    "items" (e.g. a campaign's changed check items), which `some_dict.items` would look up."""
    return list(value.items()) if isinstance(value, dict) else []

from django import template

from checklists.specs import DOCUMENT_LABELS

register = template.Library()

EMPTY = "（空）"


def _text(key: str, value) -> str:
    if value in (None, "", []):
        return EMPTY
    if key == "sub_items":
        return "\n".join(f"{number}. {text}" for number, text in enumerate(value, start=1))
    if key == "legal_bases":
        return "\n".join(
            "｜".join(part for part in (b["kind"], b["title"], b["article"], b["excerpt"]) if part)
            for b in value
        )
    if isinstance(value, list):
        return "、".join(str(part) for part in value)
    return str(value)


@register.filter
def change_rows(changes: dict) -> list[tuple[str, str, str]]:
    """A version's changes as (label, old, new) texts, in the order of the item's fields."""
    keys = [key for key in DOCUMENT_LABELS if key in changes]
    keys += [key for key in changes if key not in DOCUMENT_LABELS]
    return [
        (DOCUMENT_LABELS.get(key, key), _text(key, changes[key][0]), _text(key, changes[key][1]))
        for key in keys
    ]


@register.filter
def document_rows(document: dict) -> list[tuple[str, str]]:
    """A version's snapshot as (label, text) rows."""
    return [
        (label, _text(key, document.get(key)))
        for key, label in DOCUMENT_LABELS.items()
        if key in document
    ]

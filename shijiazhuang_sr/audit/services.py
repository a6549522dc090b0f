"""Writing the audit trail.

Every service that changes business data calls one of these, inside its own transaction, so
that the entry and the change commit or roll back together:

    before = snapshot(inspector)
    ... change and save ...
    audit_update(inspector, before, by=user, event="inspectors.inspector.changed")

`changes` is stored as `{field: [old, new]}` with values made readable for the auditor
(choice labels, related objects' names, ISO dates).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from shijiazhuang_sr.audit.context import current
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.core.bulk import copy_rows, uses_copy

# Fields whose values never belong in the audit trail, whatever model they are on.
SECRET_FIELDS = {"password"}


# Exact JSON-ready types, tested first with one set lookup: an import writes one entry per
# changed row, 100,000 in one run, each with a dict of [old, new] pairs.
_PLAIN_TYPES = frozenset({type(None), bool, int, float, str})


def _readable(value):
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind is list:
        return [_readable(item) for item in value]
    if kind is dict:
        return {str(key): _readable(item) for key, item in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_readable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _readable(item) for key, item in value.items()}
    return str(value)


def field_value(obj: models.Model, field: models.Field):
    """The value of one field as the auditor should read it."""
    if field.name in SECRET_FIELDS:
        return "******"
    if field.many_to_many:
        if obj.pk is None:
            return []
        return sorted(str(item) for item in getattr(obj, field.name).all())
    if field.is_relation:
        related_id = getattr(obj, field.attname)
        if related_id is None:
            return None
        return str(getattr(obj, field.name))
    value = getattr(obj, field.attname)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    return _readable(value)


def _audited_fields(obj: models.Model, fields: Iterable[str] | None):
    concrete = [
        field
        for field in obj._meta.get_fields()
        if (field.concrete or field.many_to_many) and not field.auto_created
    ]
    if fields is None:
        return concrete
    wanted = set(fields)
    return [field for field in concrete if field.name in wanted]


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict:
    """The readable values of `obj`'s fields (all concrete and many-to-many fields by default)."""
    return {field.name: field_value(obj, field) for field in _audited_fields(obj, fields)}


def field_labels(model, names) -> dict[str, str]:
    """{field name: its verbose name}, for showing changes to people rather than code."""
    labels = {}
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # e.g. "strata" of a campaign: keeps its own name
            labels[name] = name
        else:  # a reverse relation has no verbose name either
            labels[name] = str(getattr(field, "verbose_name", name))
    return labels


def diff(before: dict, after: dict) -> dict:
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def _actor_label(user) -> str:
    if user is None:
        return ""
    name = getattr(user, "full_name", "") or ""
    return f"{name}（{user.get_username()}）" if name else user.get_username()


def build_entry(
    *,
    action: str,
    obj: models.Model | None = None,
    by=None,
    event: str = "",
    changes: dict | None = None,
    data: dict | None = None,
    actor_label: str | None = None,
    content_type: ContentType | None = None,
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """An unsaved entry, for callers that write many at once with `bulk_create`."""
    context = current()
    user = by if by is not None else context.user
    if obj is not None:
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        object_id = str(obj.pk)
        object_repr = str(obj)[:300]
    if actor_label is None:
        actor_label = _actor_label(user) or {
            "command": "命令行",
            "task": "后台任务",
        }.get(context.channel, "系统")
    return AuditEntry(
        actor=user if getattr(user, "pk", None) else None,
        actor_label=actor_label[:150],
        ip=context.ip,
        channel=context.channel,
        action=action,
        event=event,
        content_type=content_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        changes=_readable(changes or {}),
        data=_readable(data or {}),
    )


def audit_record(**kwargs) -> AuditEntry:
    entry = build_entry(**kwargs)
    entry.save()
    return entry


# The columns `save_entries` writes, in order.
_COPY_COLUMNS = (
    "at", "actor_id", "actor_label", "ip", "channel", "action", "event", "content_type_id",
    "object_id", "object_repr", "changes", "data",
)  # fmt: skip


def save_entries(entries: list[AuditEntry]) -> None:
    """Save many unsaved entries (from `build_entry`) at once.

    Imports write one entry per changed row, 100,000 in one run: PostgreSQL gets them by COPY,
    which costs a fraction of INSERTs whose every value Django prepares field by field. Other
    databases get `bulk_create`.
    """
    if not entries:
        return
    if not uses_copy():
        AuditEntry.objects.bulk_create(entries, batch_size=1000)
        return
    now = timezone.now().isoformat()
    copy_rows(AuditEntry, _COPY_COLUMNS, (_copy_values(entry, now) for entry in entries))


def _copy_values(entry: AuditEntry, now: str) -> tuple:
    return (
        now, entry.actor_id, entry.actor_label, entry.ip, entry.channel, entry.action,
        entry.event, entry.content_type_id, entry.object_id, entry.object_repr,
        json.dumps(entry.changes, ensure_ascii=False), json.dumps(entry.data, ensure_ascii=False),
    )  # fmt: skip


def audit_create(obj: models.Model, *, by=None, event: str = "", data: dict | None = None):
    values = snapshot(obj)
    changes = {name: [None, value] for name, value in values.items() if value not in (None, "", [])}
    return audit_record(
        action=AuditEntry.Action.CREATE, obj=obj, by=by, event=event, changes=changes, data=data
    )


def audit_update(
    obj: models.Model, before: dict, *, by=None, event: str = "", data: dict | None = None
) -> AuditEntry | None:
    """Record what changed since `before` (a `snapshot`); nothing changed writes nothing."""
    changes = diff(before, snapshot(obj, before.keys()))
    if not changes and not data:
        return None
    return audit_record(
        action=AuditEntry.Action.UPDATE, obj=obj, by=by, event=event, changes=changes, data=data
    )


def audit_delete(obj: models.Model, *, by=None, event: str = "", data: dict | None = None):
    values = snapshot(obj)
    changes = {name: [value, None] for name, value in values.items() if value not in (None, "", [])}
    return audit_record(
        action=AuditEntry.Action.DELETE, obj=obj, by=by, event=event, changes=changes, data=data
    )

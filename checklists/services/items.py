"""Creating, changing and retiring items, and the sectors vocabulary.

An item is never deleted. Every change (creation, edit, retirement) is a new
`CheckItemVersion` holding the whole item as it then was, what changed and why, and an audit
entry with the same old → new values.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from checklists.models import (
    CheckItem,
    CheckItemVersion,
    CheckSubItem,
    LegalBasis,
    SupervisionSector,
)
from checklists.specs import SCALAR_FIELDS, ItemSpec, item_document, spec_document
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.services import audit_create, audit_record, audit_update, diff, snapshot


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写变更原因（如“法律修订”“机构职能调整”）。"})
    if len(reason) > 200:
        raise ValidationError({"reason": "变更原因不能超过 200 个字。"})
    return reason


def _check_code_free(code: str, *, exclude_pk=None) -> None:
    other = CheckItem.objects.filter(code=code).exclude(pk=exclude_pk).first()
    if other is not None:
        raise ValidationError({"code": f"事项编码「{code}」已被事项「{other.name}」使用。"})


def _write_children(item: CheckItem, spec: ItemSpec) -> None:
    item.sub_items.all().delete()
    CheckSubItem.objects.bulk_create(
        CheckSubItem(item=item, position=position, content=text)
        for position, text in enumerate(spec.sub_items, start=1)
    )
    item.legal_bases.all().delete()
    LegalBasis.objects.bulk_create(
        LegalBasis(
            item=item,
            position=position,
            kind=basis.kind,
            title=basis.title,
            article=basis.article,
            excerpt=basis.excerpt,
        )
        for position, basis in enumerate(spec.legal_bases, start=1)
    )


def save_item_content(item: CheckItem, spec: ItemSpec) -> CheckItem:
    """Write `spec` onto `item` (new or existing), validated. No version, no audit entry:
    callers (the services below and the import) record both."""
    spec.normalize()
    spec.check_lists()
    _check_code_free(spec.code, exclude_pk=item.pk)
    for name in SCALAR_FIELDS:
        value = getattr(spec, name)
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    item.full_clean(validate_unique=False)
    item.save()
    item.sectors.set(spec.sectors)
    _write_children(item, spec)
    return item


def record_version(
    item: CheckItem, *, event: str, reason: str, by, changes: dict
) -> CheckItemVersion:
    fresh = CheckItem.objects.get(pk=item.pk)
    return CheckItemVersion.objects.create(
        item=fresh,
        number=fresh.version,
        event=event,
        snapshot=item_document(fresh),
        changes=changes,
        reason=reason,
        changed_by=by if getattr(by, "pk", None) else None,
    )


def creation_changes(document: dict) -> dict:
    return {name: [None, value] for name, value in document.items() if value not in (None, "", [])}


@transaction.atomic
def check_item_create(
    *, by, spec: ItemSpec, reason: str = "新增抽查事项", data: dict | None = None
) -> CheckItem:
    reason = _require_reason(reason)
    if spec.effective_from is None:
        raise ValidationError({"effective_from": "请填写生效日期。"})
    item = save_item_content(CheckItem(version=1), spec)
    version = record_version(
        item,
        event=CheckItemVersion.Event.CREATED,
        reason=reason,
        by=by,
        changes=creation_changes(item_document(item)),
    )
    audit_record(
        action=AuditEntry.Action.CREATE,
        obj=item,
        by=by,
        event="checklists.item.created",
        changes=version.changes,
        data={"reason": reason, "version": version.number, **(data or {})},
    )
    return item


@transaction.atomic
def check_item_update(
    *, by, item: CheckItem, spec: ItemSpec, reason: str
) -> CheckItemVersion | None:
    """Save a new version of `item`. Returns None (and saves nothing) when nothing changed."""
    item = CheckItem.objects.select_for_update().get(pk=item.pk)
    before = item_document(item)
    changes = diff(before, {**before, **spec_document(spec)})
    if not changes:
        return None
    reason = _require_reason(reason)
    if item.retired_from is not None and item.retired_from <= timezone.localdate():
        raise ValidationError(f"该事项已于{item.retired_from:%Y-%m-%d}停用，不能再修改。")
    if spec.effective_from is None:
        raise ValidationError({"effective_from": "请填写生效日期。"})
    save_item_content(item, spec)
    item.version += 1
    item.save(update_fields=["version", "updated_at"])
    version = record_version(
        item, event=CheckItemVersion.Event.CHANGED, reason=reason, by=by, changes=changes
    )
    audit_record(
        action=AuditEntry.Action.UPDATE,
        obj=item,
        by=by,
        event="checklists.item.changed",
        changes=changes,
        data={"reason": reason, "version": version.number},
    )
    return version


@transaction.atomic
def check_item_retire(
    *, by, item: CheckItem, retired_from: dt.date, reason: str
) -> CheckItemVersion:
    """Retire `item` from `retired_from` (today or later): from that day it may not be put
    into a campaign and leaves the public list; it stays in the staff list and history."""
    item = CheckItem.objects.select_for_update().get(pk=item.pk)
    today = timezone.localdate()
    if item.retired_from is not None and item.retired_from <= today:
        raise ValidationError(f"该事项已于{item.retired_from:%Y-%m-%d}停用。")
    errors = {}
    if retired_from is None:
        errors["retired_from"] = "请填写停用日期。"
    elif retired_from < today:
        errors["retired_from"] = "停用日期不能早于今天：已经开展的检查不受停用影响。"
    elif retired_from < item.effective_from:
        errors["retired_from"] = f"停用日期不能早于生效日期（{item.effective_from:%Y-%m-%d}）。"
    if errors:
        raise ValidationError(errors)
    reason = _require_reason(reason)
    before = item_document(item)
    item.retired_from = retired_from
    item.retire_reason = reason
    item.version += 1
    item.full_clean(validate_unique=False)
    item.save(update_fields=["retired_from", "retire_reason", "version", "updated_at"])
    changes = diff(before, item_document(item))
    version = record_version(
        item, event=CheckItemVersion.Event.RETIRED, reason=reason, by=by, changes=changes
    )
    audit_record(
        action=AuditEntry.Action.UPDATE,
        obj=item,
        by=by,
        event="checklists.item.retired",
        changes=changes,
        data={"reason": reason, "version": version.number},
    )
    return version


# --- the sectors vocabulary ------------------------------------------------------------------

SECTOR_FIELDS = ("code", "name", "sort_order", "is_active")


def _check_sector_unique(sector: SupervisionSector) -> None:
    others = SupervisionSector.objects.exclude(pk=sector.pk)
    errors = {}
    if others.filter(code=sector.code).exists():
        errors["code"] = f"编码「{sector.code}」已被使用。"
    if others.filter(name=sector.name).exists():
        errors["name"] = f"行业领域「{sector.name}」已存在。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def supervision_sector_create(
    *, by, code: str, name: str, sort_order: int = 100, is_active: bool = True
) -> SupervisionSector:
    sector = SupervisionSector(
        code=code.strip(), name=name.strip(), sort_order=sort_order, is_active=is_active
    )
    _check_sector_unique(sector)
    sector.full_clean()
    sector.save()
    audit_create(sector, by=by, event="checklists.sector.created")
    return sector


@transaction.atomic
def supervision_sector_update(*, by, sector: SupervisionSector, **fields) -> SupervisionSector:
    sector = SupervisionSector.objects.select_for_update().get(pk=sector.pk)
    before = snapshot(sector, SECTOR_FIELDS)
    for name in SECTOR_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(sector, name, value.strip() if isinstance(value, str) else value)
    _check_sector_unique(sector)
    sector.full_clean()
    sector.save()
    audit_update(sector, before, by=by, event="checklists.sector.changed")
    return sector

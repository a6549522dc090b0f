"""Writes of the roster. Each service validates, saves and writes its audit entry.

Nothing here deletes: departments, sections and tags are deactivated, inspectors who left
get a 调离/退休 status period, and a status period entered by mistake is cancelled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inspectors import selectors
from inspectors.imports import (
    SCALAR_FIELDS,
    ReconciliationImport,
    RosterLookup,
    differences,
    first_on_duty_day,
    normalize_cert_no,
    values_from_export,
    write_tag_pairs,
)
from inspectors.models import (
    Department,
    Inspector,
    InspectorStatusPeriod,
    ReconciliationLine,
    ReconciliationRun,
    Section,
    Tag,
)
from shijiazhuang_sr.accounts.roles import Role
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.services import (
    audit_create,
    audit_record,
    audit_update,
    build_entry,
    snapshot,
)
from shijiazhuang_sr.core.imports import ImportReport

Status = Inspector.Status
INSPECTOR_FIELDS = (
    "name",
    "cert_no",
    "card_type",
    "issuing_authority",
    "card_valid_from",
    "card_valid_to",
    "department",
    "section",
    "category",
    "phone",
    "justice_record_id",
    "user",
)
# Statuses that last a while and then end; they may not overlap one another.
TEMPORARY = (Status.ON_LEAVE, Status.TRAINING, Status.SECONDED)
GONE = (Status.TRANSFERRED, Status.RETIRED)
NEW_INSPECTOR_REASON = "新增入名录库"


# --- departments, sections, tags ------------------------------------------------------------


def _save_new(obj, *, by, event: str):
    obj.full_clean()
    obj.save()
    audit_create(obj, by=by, event=event)
    return obj


def _save_changes(obj, fields: dict, *, by, event: str):
    before = snapshot(obj, fields.keys())
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    audit_update(obj, before, by=by, event=event)
    return obj


@transaction.atomic
def department_create(*, by, name: str, **fields) -> Department:
    return _save_new(
        Department(name=name.strip(), **fields), by=by, event="inspectors.department.created"
    )


@transaction.atomic
def department_update(*, by, department: Department, **fields) -> Department:
    return _save_changes(department, fields, by=by, event="inspectors.department.changed")


@transaction.atomic
def section_create(*, by, department: Department, name: str, **fields) -> Section:
    section = Section(department=department, name=name.strip(), **fields)
    return _save_new(section, by=by, event="inspectors.section.created")


@transaction.atomic
def section_update(*, by, section: Section, **fields) -> Section:
    return _save_changes(section, fields, by=by, event="inspectors.section.changed")


@transaction.atomic
def tag_create(*, by, kind: str, name: str, **fields) -> Tag:
    tag = Tag(kind=kind, name=name.strip(), **fields)
    return _save_new(tag, by=by, event="inspectors.tag.created")


@transaction.atomic
def tag_update(*, by, tag: Tag, **fields) -> Tag:
    return _save_changes(tag, fields, by=by, event="inspectors.tag.changed")


# --- inspectors -----------------------------------------------------------------------------


def _check_inspector(inspector: Inspector) -> None:
    errors = {}
    if inspector.section_id and inspector.section.department_id != inspector.department_id:
        errors["section"] = "所选科室不属于所选部门。"
    user = inspector.user
    if user is not None and not user.has_role(Role.INSPECTOR):
        errors["user"] = "只能关联角色为“执法人员”的账号。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def inspector_create(*, by, tags: Iterable[Tag] = (), **fields) -> Inspector:
    """Add an inspector, 在岗 from the card's valid-from date (or today if that is later)."""
    inspector = Inspector(**fields)
    inspector.cert_no = normalize_cert_no(inspector.cert_no)
    inspector.status = Status.ON_DUTY
    inspector.full_clean()
    _check_inspector(inspector)
    inspector.save()
    inspector.tags.set(list(tags))
    InspectorStatusPeriod.objects.create(
        inspector=inspector,
        status=Status.ON_DUTY,
        starts_on=first_on_duty_day(inspector.card_valid_from, timezone.localdate()),
        reason=NEW_INSPECTOR_REASON,
        created_by=by,
    )
    audit_create(inspector, by=by, event="inspectors.inspector.created")
    return inspector


@transaction.atomic
def inspector_update(*, by, inspector: Inspector, tags: Iterable[Tag] | None = None, **fields):
    """Change an inspector's record (not the status: see `inspector_change_status`)."""
    unknown = set(fields) - set(INSPECTOR_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    before = snapshot(inspector, (*fields, "tags"))
    for name, value in fields.items():
        setattr(inspector, name, value)
    inspector.cert_no = normalize_cert_no(inspector.cert_no)
    inspector.full_clean()
    _check_inspector(inspector)
    inspector.save()
    if tags is not None:
        inspector.tags.set(list(tags))
    audit_update(inspector, before, by=by, event="inspectors.inspector.changed")
    return inspector


@transaction.atomic
def inspectors_tag(
    *, by, inspectors: Iterable[Inspector], add: Iterable[Tag] = (), remove: Iterable[Tag] = ()
) -> int:
    """Add and remove tags on many inspectors at once; one audit entry per changed inspector.

    Returns how many inspectors changed.
    """
    add_ids = {tag.pk for tag in add}
    remove_ids = {tag.pk for tag in remove}
    if not add_ids and not remove_ids:
        raise ValidationError("请选择要添加或移除的标签。")
    if add_ids & remove_ids:
        raise ValidationError("同一个标签不能同时添加和移除。")
    inspectors = list(
        Inspector.objects.select_for_update().filter(pk__in=[i.pk for i in inspectors])
    )
    if not inspectors:
        raise ValidationError("请先勾选执法人员。")
    names = {tag.pk: tag.name for tag in Tag.objects.all()}
    current: dict[int, set[int]] = defaultdict(set)
    for inspector_id, tag_id in Inspector.tags.through.objects.filter(
        inspector_id__in=[i.pk for i in inspectors]
    ).values_list("inspector_id", "tag_id"):
        current[inspector_id].add(tag_id)
    adds, removes, entries, changed = [], [], [], []
    now = timezone.now()
    for inspector in inspectors:
        old = current[inspector.pk]
        new = (old | add_ids) - remove_ids
        if new == old:
            continue
        adds += [(inspector.pk, tag_id) for tag_id in new - old]
        removes += [(inspector.pk, tag_id) for tag_id in old - new]
        inspector.updated_at = now
        changed.append(inspector)
        entries.append(
            build_entry(
                action=AuditEntry.Action.UPDATE,
                obj=inspector,
                by=by,
                event="inspectors.inspector.tagged",
                changes={"tags": [sorted(names[t] for t in old), sorted(names[t] for t in new)]},
            )
        )
    write_tag_pairs(adds=adds, removes=removes)
    Inspector.objects.bulk_update(changed, ["updated_at"])
    AuditEntry.objects.bulk_create(entries)
    return len(changed)


def inspector_list_exported(*, by, rows: int, filters: dict) -> None:
    """The roster holds personal data: every download is recorded."""
    audit_record(
        action=AuditEntry.Action.EXPORT,
        by=by,
        event="inspectors.inspector.exported",
        data={"rows": rows, "filters": filters},
    )


# --- status ---------------------------------------------------------------------------------


def _status_in(periods: list[InspectorStatusPeriod], on: dt.date) -> str | None:
    covering = [p for p in periods if p.starts_on <= on and (p.ends_on is None or p.ends_on >= on)]
    if not covering:
        return None
    return max(covering, key=lambda p: (p.starts_on, p.pk)).status


def _label(status) -> str:
    return Status(status).label if status else "无状态"


def _check_status_change(
    periods: list[InspectorStatusPeriod], status: str, starts_on: dt.date, ends_on
) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "截止日期不能早于生效日期。"})
    if status in (Status.ON_LEAVE, Status.TRAINING) and ends_on is None:
        raise ValidationError({"ends_on": "休假、培训须填写截止日期。"})
    if status in GONE and ends_on is not None:
        raise ValidationError({"ends_on": "调离、退休为长期状态，不填写截止日期。"})
    end = ends_on or dt.date.max
    retired_on = min((p.starts_on for p in periods if p.status == Status.RETIRED), default=None)
    if retired_on is not None and end >= retired_on:
        raise ValidationError(
            {"starts_on": f"该人员已于 {retired_on.isoformat()} 退休，不能登记此后的状态变动。"}
        )
    before = _status_in(periods, starts_on)
    if before == Status.TRANSFERRED and status != Status.ON_DUTY:
        raise ValidationError(
            {"status": f"该人员在 {starts_on.isoformat()} 已调离，只能登记“在岗”（调回本单位）。"}
        )
    if status == before and status not in TEMPORARY:
        raise ValidationError(
            {"status": f"该人员在 {starts_on.isoformat()} 已是“{_label(status)}”状态。"}
        )
    if status in TEMPORARY:
        for period in periods:
            if period.status not in TEMPORARY:
                continue
            if period.starts_on <= end and (period.ends_on or dt.date.max) >= starts_on:
                raise ValidationError(
                    {"starts_on": f"与已登记的{period.span_display()}重叠，请先撤销该记录。"}
                )
    if status in GONE:
        later = [p for p in periods if p.starts_on > starts_on]
        if later:
            raise ValidationError(
                {
                    "starts_on": f"该人员在 {starts_on.isoformat()} 之后还登记有"
                    f"{later[0].span_display()}，请先撤销该记录。"
                }
            )


def _refresh_status(inspector: Inspector, today: dt.date | None = None) -> tuple[str, str]:
    """Keep the stored current status in step with the periods; returns (old, new)."""
    old = inspector.status
    new = selectors.status_on(inspector, today or timezone.localdate()) or old
    if new != old:
        inspector.status = new
        inspector.save(update_fields=["status", "updated_at"])
    return old, new


def _status_entry(inspector, *, by, event: str, period_change: list, old: str, new: str, period):
    changes = {"status_periods": period_change}
    if old != new:
        changes["status"] = [_label(old), _label(new)]
    audit_record(
        action=AuditEntry.Action.UPDATE,
        obj=inspector,
        by=by,
        event=event,
        changes=changes,
        data={"period": period.pk},
    )


@transaction.atomic
def inspector_change_status(
    *,
    by,
    inspector: Inspector,
    status: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    reason: str,
) -> InspectorStatusPeriod:
    """Record a status from `starts_on` (to `ends_on`, or open-ended), with the reason.

    Refuses input that contradicts the history: a leave without an end, an end before the
    start, anything after a retirement, anything but a return after a transfer, two leaves,
    trainings or secondments that overlap, the status the inspector already has.
    """
    inspector = Inspector.objects.select_for_update().get(pk=inspector.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写状态变动的原因。"})
    periods = list(inspector.status_periods.filter(cancelled_at__isnull=True))
    _check_status_change(periods, status, starts_on, ends_on)
    period = InspectorStatusPeriod(
        inspector=inspector,
        status=status,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        created_by=by,
    )
    period.full_clean()
    period.save()
    old, new = _refresh_status(inspector)
    _status_entry(
        inspector,
        by=by,
        event="inspectors.inspector.status_changed",
        period_change=[None, f"{period.span_display()}，原因：{reason}"],
        old=old,
        new=new,
        period=period,
    )
    return period


@transaction.atomic
def status_period_cancel(*, by, period: InspectorStatusPeriod, reason: str) -> None:
    """Cancel a period entered by mistake. It stays in the history, marked cancelled."""
    inspector = Inspector.objects.select_for_update().get(pk=period.inspector_id)
    period = InspectorStatusPeriod.objects.get(pk=period.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写撤销的原因。"})
    if period.is_cancelled:
        raise ValidationError("该状态记录已撤销。")
    others = inspector.status_periods.filter(cancelled_at__isnull=True).exclude(pk=period.pk)
    if not others.exists():
        raise ValidationError("这是该人员唯一的状态记录，不能撤销。")
    period.cancelled_at = timezone.now()
    period.cancelled_by = by
    period.cancel_reason = reason
    period.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    old, new = _refresh_status(inspector)
    _status_entry(
        inspector,
        by=by,
        event="inspectors.inspector.status_cancelled",
        period_change=[period.span_display(), f"已撤销，原因：{reason}"],
        old=old,
        new=new,
        period=period,
    )


@transaction.atomic
def inspectors_refresh_statuses(*, on: dt.date | None = None) -> int:
    """Bring every stored current status up to date (a leave that began today …).

    Run daily (tasks.py). The status periods are the truth; this keeps the denormalised
    `Inspector.status` that other pages read in step. Returns how many changed.
    """
    on = on or timezone.localdate()
    inspectors = list(Inspector.objects.only("pk", "name", "cert_no", "status"))
    statuses = selectors.statuses_on(inspectors, on)
    changed, entries = [], []
    for inspector in inspectors:
        new = statuses[inspector.pk]
        if new is None or new == inspector.status:
            continue
        entries.append(
            build_entry(
                action=AuditEntry.Action.UPDATE,
                obj=inspector,
                event="inspectors.inspector.status_refreshed",
                changes={"status": [_label(inspector.status), _label(new)]},
                data={"on": on},
            )
        )
        inspector.status = new
        changed.append(inspector)
    Inspector.objects.bulk_update(changed, ["status"], batch_size=500)
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(changed)


# --- reconciliation ("应纳尽纳") -------------------------------------------------------------


def _sha256(upload) -> str:
    sha = hashlib.sha256()
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


def reconciliation_run_create(*, by, upload) -> tuple[ReconciliationRun | None, ImportReport]:
    """Compare the roster with an export of the justice bureau's database.

    The file is checked exactly like an import (row errors → no run, the report says why).
    Lines: officers in the export but not on the roster; officers of the departments the
    export covers who are on the roster, have not left, and are missing from the export;
    and officers whose fields differ. Open lines of earlier runs are superseded.
    """
    digest = _sha256(upload)
    importer = ReconciliationImport()
    report = importer.run(upload, filename=upload.name, size=upload.size, by=by, dry_run=True)
    if not report.ok:
        return None, report
    with transaction.atomic():
        run = ReconciliationRun.objects.create(
            filename=upload.name[:255],
            sha256=digest,
            export_rows=report.total_rows,
            created_by=by,
        )
        run.departments.set(importer.department_ids)
        Kind = ReconciliationLine.Kind
        lines = []
        for item in importer.comparisons:
            if item.inspector is None:
                kind = Kind.NOT_ON_ROSTER
            elif item.changes:
                kind = Kind.DIFFERS
            else:
                continue
            lines.append(
                ReconciliationLine(
                    run=run,
                    kind=kind,
                    cert_no=item.cert_no,
                    name=item.name,
                    inspector=item.inspector,
                    export_values=item.values,
                    differences=item.changes,
                )
            )
        exported = {item.cert_no for item in importer.comparisons}
        roster = [
            inspector
            for inspector in Inspector.objects.filter(
                department_id__in=importer.department_ids
            ).only("pk", "cert_no", "name", "status")
            if inspector.cert_no not in exported
        ]
        today_statuses = selectors.statuses_on(roster, timezone.localdate())
        for inspector in roster:
            if (today_statuses[inspector.pk] or inspector.status) in GONE:
                continue
            lines.append(
                ReconciliationLine(
                    run=run,
                    kind=Kind.NOT_IN_EXPORT,
                    cert_no=inspector.cert_no,
                    name=inspector.name,
                    inspector=inspector,
                )
            )
        ReconciliationLine.objects.bulk_create(lines, batch_size=1000)
        superseded = (
            ReconciliationLine.objects.filter(resolution=ReconciliationLine.Resolution.OPEN)
            .exclude(run=run)
            .update(
                resolution=ReconciliationLine.Resolution.SUPERSEDED,
                resolved_at=timezone.now(),
                note=f"已由 {timezone.localtime():%Y-%m-%d %H:%M} 的核对取代",
            )
        )
        counts = {kind.label: sum(1 for line in lines if line.kind == kind) for kind in Kind}
        audit_create(
            run,
            by=by,
            event="inspectors.reconciliation.created",
            data={**counts, "superseded_open_lines": superseded},
        )
    return run, report


ACTIONS = {
    ReconciliationLine.Kind.NOT_ON_ROSTER: {
        "add": ("加入名录库（采用司法局库信息）", ReconciliationLine.Resolution.ADDED),
        "dismiss": ("不需处理", ReconciliationLine.Resolution.DISMISSED),
    },
    ReconciliationLine.Kind.NOT_IN_EXPORT: {
        "transfer": ("登记为调离", ReconciliationLine.Resolution.TRANSFERRED),
        "retire": ("登记为退休", ReconciliationLine.Resolution.RETIRED),
        "dismiss": ("不需处理", ReconciliationLine.Resolution.DISMISSED),
    },
    ReconciliationLine.Kind.DIFFERS: {
        "accept": ("采用司法局库信息更新名录库", ReconciliationLine.Resolution.ACCEPTED),
        "dismiss": ("保留名录库信息（不需处理）", ReconciliationLine.Resolution.DISMISSED),
    },
}


def _export_values_or_error(line: ReconciliationLine) -> dict:
    values, errors = values_from_export(line.export_values, RosterLookup.load())
    if errors:
        raise ValidationError("司法局库信息无法采用：" + "；".join(errors))
    return values


def _add_from_export(line: ReconciliationLine, *, by) -> Inspector:
    if Inspector.objects.filter(cert_no=line.cert_no).exists():
        raise ValidationError("该执法证号已在名录库中，无需再加入；请选择“不需处理”并说明。")
    values = _export_values_or_error(line)
    fields = {
        name: values[name]
        for name in ("cert_no", *SCALAR_FIELDS)
        if values.get(name) not in (None, "")
    }
    tags = [*(values.get("field_tags") or []), *(values.get("expertise_tags") or [])]
    return inspector_create(by=by, tags=tags, **fields)


def _accept_export(line: ReconciliationLine, *, by) -> None:
    inspector = Inspector.objects.select_for_update().get(pk=line.inspector_id)
    values = _export_values_or_error(line)
    lookup = RosterLookup.load()
    tag_ids = set(inspector.tags.values_list("pk", flat=True))
    _changes, updates, new_tag_ids = differences(inspector, values, tag_ids, lookup)
    tags = [lookup.tags_by_id[pk] for pk in new_tag_ids] if new_tag_ids != tag_ids else None
    inspector_update(by=by, inspector=inspector, tags=tags, **updates)


@transaction.atomic
def reconciliation_line_resolve(
    *,
    by,
    line: ReconciliationLine,
    action: str,
    note: str = "",
    effective_on: dt.date | None = None,
) -> ReconciliationLine:
    """Section 4 settles one line: add, mark gone, accept the export, or dismiss with a reason.

    The roster changes go through the roster services (with their own audit entries); the
    line records the decision.
    """
    line = ReconciliationLine.objects.select_for_update().get(pk=line.pk)
    if not line.is_open:
        raise ValidationError("该核对项已处理，不能重复处理。")
    actions = ACTIONS[line.kind]
    if action not in actions:
        raise ValidationError({"action": "该核对项不能这样处理。"})
    note = (note or "").strip()
    if action == "dismiss" and not note:
        raise ValidationError({"note": "请填写不需处理的理由。"})
    if action in ("transfer", "retire") and effective_on is None:
        raise ValidationError({"effective_on": "请填写调离或退休的生效日期。"})
    before = snapshot(line, ("resolution", "note", "effective_on", "inspector", "resolved_by"))
    if action == "add":
        line.inspector = _add_from_export(line, by=by)
    elif action in ("transfer", "retire"):
        try:
            inspector_change_status(
                by=by,
                inspector=line.inspector,
                status=Status.TRANSFERRED if action == "transfer" else Status.RETIRED,
                starts_on=effective_on,
                reason=f"应纳尽纳核对：{note or '司法局库中已无此人'}",
            )
        except ValidationError as error:
            raise ValidationError({"effective_on": error.messages}) from error
    elif action == "accept":
        _accept_export(line, by=by)
    line.resolution = actions[action][1]
    line.note = note
    line.effective_on = effective_on if action in ("transfer", "retire") else None
    line.resolved_by = by
    line.resolved_at = timezone.now()
    line.save()
    audit_update(line, before, by=by, event="inspectors.reconciliation.line_resolved")
    return line

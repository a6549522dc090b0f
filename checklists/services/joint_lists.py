"""The "一业一查" joint item lists: content, retirement and guideline attachments."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from checklists.models import JointItemList, JointListAttachment, JointListItem
from checklists.rules import require_active_items
from checklists.validators import validate_attachment
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.services import audit_create, audit_delete, audit_record, diff


@dataclass
class JointListSpec:
    name: str
    industry: str
    lead_department: object  # inspectors.Department
    participating_departments: list
    effective_from: dt.date
    entries: list[tuple] = field(default_factory=list)  # (department, CheckItem), in order
    sectors: list = field(default_factory=list)
    guidelines: str = ""


def joint_list_document(joint_list: JointItemList) -> dict:
    """The readable content of a joint list, for its audit entries."""
    return {
        "name": joint_list.name,
        "industry": joint_list.industry,
        "lead_department": str(joint_list.lead_department),
        "participating_departments": sorted(
            str(department) for department in joint_list.participating_departments.all()
        ),
        "sectors": [sector.name for sector in joint_list.sectors.all()],
        "guidelines": joint_list.guidelines,
        "effective_from": joint_list.effective_from.isoformat(),
        "retired_from": joint_list.retired_from.isoformat() if joint_list.retired_from else None,
        "retire_reason": joint_list.retire_reason,
        "entries": [
            f"{entry.department}：{entry.item}"
            for entry in joint_list.entries.select_related("department", "item")
        ],
    }


def _spec_document(spec: JointListSpec) -> dict:
    sectors = sorted(spec.sectors, key=lambda sector: (sector.sort_order, sector.name))
    return {
        "name": spec.name.strip(),
        "industry": spec.industry.strip(),
        "lead_department": str(spec.lead_department),
        "participating_departments": sorted(str(d) for d in spec.participating_departments),
        "sectors": [sector.name for sector in sectors],
        "guidelines": spec.guidelines.strip(),
        "effective_from": spec.effective_from.isoformat(),
        "entries": [f"{department}：{item}" for department, item in spec.entries],
    }


def _check_spec(spec: JointListSpec, *, exclude_pk=None) -> None:
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(message)

    if JointItemList.objects.filter(name=spec.name.strip()).exclude(pk=exclude_pk).exists():
        add("name", f"名称为「{spec.name.strip()}」的联合清单已存在。")
    participants = list(spec.participating_departments)
    lead = spec.lead_department
    if lead is not None and any(department.pk == lead.pk for department in participants):
        add("participating_departments", "牵头部门不必再选为参与部门。")
    if not participants:
        add("participating_departments", "“一业一查”联合清单至少要有一个参与部门。")
    if not spec.entries:
        add("entries", "请为各部门列出检查事项。")
    departments = {department.pk: department for department in participants}
    if lead is not None:
        departments[lead.pk] = lead
    seen = set()
    for department, item in spec.entries:
        if department.pk not in departments:
            add("entries", f"「{department}」不是本清单的牵头或参与部门，不能承担检查事项。")
        if item.pk in seen:
            add("entries", f"抽查事项「{item.name}」重复列出。")
        seen.add(item.pk)
    if spec.entries:
        checked = {department.pk for department, _item in spec.entries}
        for pk, department in departments.items():
            if pk not in checked:
                add("entries", f"部门「{department}」在清单中没有检查事项。")
        # 清单之外无检查: a joint list may only name items in force when it takes effect.
        on = max(spec.effective_from or timezone.localdate(), timezone.localdate())
        try:
            require_active_items(
                [item for _department, item in spec.entries], on=on, purpose="联合抽查清单"
            )
        except ValidationError as error:
            for message in error.messages:
                add("entries", message)
    if errors:
        raise ValidationError(errors)


def _write(joint_list: JointItemList, spec: JointListSpec) -> None:
    joint_list.name = spec.name.strip()
    joint_list.industry = spec.industry.strip()
    joint_list.lead_department = spec.lead_department
    joint_list.guidelines = spec.guidelines.strip()
    joint_list.effective_from = spec.effective_from
    joint_list.full_clean(validate_unique=False)
    joint_list.save()
    joint_list.participating_departments.set(spec.participating_departments)
    joint_list.sectors.set(spec.sectors)
    joint_list.entries.all().delete()
    JointListItem.objects.bulk_create(
        JointListItem(joint_list=joint_list, department=department, item=item, position=position)
        for position, (department, item) in enumerate(spec.entries, start=1)
    )


@transaction.atomic
def joint_list_create(*, by, spec: JointListSpec) -> JointItemList:
    _check_spec(spec)
    joint_list = JointItemList()
    _write(joint_list, spec)
    document = joint_list_document(joint_list)
    audit_record(
        action=AuditEntry.Action.CREATE,
        obj=joint_list,
        by=by,
        event="checklists.joint_list.created",
        changes={name: [None, value] for name, value in document.items() if value},
    )
    return joint_list


@transaction.atomic
def joint_list_update(*, by, joint_list: JointItemList, spec: JointListSpec) -> bool:
    """Save the new content; False (and nothing written) when nothing changed."""
    joint_list = JointItemList.objects.select_for_update().get(pk=joint_list.pk)
    if joint_list.retired_from is not None and joint_list.retired_from <= timezone.localdate():
        raise ValidationError(f"该联合清单已于{joint_list.retired_from:%Y-%m-%d}停用，不能再修改。")
    _check_spec(spec, exclude_pk=joint_list.pk)
    before = joint_list_document(joint_list)
    if not diff(before, {**before, **_spec_document(spec)}):
        return False
    _write(joint_list, spec)
    changes = diff(before, joint_list_document(joint_list))
    audit_record(
        action=AuditEntry.Action.UPDATE,
        obj=joint_list,
        by=by,
        event="checklists.joint_list.changed",
        changes=changes,
    )
    return True


@transaction.atomic
def joint_list_retire(
    *, by, joint_list: JointItemList, retired_from: dt.date, reason: str
) -> JointItemList:
    joint_list = JointItemList.objects.select_for_update().get(pk=joint_list.pk)
    today = timezone.localdate()
    if joint_list.retired_from is not None and joint_list.retired_from <= today:
        raise ValidationError(f"该联合清单已于{joint_list.retired_from:%Y-%m-%d}停用。")
    errors = {}
    if retired_from is None or retired_from < today:
        errors["retired_from"] = "停用日期不能早于今天。"
    elif retired_from < joint_list.effective_from:
        errors["retired_from"] = (
            f"停用日期不能早于生效日期（{joint_list.effective_from:%Y-%m-%d}）。"
        )
    if not (reason or "").strip():
        errors["reason"] = "请填写停用原因。"
    if errors:
        raise ValidationError(errors)
    before = joint_list_document(joint_list)
    joint_list.retired_from = retired_from
    joint_list.retire_reason = reason.strip()[:200]
    joint_list.save(update_fields=["retired_from", "retire_reason", "updated_at"])
    audit_record(
        action=AuditEntry.Action.UPDATE,
        obj=joint_list,
        by=by,
        event="checklists.joint_list.retired",
        changes=diff(before, joint_list_document(joint_list)),
        data={"reason": joint_list.retire_reason},
    )
    return joint_list


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def joint_list_attachment_add(
    *, by, joint_list: JointItemList, title: str, upload
) -> JointListAttachment:
    try:
        validate_attachment(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    title = (title or "").strip() or upload.name.rsplit(".", 1)[0]
    attachment = JointListAttachment(
        joint_list=joint_list,
        title=title[:200],
        original_name=upload.name[-255:],
        size=upload.size,
        sha256=_sha256(upload),
        uploaded_by=by,
    )
    attachment.file.save(upload.name, upload, save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    audit_create(attachment, by=by, event="checklists.joint_list.attachment_added")
    return attachment


@transaction.atomic
def joint_list_attachment_remove(*, by, attachment: JointListAttachment) -> None:
    audit_delete(
        attachment,
        by=by,
        event="checklists.joint_list.attachment_removed",
        data={"sha256": attachment.sha256, "size": attachment.size},
    )
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    # Remove the stored file only once the removal is committed.
    transaction.on_commit(lambda: storage.delete(stored))

"""Writes to the enterprise register: enterprises, credit grades, recusals and check visits.

Every service is keyword-only, runs in one transaction, validates with `full_clean()` and
writes its audit entry. The imports (`campaigns.imports`) write in bulk but follow the same
rules, which live here where both need them (`grade_change_problem`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CheckVisit, CreditGrade, CreditGradeChange, Enterprise, Recusal
from campaigns.models.register import normalize_industry_code
from campaigns.uscc import normalize_uscc
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.services import audit_create, audit_record, audit_update, snapshot
from shijiazhuang_sr.core.notifications import notify

# What the enterprise form edits. Grades change through enterprise_change_grade only, so that
# each change is kept in the history with its date and source.
PROFILE_FIELDS = (
    "name",
    "legal_representative",
    "address",
    "area",
    "industry_code",
    "scale",
    "is_key_supervision",
    "key_supervision_reason",
    "standardisation_level",
    "status",
    "contact_person",
    "contact_phone",
)
GRADE_FIELDS = ("credit_grade", "credit_grade_date", "credit_grade_source")
# What the audit trail records of an enterprise (not the search column, not timestamps).
AUDITED_FIELDS = (
    "uscc",
    *PROFILE_FIELDS,
    "supervision_sectors",
    "responsible_sections",
    *GRADE_FIELDS,
)
MANUAL_SOURCE = "人工调整"
KEY_REASON_MISSING = "列为重点监管的企业须填写重点监管原因（如：构成重大危险源）。"


# --- Enterprises --------------------------------------------------------------------------------


def _tidy(enterprise: Enterprise) -> None:
    """Normalise what people type, and keep the derived columns in step."""
    enterprise.uscc = normalize_uscc(enterprise.uscc)
    for name in ("name", "legal_representative", "address", "contact_person", "contact_phone"):
        setattr(enterprise, name, " ".join((getattr(enterprise, name) or "").split()))
    enterprise.industry_code = normalize_industry_code(enterprise.industry_code)
    enterprise.key_supervision_reason = (enterprise.key_supervision_reason or "").strip()
    if not enterprise.is_key_supervision:
        enterprise.key_supervision_reason = ""
    enterprise.refresh_name_grams()


def _check_unique_uscc(enterprise: Enterprise) -> None:
    other = Enterprise.objects.filter(uscc=enterprise.uscc).exclude(pk=enterprise.pk).first()
    if other is not None:
        raise ValidationError(
            {"uscc": f"名录库中已有该统一社会信用代码的企业：{other.name}。"}, code="unique"
        )


def _check_key_supervision(enterprise: Enterprise) -> None:
    if enterprise.is_key_supervision and not enterprise.key_supervision_reason:
        raise ValidationError({"key_supervision_reason": KEY_REASON_MISSING})


@transaction.atomic
def enterprise_create(
    *,
    by,
    uscc: str,
    sectors: Iterable = (),
    sections: Iterable = (),
    grade: str = "",
    grade_date: dt.date | None = None,
    grade_source: str = "",
    **profile,
) -> Enterprise:
    """Add an enterprise to the register, with its first credit grade when one is given."""
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown enterprise fields: {sorted(unknown)}")
    enterprise = Enterprise(uscc=uscc, **profile)
    _tidy(enterprise)
    _check_unique_uscc(enterprise)
    _check_key_supervision(enterprise)
    enterprise.full_clean(validate_unique=False)
    enterprise.save()
    enterprise.supervision_sectors.set(sectors)
    enterprise.responsible_sections.set(sections)
    audit_record(
        action=AuditEntry.Action.CREATE,
        obj=enterprise,
        by=by,
        event="campaigns.enterprise.created",
        changes={
            name: [None, value]
            for name, value in snapshot(enterprise, AUDITED_FIELDS).items()
            if value not in (None, "", [], False)
        },
    )
    if grade:
        enterprise_change_grade(
            by=by,
            enterprise=enterprise,
            grade=grade,
            effective_date=grade_date or timezone.localdate(),
            source=grade_source or MANUAL_SOURCE,
        )
        enterprise.refresh_from_db()
    return enterprise


@transaction.atomic
def enterprise_update(
    *, by, enterprise: Enterprise, sectors: Iterable | None = None, sections=None, **profile
) -> Enterprise:
    """Change an enterprise's profile (not its USCC, not its grade). Unchanged writes nothing."""
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown enterprise fields: {sorted(unknown)}")
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    before = snapshot(enterprise, AUDITED_FIELDS)
    for name, value in profile.items():
        setattr(enterprise, name, value)
    _tidy(enterprise)
    _check_key_supervision(enterprise)
    enterprise.full_clean(validate_unique=False)
    enterprise.save()
    if sectors is not None:
        enterprise.supervision_sectors.set(sectors)
    if sections is not None:
        enterprise.responsible_sections.set(sections)
    audit_update(enterprise, before, by=by, event="campaigns.enterprise.changed")
    return enterprise


# --- Credit grades ------------------------------------------------------------------------------


GRADES = frozenset(CreditGrade.values)


def grade_change_problem(
    *,
    current_grade: str,
    current_date: dt.date | None,
    grade: str,
    effective_date: dt.date,
    today: dt.date | None = None,
) -> str | None:
    """Why a grade cannot be given with that date, or None. Shared by the form and the imports.

    A grade never takes effect in the future, and never before the current grade's date: the
    current grade must stay the last one in the history (`grade_on` relies on it).
    """
    if grade not in GRADES:
        return "信用等级应为 A、B、C、D 之一。"
    if effective_date > (today or timezone.localdate()):
        return f"生效日期 {effective_date:%Y-%m-%d} 晚于今天，不能登记尚未生效的等级。"
    if current_date is not None and effective_date < current_date:
        return (
            f"生效日期 {effective_date:%Y-%m-%d} 早于现有等级 {current_grade}（"
            f"{current_date:%Y-%m-%d} 起）的生效日期，不能登记较早的等级。"
        )
    return None


@transaction.atomic
def enterprise_change_grade(
    *, by, enterprise: Enterprise, grade: str, effective_date: dt.date, source: str
) -> CreditGradeChange:
    """Give an enterprise a new credit grade, kept in its history."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    source = " ".join((source or "").split())[:200]
    problem = grade_change_problem(
        current_grade=enterprise.credit_grade,
        current_date=enterprise.credit_grade_date,
        grade=grade,
        effective_date=effective_date,
    )
    if problem:
        raise ValidationError({"grade": problem})
    if grade == enterprise.credit_grade:
        raise ValidationError({"grade": f"该企业现在就是 {grade} 级，无需调整。"})
    if not source:
        raise ValidationError({"source": "请填写等级来源或调整依据。"})
    before = snapshot(enterprise, GRADE_FIELDS)
    change = CreditGradeChange(
        enterprise=enterprise,
        old_grade=enterprise.credit_grade,
        new_grade=grade,
        effective_date=effective_date,
        source=source,
        recorded_by=by,
    )
    change.full_clean()
    change.save()
    enterprise.credit_grade = grade
    enterprise.credit_grade_date = effective_date
    enterprise.credit_grade_source = source
    enterprise.save(update_fields=[*GRADE_FIELDS, "updated_at"])
    audit_update(
        enterprise,
        before,
        by=by,
        event="campaigns.enterprise.grade_changed",
        data={"grade_change": change.pk},
    )
    return change


# --- Recusals -----------------------------------------------------------------------------------


def _approvers():
    permission = Permission.objects.get(
        content_type__app_label="campaigns", codename="approve_recusal"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions=permission) | Q(user_permissions=permission))
        .distinct()
    )


def _overlapping(recusal: Recusal):
    """Pending or approved recusals of the same pair whose period meets this one's."""
    others = Recusal.objects.filter(
        inspector=recusal.inspector_id,
        enterprise=recusal.enterprise_id,
        status__in=[Recusal.Status.PENDING, Recusal.Status.APPROVED],
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=recusal.valid_from))
    if recusal.valid_to is not None:
        others = others.filter(valid_from__lte=recusal.valid_to)
    return others.exclude(pk=recusal.pk)


@transaction.atomic
def recusal_create(
    *,
    by,
    inspector,
    enterprise: Enterprise,
    reason: str,
    description: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> Recusal:
    """Declare a recusal (an inspector for themselves, or staff for an enterprise's request).

    It waits for the decision of 综合执法四科; the approvers are told.
    """
    recusal = Recusal(
        inspector=inspector,
        enterprise=enterprise,
        reason=reason,
        description=(description or "").strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        declared_by=by,
    )
    recusal.full_clean(validate_constraints=False)
    if recusal.valid_to is not None and recusal.valid_to < recusal.valid_from:
        raise ValidationError({"valid_to": "有效期至不能早于有效期自。"})
    if recusal.valid_to is not None and recusal.valid_to < timezone.localdate():
        raise ValidationError({"valid_to": "有效期已过，无需登记回避。"})
    existing = _overlapping(recusal).first()
    if existing is not None:
        raise ValidationError(
            f"{inspector.name}对该企业已有{existing.get_status_display()}的回避登记"
            f"（{existing.valid_from:%Y-%m-%d} 起），期间重叠，无需重复登记。"
        )
    recusal.save()
    own = getattr(inspector, "user_id", None) == getattr(by, "pk", None)
    audit_create(
        recusal,
        by=by,
        event="campaigns.recusal.declared" if own else "campaigns.recusal.recorded",
    )
    notify(
        [user for user in _approvers() if user.pk != by.pk],
        f"{inspector.name}与{enterprise.name}的回避申请待审核",
        url=reverse("campaigns:recusal_detail", args=[recusal.pk]),
        body=f"{recusal.get_reason_display()}：{recusal.description}",
    )
    return recusal


DECISION_FIELDS = ("status", "decided_by", "decided_at", "decision_note")
WITHDRAW_FIELDS = ("status", "withdrawn_by", "withdrawn_at", "withdraw_reason")


def _lock(recusal: Recusal) -> Recusal:
    return (
        Recusal.objects.select_for_update()
        .select_related("inspector", "enterprise", "declared_by")
        .get(pk=recusal.pk)
    )


def _tell_declarer(recusal: Recusal, title: str, body: str = "") -> None:
    recipients = [recusal.declared_by]
    inspector_user = recusal.inspector.user
    if inspector_user is not None:
        recipients.append(inspector_user)
    notify(
        recipients,
        title,
        url=reverse("campaigns:recusal_detail", args=[recusal.pk]),
        body=body,
    )


@transaction.atomic
def recusal_approve(*, by, recusal: Recusal, note: str = "") -> Recusal:
    recusal = _lock(recusal)
    if recusal.status != Recusal.Status.PENDING:
        raise ValidationError(f"该回避登记{recusal.get_status_display()}，不能再审核。")
    before = snapshot(recusal, DECISION_FIELDS)
    recusal.status = Recusal.Status.APPROVED
    recusal.decided_by = by
    recusal.decided_at = timezone.now()
    recusal.decision_note = (note or "").strip()[:500]
    recusal.save(update_fields=list(DECISION_FIELDS))
    audit_update(recusal, before, by=by, event="campaigns.recusal.approved")
    _tell_declarer(
        recusal,
        f"{recusal.inspector.name}与{recusal.enterprise.name}的回避申请已批准",
        recusal.decision_note,
    )
    return recusal


@transaction.atomic
def recusal_reject(*, by, recusal: Recusal, note: str) -> Recusal:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "驳回须说明理由。"})
    recusal = _lock(recusal)
    if recusal.status != Recusal.Status.PENDING:
        raise ValidationError(f"该回避登记{recusal.get_status_display()}，不能再审核。")
    before = snapshot(recusal, DECISION_FIELDS)
    recusal.status = Recusal.Status.REJECTED
    recusal.decided_by = by
    recusal.decided_at = timezone.now()
    recusal.decision_note = note[:500]
    recusal.save(update_fields=list(DECISION_FIELDS))
    audit_update(recusal, before, by=by, event="campaigns.recusal.rejected")
    _tell_declarer(
        recusal, f"{recusal.inspector.name}与{recusal.enterprise.name}的回避申请被驳回", note
    )
    return recusal


def can_withdraw(user, recusal: Recusal) -> bool:
    """The declarer withdraws their own pending declaration; approvers revoke an approved one
    (a pending one they reject, with a reason)."""
    if recusal.status == Recusal.Status.PENDING:
        return recusal.declared_by_id == user.pk
    return recusal.status == Recusal.Status.APPROVED and user.has_perm("campaigns.approve_recusal")


@transaction.atomic
def recusal_withdraw(*, by, recusal: Recusal, reason: str) -> Recusal:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请说明撤销原因。"})
    recusal = _lock(recusal)
    if not can_withdraw(by, recusal):
        raise ValidationError(f"该回避登记{recusal.get_status_display()}，您不能撤销。")
    before = snapshot(recusal, WITHDRAW_FIELDS)
    recusal.status = Recusal.Status.WITHDRAWN
    recusal.withdrawn_by = by
    recusal.withdrawn_at = timezone.now()
    recusal.withdraw_reason = reason[:500]
    recusal.save(update_fields=list(WITHDRAW_FIELDS))
    audit_update(recusal, before, by=by, event="campaigns.recusal.withdrawn")
    if recusal.declared_by_id != by.pk:
        _tell_declarer(
            recusal, f"{recusal.inspector.name}与{recusal.enterprise.name}的回避已撤销", reason
        )
    return recusal


# --- Check visits -------------------------------------------------------------------------------


@transaction.atomic
def check_visit_record(
    *,
    by,
    enterprise: Enterprise,
    visited_on: dt.date,
    departments: Iterable,
    source: str = CheckVisit.Source.MANUAL,
    reference: str = "",
    note: str = "",
) -> CheckVisit:
    """Record one check of an enterprise. A second record of the same visit (same enterprise,
    day and reference, e.g. by another department of a joint check) adds its departments to the
    first instead of counting twice."""
    departments = list(departments)
    if not departments:
        raise ValidationError({"departments": "请选择参与检查的部门。"})
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": "检查日期不能晚于今天。"})
    reference = " ".join((reference or "").split())
    same = None
    if reference:
        same = (
            CheckVisit.objects.select_for_update()
            .filter(enterprise=enterprise, visited_on=visited_on, reference=reference)
            .first()
        )
    if same is not None:
        before = snapshot(same, ["departments"])
        same.departments.add(*departments)
        audit_update(same, before, by=by, event="campaigns.check_visit.joined")
        return same
    visit = CheckVisit(
        enterprise=enterprise,
        visited_on=visited_on,
        reference=reference,
        source=source,
        note=(note or "").strip(),
        recorded_by=by,
    )
    visit.full_clean()
    visit.save()
    visit.departments.set(departments)
    audit_create(visit, by=by, event="campaigns.check_visit.recorded")
    return visit

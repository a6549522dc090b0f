"""A section's request to add an item: submit → approve (the item is created) or reject."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from checklists.models import CheckItem, CheckItemRequest, RequestLegalBasis, RequestSubItem
from checklists.services.items import check_item_create
from checklists.specs import SCALAR_FIELDS, ItemSpec
from shijiazhuang_sr.accounts.roles import Role
from shijiazhuang_sr.audit.services import audit_create, audit_update, snapshot
from shijiazhuang_sr.core.notifications import notify

DECISION_FIELDS = ("status", "decided_by", "decided_at", "decision_note", "created_item")


def _lists_data(spec: ItemSpec) -> dict:
    return {
        "sub_items": [text.strip() for text in spec.sub_items],
        "legal_bases": [basis.label() for basis in spec.legal_bases],
    }


def _deciders():
    return get_user_model().objects.filter(is_active=True, groups__name=Role.SECTION4).distinct()


@transaction.atomic
def item_request_submit(*, by, spec: ItemSpec, justification: str) -> CheckItemRequest:
    """A section chief proposes an item for their own section."""
    if by.section_id is None:
        raise ValidationError("您的账号没有所属科室，不能提交新增申请，请联系系统管理员。")
    spec.responsible_section = by.section
    spec.normalize()
    spec.check_lists()
    code = spec.code.strip()
    if code and CheckItem.objects.filter(code=code).exists():
        raise ValidationError({"code": f"事项编码「{code}」已在抽查事项清单中，无需申请新增。"})
    request = CheckItemRequest(
        section=by.section,
        requested_by=by,
        justification=(justification or "").strip(),
        code=code,
    )
    for name in SCALAR_FIELDS:
        if name in ("code", "responsible_section", "effective_from"):
            continue
        value = getattr(spec, name)
        setattr(request, name, value.strip() if isinstance(value, str) else value)
    if not request.justification:
        raise ValidationError(
            {"justification": "请说明申请理由（如新法规施行、省平台新增监管事项）。"}
        )
    request.full_clean()
    request.save()
    request.sectors.set(spec.sectors)
    RequestSubItem.objects.bulk_create(
        RequestSubItem(request=request, position=position, content=text)
        for position, text in enumerate(spec.sub_items, start=1)
    )
    RequestLegalBasis.objects.bulk_create(
        RequestLegalBasis(
            request=request,
            position=position,
            kind=basis.kind,
            title=basis.title,
            article=basis.article,
            excerpt=basis.excerpt,
        )
        for position, basis in enumerate(spec.legal_bases, start=1)
    )
    audit_create(request, by=by, event="checklists.item_request.submitted", data=_lists_data(spec))
    notify(
        _deciders(),
        f"{request.section}申请新增抽查事项「{request.name}」，请审批",
        url=reverse("checklists:request_detail", args=[request.pk]),
        body=request.justification,
    )
    return request


def _lock_pending(request: CheckItemRequest) -> CheckItemRequest:
    request = (
        CheckItemRequest.objects.select_for_update()
        .select_related("section", "requested_by")
        .get(pk=request.pk)
    )
    if request.status != CheckItemRequest.Status.PENDING:
        raise ValidationError(f"该申请{request.get_status_display()}，不能再处理。")
    return request


@transaction.atomic
def item_request_approve(
    *, by, request: CheckItemRequest, code: str, effective_from: dt.date, note: str = ""
) -> CheckItem:
    """Create the item from the request (in the same transaction) and tell the requester."""
    request = _lock_pending(request)
    before = snapshot(request, DECISION_FIELDS)
    spec = ItemSpec.from_item(request)
    spec.code = (code or "").strip()
    spec.effective_from = effective_from
    if not spec.code:
        raise ValidationError({"code": "请确定事项编码。"})
    item = check_item_create(
        by=by,
        spec=spec,
        reason=f"批准{request.section}的新增申请（#{request.pk}）",
        data={"request": request.pk},
    )
    request.status = CheckItemRequest.Status.APPROVED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = (note or "").strip()[:500]
    request.created_item = item
    request.save(update_fields=list(DECISION_FIELDS))
    audit_update(request, before, by=by, event="checklists.item_request.approved")
    notify(
        [request.requested_by],
        f"您申请新增的抽查事项「{item.name}」已批准，{effective_from:%Y-%m-%d}起生效",
        url=reverse("checklists:item_detail", args=[item.pk]),
        body=request.decision_note,
    )
    return item


@transaction.atomic
def item_request_reject(*, by, request: CheckItemRequest, reason: str) -> CheckItemRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "退回申请须说明理由。"})
    request = _lock_pending(request)
    before = snapshot(request, DECISION_FIELDS)
    request.status = CheckItemRequest.Status.REJECTED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = reason[:500]
    request.save(update_fields=list(DECISION_FIELDS))
    audit_update(request, before, by=by, event="checklists.item_request.rejected")
    notify(
        [request.requested_by],
        f"您申请新增的抽查事项「{request.name}」已退回",
        url=reverse("checklists:request_detail", args=[request.pk]),
        body=f"退回理由：{reason}",
    )
    return request


@transaction.atomic
def item_request_withdraw(*, by, request: CheckItemRequest) -> CheckItemRequest:
    """The requesting section takes back a pending request."""
    request = _lock_pending(request)
    if by.section_id != request.section_id:
        raise ValidationError("只能撤回本科室的申请。")
    before = snapshot(request, DECISION_FIELDS)
    request.status = CheckItemRequest.Status.WITHDRAWN
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    audit_update(request, before, by=by, event="checklists.item_request.withdrawn")
    return request

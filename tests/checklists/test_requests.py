"""A section proposes an item; 综合执法四科 approves (the item is created) or rejects it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from checklists import services
from checklists.models import CheckItem, CheckItemRequest
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.core.models import Notification
from tests.checklists.factories import make_item, make_request

EFFECTIVE = dt.date(2025, 7, 1)


def test_a_chief_proposes_an_item_for_their_own_section(chief, section4):
    request = make_request(chief, name="智能化管控平台应用")
    assert request.status == CheckItemRequest.Status.PENDING
    assert request.section == chief.section
    assert request.requested_by == chief
    assert [basis.title for basis in request.legal_bases.all()] == ["《危险化学品安全管理条例》"]
    entry = AuditEntry.objects.get(event="checklists.item_request.submitted")
    assert entry.actor == chief
    assert entry.changes["name"] == [None, "智能化管控平台应用"]
    assert entry.data["legal_bases"][0].startswith("行政法规｜《危险化学品安全管理条例》")
    # Section 4 is told there is something to decide.
    assert Notification.objects.filter(user=section4, title__contains="智能化管控平台应用").exists()


def test_a_request_needs_a_reason_and_a_legal_basis(chief):
    with pytest.raises(ValidationError) as error:
        make_request(chief, justification=" ")
    assert "justification" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_request(chief, legal_bases=[])
    assert "legal_bases" in error.value.message_dict
    assert not CheckItemRequest.objects.exists()


def test_a_request_for_a_code_already_listed_is_refused(chief):
    make_item(code="HB-9")
    with pytest.raises(ValidationError) as error:
        make_request(chief, code="HB-9")
    assert "已在抽查事项清单中" in error.value.message_dict["code"][0]


def test_approving_creates_the_item_and_tells_the_requester(chief, section4):
    request = make_request(chief, name="智能化管控平台应用")
    item = services.item_request_approve(
        by=section4, request=request, code="HB-YJ-99", effective_from=EFFECTIVE, note="同意"
    )
    request.refresh_from_db()
    assert request.status == CheckItemRequest.Status.APPROVED
    assert request.created_item == item
    assert request.decided_by == section4 and request.decision_note == "同意"
    assert item.code == "HB-YJ-99" and item.effective_from == EFFECTIVE
    assert item.responsible_section == chief.section
    assert [sub.content for sub in item.sub_items.all()] == [
        sub.content for sub in request.sub_items.all()
    ]
    assert item.versions.get().reason == f"批准{chief.section}的新增申请（#{request.pk}）"
    entry = AuditEntry.objects.get(event="checklists.item_request.approved")
    assert entry.changes["status"] == ["待审批", "已批准"]
    assert AuditEntry.objects.filter(event="checklists.item.created", actor=section4).exists()
    notice = Notification.objects.get(user=chief)
    assert "已批准" in notice.title and notice.url == f"/checklists/items/{item.pk}/"


def test_approval_is_all_or_nothing(chief, section4):
    make_item(code="HB-TAKEN")
    request = make_request(chief)
    with pytest.raises(ValidationError):
        services.item_request_approve(
            by=section4, request=request, code="HB-TAKEN", effective_from=EFFECTIVE
        )
    request.refresh_from_db()
    assert request.status == CheckItemRequest.Status.PENDING
    assert CheckItem.objects.count() == 1
    assert not Notification.objects.filter(user=chief).exists()


def test_rejecting_needs_a_reason_and_tells_the_requester(chief, section4):
    request = make_request(chief)
    with pytest.raises(ValidationError):
        services.item_request_reject(by=section4, request=request, reason="")
    services.item_request_reject(by=section4, request=request, reason="已有同类事项 HB-YJ-WH-008")
    request.refresh_from_db()
    assert request.status == CheckItemRequest.Status.REJECTED
    assert request.decision_note == "已有同类事项 HB-YJ-WH-008"
    entry = AuditEntry.objects.get(event="checklists.item_request.rejected")
    assert entry.changes["decision_note"] == ["", "已有同类事项 HB-YJ-WH-008"]
    notice = Notification.objects.get(user=chief)
    assert "退回" in notice.title and "HB-YJ-WH-008" in notice.body
    assert not CheckItem.objects.exists()


def test_a_decided_request_cannot_be_decided_again(chief, section4):
    request = make_request(chief)
    services.item_request_reject(by=section4, request=request, reason="重复")
    with pytest.raises(ValidationError) as error:
        services.item_request_approve(
            by=section4, request=request, code="HB-1", effective_from=EFFECTIVE
        )
    assert "已退回" in error.value.messages[0]


def test_the_section_withdraws_its_pending_request(chief, other_chief):
    request = make_request(chief)
    with pytest.raises(ValidationError):
        services.item_request_withdraw(by=other_chief, request=request)
    services.item_request_withdraw(by=chief, request=request)
    request.refresh_from_db()
    assert request.status == CheckItemRequest.Status.WITHDRAWN
    assert AuditEntry.objects.filter(event="checklists.item_request.withdrawn").exists()


def test_a_user_without_a_section_cannot_propose(chief):
    chief.section = None
    chief.save()
    with pytest.raises(ValidationError) as error:
        make_request(chief)
    assert "没有所属科室" in error.value.messages[0]

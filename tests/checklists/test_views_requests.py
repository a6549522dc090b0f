"""Request pages: a chief proposes, section 4 decides; each sees only what they should."""

from checklists.models import CheckItem, CheckItemRequest
from tests.checklists.factories import item_post_data, make_request


def _request_data(**overrides):
    data = item_post_data(justification="省平台新增监管事项")
    data.pop("responsible_section")
    data.pop("effective_from")
    data.pop("reason")
    data["code"] = ""
    data.update(overrides)
    return data


def test_a_chief_submits_a_request_with_two_legal_bases(client_for, chief):
    data = _request_data(
        **{
            "basis-TOTAL_FORMS": "2",
            "basis-1-kind": "national_standard",
            "basis-1-title": "GB 30871-2022《危险化学品企业特殊作业安全规范》",
            "basis-1-article": "第4章",
            "basis-1-excerpt": "",
        }
    )
    response = client_for(chief).post("/checklists/requests/new/", data)
    request = CheckItemRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/checklists/requests/{request.pk}/"
    assert request.section == chief.section
    assert request.legal_bases.count() == 2


def test_a_request_without_a_reason_keeps_the_input(client_for, chief):
    response = client_for(chief).post("/checklists/requests/new/", _request_data(justification=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "有限空间作业安全" in page and "是否落实先通风、再检测、后作业" in page
    assert "请说明申请理由" in page
    assert not CheckItemRequest.objects.exists()


def test_a_chief_sees_only_their_sections_requests(client_for, chief, other_chief):
    mine = make_request(chief, name="本科室的申请")
    theirs = make_request(other_chief, name="工贸科的申请")
    client = client_for(chief)
    page = client.get("/checklists/requests/").content.decode()
    assert "本科室的申请" in page and "工贸科的申请" not in page
    assert client.get(f"/checklists/requests/{theirs.pk}/").status_code == 404
    assert client.get(f"/checklists/requests/{mine.pk}/").status_code == 200


def test_section4_sees_all_pending_requests(client_for, chief, other_chief, section4):
    make_request(chief, name="本科室的申请")
    make_request(other_chief, name="工贸科的申请")
    page = client_for(section4).get("/checklists/requests/?status=pending").content.decode()
    assert "本科室的申请" in page and "工贸科的申请" in page


def test_the_request_list_has_a_bounded_number_of_queries(
    client_for, chief, section4, django_assert_max_num_queries
):
    for number in range(20):
        make_request(chief, name=f"申请{number}")
    client = client_for(section4)
    with django_assert_max_num_queries(14):
        response = client.get("/checklists/requests/")
    assert response.status_code == 200


def test_section4_approves_from_the_request_page(client_for, chief, section4):
    request = make_request(chief, name="智能化管控平台")
    client = client_for(section4)
    page = client.get(f"/checklists/requests/{request.pk}/").content.decode()
    assert "批准" in page and "退回申请" in page
    response = client.post(
        f"/checklists/requests/{request.pk}/approve/",
        {"code": "HB-NEW", "effective_from": "2025-01-01", "note": "同意"},
    )
    item = CheckItem.objects.get(code="HB-NEW")
    assert response["Location"] == f"/checklists/items/{item.pk}/"
    page = client_for(chief).get(f"/checklists/requests/{request.pk}/").content.decode()
    assert "已批准" in page and "HB-NEW" in page


def test_approval_without_a_code_shows_the_error(client_for, chief, section4):
    request = make_request(chief)
    response = client_for(section4).post(
        f"/checklists/requests/{request.pk}/approve/", {"code": "", "effective_from": "2025-01-01"}
    )
    assert response.status_code == 400
    assert not CheckItem.objects.exists()


def test_rejecting_needs_a_reason(client_for, chief, section4):
    request = make_request(chief)
    client = client_for(section4)
    response = client.post(f"/checklists/requests/{request.pk}/reject/", {"reason": ""})
    assert response.status_code == 400 and "退回申请须说明理由" in response.content.decode()
    response = client.post(f"/checklists/requests/{request.pk}/reject/", {"reason": "重复"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == CheckItemRequest.Status.REJECTED


def test_a_chief_cannot_decide_and_another_chief_cannot_withdraw(client_for, chief, other_chief):
    request = make_request(chief)
    response = client_for(chief).post(
        f"/checklists/requests/{request.pk}/approve/", {"code": "X", "effective_from": "2025-01-01"}
    )
    assert response.status_code == 403
    response = client_for(other_chief).post(f"/checklists/requests/{request.pk}/withdraw/")
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == CheckItemRequest.Status.PENDING


def test_the_home_page_counts_requests(client_for, chief, section4, other_chief):
    make_request(chief)
    make_request(other_chief)
    page = client_for(section4).get("/").content.decode()
    assert "审批各科室的抽查事项新增申请" in page
    assert '<span class="badge rounded-pill text-bg-danger">2</span>' in page
    page = client_for(chief).get("/").content.decode()
    assert "本科室待审批的抽查事项新增申请" in page
    assert '<span class="badge rounded-pill text-bg-secondary">1</span>' in page


def test_the_navigation_has_the_item_list_group(client_for, inspector_user, auditor):
    page = client_for(inspector_user).get("/").content.decode()
    assert "抽查事项" in page and 'data-nav="checklists:item_list"' in page
    assert 'data-nav="checklists:request_list"' not in page
    page = client_for(auditor).get("/").content.decode()
    assert 'data-nav="checklists:item_list"' not in page

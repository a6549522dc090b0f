"""After the draw: an inspector's task list, starting and finishing a check, the printable
双清单 notice; another inspector sees none of it."""

import pytest
from django.urls import reverse

from campaigns.models import CheckVisit, Inspection
from campaigns.selectors.campaigns import current_manifest
from campaigns.services.draws import draw_perform
from inspectors.models import Inspector
from tests.campaigns.planning import World
from tests.conftest import make_persona
from tests.inspectors.factories import InspectorFactory


@pytest.fixture
def drawn(chief, leader, inspector_user):
    # Two bureau officers and one of the market regulator for three slots: the same team for
    # every enterprise, so the inspector's tasks do not depend on the random draw.
    world = World(chief, bureau_inspectors=2, market_inspectors=1)
    Inspector.objects.filter(pk=world.bureau_inspectors[0].pk).update(user=inspector_user)
    campaign = world.published(leader)
    draw = draw_perform(manifest_id=current_manifest(campaign).pk, external_sources=["1"], by=chief)
    return world, campaign, draw


def _page(response) -> str:
    return response.content.decode()


def test_an_inspector_sees_their_tasks(
    drawn, inspector_user, client_for, django_assert_max_num_queries
):
    world, campaign, draw = drawn
    client = client_for(inspector_user)
    with django_assert_max_num_queries(16):  # the same for 11 tasks or 25 a page
        response = client.get(reverse("campaigns:my_inspections"))
    page = _page(response)
    inspections = list(draw.inspections.select_related("enterprise"))
    assert response.context["page"].paginator.count == len(inspections) == 11
    for inspection in inspections[:11]:
        assert inspection.enterprise.name in page
    assert campaign.code in page
    assert world.bureau_inspectors[1].cert_no in page  # the team's names and card numbers
    assert "开始检查" in page


def test_the_inspector_starts_and_finishes_a_check(drawn, inspector_user, client_for):
    _world, campaign, draw = drawn
    inspection = draw.inspections.order_by("position").first()
    client = client_for(inspector_user)
    start = reverse("campaigns:inspection_start", args=[inspection.pk])
    assert client.get(start).status_code == 405
    response = client.post(start, {"next": reverse("campaigns:my_inspections")}, follow=True)
    assert f"已开始检查：{inspection.enterprise.name}" in _page(response)
    inspection.refresh_from_db()
    campaign.refresh_from_db()
    assert inspection.status == Inspection.Status.IN_PROGRESS
    assert campaign.status == campaign.Status.IN_PROGRESS
    client.post(reverse("campaigns:inspection_finish", args=[inspection.pk]))
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.DONE
    assert CheckVisit.objects.filter(enterprise=inspection.enterprise).count() == 1
    done = _page(client.get(reverse("campaigns:my_inspections"), {"status": "done"}))
    assert inspection.enterprise.name in done


def test_finishing_a_check_that_has_not_started_is_refused(drawn, inspector_user, client_for):
    _world, _campaign, draw = drawn
    inspection = draw.inspections.first()
    response = client_for(inspector_user).post(
        reverse("campaigns:inspection_finish", args=[inspection.pk]), follow=True
    )
    assert "只能完成正在检查中的任务" in _page(response)


def test_the_notice_lists_the_items_the_team_and_the_documents(drawn, inspector_user, client_for):
    world, _campaign, draw = drawn
    inspection = draw.inspections.first()
    response = client_for(inspector_user).get(
        reverse("campaigns:inspection_notice", args=[inspection.pk])
    )
    page = _page(response)
    assert response.status_code == 200
    assert inspection.enterprise.name in page and inspection.enterprise.uscc in page
    assert world.item.name in page
    assert "《危险化学品安全管理条例》第二十四条" in page  # the legal basis
    assert "是否储存在专用仓库内" in page  # the content
    for member in inspection.team.select_related("inspector"):
        assert member.inspector.name in page and member.inspector.cert_no in page
    documents = response.context["documents"]
    assert documents[0] == "营业执照（副本）"
    assert "危险化学品登记证、化学品安全技术说明书和安全标签" in documents
    assert "储存场所台账和出入库记录" in documents
    assert (
        inspection.enterprise.contact_phone not in page or not inspection.enterprise.contact_phone
    )


def test_another_inspector_sees_no_task_of_this_team(drawn, client_for):
    _world, _campaign, draw = drawn
    stranger = make_persona("other_inspector")
    InspectorFactory(user=stranger)
    client = client_for(stranger)
    inspection = draw.inspections.first()
    assert client.get(reverse("campaigns:my_inspections")).context["page"].paginator.count == 0
    notice = reverse("campaigns:inspection_notice", args=[inspection.pk])
    assert client.get(notice).status_code == 404
    start = reverse("campaigns:inspection_start", args=[inspection.pk])
    assert client.post(start).status_code == 404
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.PENDING


def test_a_chief_without_an_officer_record_is_told_why_the_list_is_empty(chief, client_for):
    page = _page(client_for(chief).get(reverse("campaigns:my_inspections")))
    assert "您的账号未关联执法人员名录" in page


def test_the_section_chief_reads_a_notice_but_cannot_start_the_check(drawn, chief, client_for):
    _world, _campaign, draw = drawn
    inspection = draw.inspections.first()
    client = client_for(chief)
    assert (
        client.get(reverse("campaigns:inspection_notice", args=[inspection.pk])).status_code == 200
    )
    response = client.post(reverse("campaigns:inspection_start", args=[inspection.pk]))
    assert response.status_code == 403

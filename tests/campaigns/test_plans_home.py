"""The home page's next steps about campaigns, for the chief, the approvers and an inspector."""

import pytest
from django.urls import reverse

from campaigns.selectors.campaigns import current_manifest
from campaigns.services import plans
from campaigns.services.draws import draw_perform
from inspectors.models import Inspector
from tests.campaigns.planning import World


@pytest.fixture
def world(chief):
    return World(chief, bureau_inspectors=2, market_inspectors=1)


def _steps(client) -> dict[str, int | None]:
    response = client.get(reverse("core:home"))
    return {
        step.text: step.count for panel in response.context["panels"] for step in panel["steps"]
    }


def test_the_chief_sees_drafts_rejections_approvals_and_draws_to_make(
    world, chief, leader, client_for
):
    world.campaign(title="草稿")
    rejected = world.campaign(title="被退回")
    plans.campaign_submit(by=chief, campaign=rejected)
    plans.campaign_reject(by=leader, campaign=rejected, note="补充事项")
    approved = world.campaign(title="已批准")
    plans.campaign_submit(by=chief, campaign=approved)
    plans.campaign_approve(by=leader, campaign=approved)
    world.published(leader, title="待摇号")
    steps = _steps(client_for(chief))
    assert steps["修改被退回的抽查任务并重新提交"] == 1
    assert steps["完成抽查任务草稿并提交审批"] == 1
    assert steps["公示已批准的抽查任务（冻结摇号方案）"] == 1
    assert steps["为已公示的抽查任务摇号"] == 1


def test_approvers_see_what_waits_for_them(world, chief, leader, section4, client_for):
    submitted = world.campaign()
    plans.campaign_submit(by=chief, campaign=submitted)
    published = world.published(leader, title="已公示")
    data = plans.campaign_data(published)
    data.alternates = 5
    plans.adjustment_request(by=chief, campaign=published, reason="增加备选", data=data)
    for user in (leader, section4):
        steps = _steps(client_for(user))
        assert steps["审批各科室提交的抽查任务"] == 1
        assert steps["审批计划调整（已公示任务的变更）"] == 1
    assert _steps(client_for(section4))["组织已公示抽查任务的摇号"] == 1
    listed = client_for(leader).get(
        reverse("campaigns:campaign_list"), {"pending_adjustment": "on"}
    )
    assert [c.title for c in listed.context["page"].object_list] == ["已公示"]


def test_an_inspector_sees_their_open_checks(world, chief, leader, inspector_user, client_for):
    Inspector.objects.filter(pk=world.bureau_inspectors[0].pk).update(user=inspector_user)
    campaign = world.published(leader)
    draw_perform(manifest_id=current_manifest(campaign).pk, external_sources=["1"], by=chief)
    steps = _steps(client_for(inspector_user))
    assert steps["我的检查任务：打印双清单告知书，开始和完成检查"] == 11

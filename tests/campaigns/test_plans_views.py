"""Annual plans, the campaign planning form and the approval workflow, through the pages."""

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.models import AnnualPlan, Campaign, Manifest, PlanAdjustment
from campaigns.selectors.campaigns import current_manifest
from campaigns.services import plans
from shijiazhuang_sr.audit.models import AuditEntry
from tests.campaigns.plan_forms import campaign_post
from tests.campaigns.planning import World
from tests.checklists.factories import make_item


@pytest.fixture
def world(chief):
    return World(chief)


def _page(response) -> str:
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


# --- annual plans ------------------------------------------------------------------------------


def test_a_chief_creates_an_annual_plan_for_their_section(chief, client_for):
    client = client_for(chief)
    year = dt.date.today().year + 1
    response = client.post(reverse("campaigns:plan_create"), {"year": year, "title": ""})
    plan = AnnualPlan.objects.get(year=year)
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:plan_detail", args=[plan.pk])
    assert plan.section == chief.section
    assert plan.title == f"{year}年{chief.section}“双随机、一公开”抽查计划"
    assert AuditEntry.objects.filter(event="campaigns.plan.created").exists()


def test_a_second_plan_for_the_same_year_is_refused_and_the_form_kept(world, chief, client_for):
    response = client_for(chief).post(
        reverse("campaigns:plan_create"), {"year": world.plan.year, "note": "补充说明"}
    )
    assert response.status_code == 200
    page = _page(response)
    assert f"{world.plan.year} 年度的抽查计划已存在" in page
    assert "补充说明" in page
    assert AnnualPlan.objects.count() == 1


def test_the_plan_list_shows_a_chief_only_their_section(
    world, chief, other_chief, leader, client_for, django_assert_max_num_queries
):
    plans.annual_plan_create(by=other_chief, year=world.plan.year, section=other_chief.section)
    client = client_for(chief)
    with django_assert_max_num_queries(12):
        page = _page(client.get(reverse("campaigns:plan_list")))
    assert world.plan.title in page
    assert "工贸行业安全监督管理科" not in page
    everything = _page(client_for(leader).get(reverse("campaigns:plan_list")))
    assert world.plan.title in everything and "工贸行业安全监督管理科" in everything


def test_another_sections_chief_cannot_open_the_plan(world, other_chief, client_for):
    client = client_for(other_chief)
    assert client.get(reverse("campaigns:plan_detail", args=[world.plan.pk])).status_code == 404
    url = reverse("campaigns:campaign_create", args=[world.plan.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, campaign_post(world)).status_code == 404
    assert not Campaign.objects.exists()


def test_a_plan_is_published_as_a_whole_and_then_points_to_adjustments(world, chief, client_for):
    client = client_for(chief)
    url = reverse("campaigns:plan_publish", args=[world.plan.pk])
    assert client.get(url).status_code == 405
    refused = client.post(url, follow=True)
    assert "年度计划中还没有抽查任务，不能公示" in _page(refused)
    world.campaign()
    response = client.post(url, follow=True)
    world.plan.refresh_from_db()
    assert world.plan.status == AnnualPlan.Status.PUBLISHED
    page = _page(response)
    assert "此后的变更须通过计划调整办理" in page
    assert "已公示抽查任务的任何变更须通过“计划调整”办理" in page
    assert "公示年度计划</button>" not in page


# --- the planning form ---------------------------------------------------------------------------


def test_the_new_campaign_form_offers_default_strata_and_only_items_in_force(
    world, chief, client_for
):
    retired = make_item(
        name="已废止的检查事项", responsible_section=chief.section, retired_from=dt.date(2024, 6, 1)
    )
    response = client_for(chief).get(reverse("campaigns:campaign_create", args=[world.plan.pk]))
    page = _page(response)
    assert response.status_code == 200
    strata = response.context["strata"]
    assert [(form.initial["stratum"], str(form.initial["ratio"])) for form in strata] == [
        ("A", "3"),
        ("B", "5"),
        ("C", "10"),
        ("D", "20"),
    ]
    assert world.item.name in page
    assert retired.name not in page
    assert 'hx-post="/campaigns/preview/"' in page or reverse("campaigns:campaign_preview") in page


def test_a_chief_plans_a_joint_campaign_through_the_form(world, chief, client_for):
    response = client_for(chief).post(
        reverse("campaigns:campaign_create", args=[world.plan.pk]), campaign_post(world)
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:campaign_detail", args=[campaign.pk])
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.kind == Campaign.Kind.JOINT
    assert list(campaign.participating_departments.all()) == [world.market]
    assert [s.rule_text for s in campaign.strata.order_by("position")] == [
        "10%",
        "20%",
        "固定 3 户",
        "50%",
    ]
    assert [str(slot) for slot in campaign.slots.order_by("position")] == [
        "石家庄市应急管理局 · 危险化学品",
        "石家庄市应急管理局",
        "石家庄市市场监督管理局",
    ]
    assert AuditEntry.objects.filter(event="campaigns.campaign.created").count() == 1


def test_the_form_keeps_what_was_typed_when_the_service_refuses_a_retired_item(
    world, chief, client_for
):
    retired = make_item(
        code="HB-OLD-1",
        name="已停用事项",
        responsible_section=chief.section,
        retired_from=dt.date(2024, 6, 1),
    )
    data = campaign_post(world, title="保留我输入的标题", items=[world.item.pk, retired.pk])
    response = client_for(chief).post(
        reverse("campaigns:campaign_create", args=[world.plan.pk]), data
    )
    assert response.status_code == 200
    page = _page(response)
    assert "已于2024-06-01停用，不能列入抽查任务" in page
    assert 'data-testid="form-errors"' in page
    assert 'value="保留我输入的标题"' in page
    # The chosen items stay chosen (the retired one shown, marked, so it can be unticked).
    assert f'value="{retired.pk}" id="item-{retired.pk}" checked' in page
    assert f'value="{world.item.pk}" id="item-{world.item.pk}" checked' in page
    assert not Campaign.objects.exists()


def test_a_stratum_without_ratio_or_count_is_flagged_on_its_row(world, chief, client_for):
    data = campaign_post(world, strata=[("A", "", ""), ("B", "5", "")])
    response = client_for(chief).post(
        reverse("campaigns:campaign_create", args=[world.plan.pk]), data
    )
    assert response.status_code == 200
    assert "请填写抽查比例或固定户数（二选一）" in _page(response)
    assert not Campaign.objects.exists()


def test_a_single_slot_is_refused_with_the_two_officer_rule(world, chief, client_for):
    data = campaign_post(world, slots=[(world.bureau.pk, "")])
    response = client_for(chief).post(
        reverse("campaigns:campaign_create", args=[world.plan.pk]), data
    )
    assert "每个检查组至少由 2 名执法人员组成" in _page(response)
    assert not Campaign.objects.exists()


def test_a_chief_edits_a_draft_but_not_a_submitted_campaign(world, chief, client_for):
    campaign = world.campaign()
    client = client_for(chief)
    url = reverse("campaigns:campaign_edit", args=[campaign.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["title"] == campaign.title
    response = client.post(url, campaign_post(world, title="改过的标题", alternates="5"))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.title, campaign.alternates) == ("改过的标题", 5)
    plans.campaign_submit(by=chief, campaign=campaign)
    refused = client.get(url, follow=True)
    assert "公示后的变更须办理计划调整" in _page(refused)


# --- the workflow --------------------------------------------------------------------------


def test_submit_approve_and_publish_through_the_pages(world, chief, leader, client_for):
    campaign = world.campaign()
    chief_client, leader_client = client_for(chief), client_for(leader)
    detail = reverse("campaigns:campaign_detail", args=[campaign.pk])

    assert 'action="/campaigns/campaigns/' in _page(chief_client.get(detail))
    response = chief_client.post(reverse("campaigns:campaign_submit", args=[campaign.pk]))
    assert response["Location"] == detail
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SUBMITTED

    page = _page(leader_client.get(detail))
    assert 'data-testid="approval"' in page
    leader_client.post(reverse("campaigns:campaign_approve", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.code == f"石应急抽〔{campaign.year}〕1号"

    page = _page(chief_client.get(detail))
    assert 'data-testid="preflight-ok"' in page
    response = chief_client.post(
        reverse("campaigns:campaign_publish", args=[campaign.pk]), follow=True
    )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PUBLISHED
    manifest = current_manifest(campaign)
    page = _page(response)
    assert manifest.sha256 in page and manifest.nonce_sha256 in page
    assert manifest.nonce not in page
    timeline = [entry["label"] for entry in response.context["timeline"]]
    assert timeline[:4] == ["公示并冻结摇号方案", "批准并编号", "提交审批", "制定"]


def test_a_chief_cannot_approve_their_own_campaign(world, chief, client_for):
    campaign = world.campaign()
    plans.campaign_submit(by=chief, campaign=campaign)
    response = client_for(chief).post(reverse("campaigns:campaign_approve", args=[campaign.pk]))
    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SUBMITTED


def test_a_rejection_needs_a_note_which_the_chief_then_sees(world, chief, leader, client_for):
    campaign = world.campaign()
    plans.campaign_submit(by=chief, campaign=campaign)
    url = reverse("campaigns:campaign_reject", args=[campaign.pk])
    client = client_for(leader)
    assert "退回时须填写退回意见" in _page(client.post(url, {"note": " "}, follow=True))
    client.post(url, {"note": "D级比例偏低，请提高到 30%。"})
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    page = _page(client_for(chief).get(reverse("campaigns:campaign_detail", args=[campaign.pk])))
    assert "D级比例偏低，请提高到 30%。" in page


def test_publishing_an_empty_population_shows_why_and_freezes_nothing(
    world, chief, leader, client_for
):
    campaign = world.campaign(scope_grades=["-"])
    plans.campaign_submit(by=chief, campaign=campaign)
    plans.campaign_approve(by=leader, campaign=campaign)
    client = client_for(chief)
    page = _page(client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])))
    assert 'data-testid="preflight-problems"' in page
    assert "检查对象为空" in page
    response = client.post(reverse("campaigns:campaign_publish", args=[campaign.pk]), follow=True)
    assert "检查对象为空" in _page(response)
    assert not Manifest.objects.exists()


def test_another_sections_chief_gets_404_on_the_campaign_and_its_actions(
    world, chief, other_chief, client_for
):
    campaign = world.campaign()
    client = client_for(other_chief)
    for name in ("campaign_detail", "campaign_edit"):
        assert client.get(reverse(f"campaigns:{name}", args=[campaign.pk])).status_code == 404
    assert client.post(reverse("campaigns:campaign_submit", args=[campaign.pk])).status_code == 404
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_the_campaign_list_is_scoped_and_filtered(
    world, chief, other_chief, leader, client_for, django_assert_max_num_queries
):
    mine = world.campaign(title="危化品仓储专项")
    world.campaign(title="加油站专项")
    other_plan = plans.annual_plan_create(
        by=other_chief, year=world.plan.year, section=other_chief.section
    )
    other_data = world.data(
        title="工贸企业粉尘涉爆专项", items=[make_item(responsible_section=other_chief.section)]
    )
    plans.campaign_create(by=other_chief, plan=other_plan, data=other_data)
    client = client_for(chief)
    with django_assert_max_num_queries(14):  # the same for 2 campaigns or 25
        page = _page(client.get(reverse("campaigns:campaign_list")))
    assert "危化品仓储专项" in page and "加油站专项" in page
    assert "工贸企业粉尘涉爆专项" not in page
    found = _page(client.get(reverse("campaigns:campaign_list"), {"q": "仓储"}))
    assert mine.title in found and "加油站专项" not in found
    everything = _page(client_for(leader).get(reverse("campaigns:campaign_list")))
    assert "工贸企业粉尘涉爆专项" in everything


# --- adjustments ---------------------------------------------------------------------------


def test_an_adjustment_is_requested_approved_and_supersedes_the_manifest(
    world, chief, leader, client_for
):
    campaign = world.published(leader)
    old = current_manifest(campaign)
    client = client_for(chief)
    url = reverse("campaigns:adjustment_create", args=[campaign.pk])
    assert client.get(url).status_code == 200
    missing_reason = client.post(url, campaign_post(world, alternates="5"))
    assert "计划调整须写明调整原因" in _page(missing_reason)
    response = client.post(
        url, campaign_post(world, alternates="5", reason="备选户数不足，增加到每层 5 户。")
    )
    assert response.status_code == 302
    adjustment = PlanAdjustment.objects.get()
    assert adjustment.supersedes_manifest
    page = _page(client_for(leader).get(reverse("campaigns:campaign_detail", args=[campaign.pk])))
    assert "备选户数不足" in page and "每层备选户数" in page
    client_for(leader).post(reverse("campaigns:adjustment_approve", args=[adjustment.pk]))
    old.refresh_from_db()
    assert old.status == Manifest.Status.SUPERSEDED
    new = current_manifest(campaign)
    assert new.version == 2 and new.nonce_sha256 != old.nonce_sha256
    page = _page(client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])))
    assert "作废原因：备选户数不足" in page
    assert old.sha256 in page and new.sha256 in page


def test_an_adjustment_reject_needs_a_note(world, chief, leader, client_for):
    campaign = world.published(leader)
    data = plans.campaign_data(campaign)
    data.alternates = 6
    adjustment = plans.adjustment_request(by=chief, campaign=campaign, reason="调整", data=data)
    url = reverse("campaigns:adjustment_reject", args=[adjustment.pk])
    client = client_for(leader)
    assert client.get(url).status_code == 405
    assert "驳回时须填写审批意见" in _page(client.post(url, {"note": ""}, follow=True))
    client.post(url, {"note": "无需调整"})
    adjustment.refresh_from_db()
    assert adjustment.status == PlanAdjustment.Status.REJECTED

"""The public pages of plans, campaigns and draws: no login; only what is published; the
nonce never before the draw, the exclusion list never, no enterprise contact ever."""

import json
import subprocess
import sys

import pytest
from django.urls import reverse

from campaigns import drawspec
from campaigns.selectors.campaigns import current_manifest
from campaigns.services import plans
from campaigns.services.draws import draw_perform, replacement_create
from tests.campaigns.factories import RecusalFactory
from tests.campaigns.planning import World

LOTTERY = "05 12 18 23 31 44 52 60 61 66 70 71 72 75 77 78 79 80"


@pytest.fixture
def world(chief):
    return World(chief)


def _page(response) -> str:
    return response.content.decode()


def test_unpublished_campaigns_are_not_public(world, chief, leader, client):
    draft = world.campaign(title="草稿任务")
    submitted = world.campaign(title="待审批任务")
    plans.campaign_submit(by=chief, campaign=submitted)
    approved = world.campaign(title="已批准任务")
    plans.campaign_submit(by=chief, campaign=approved)
    plans.campaign_approve(by=leader, campaign=approved)
    page = _page(client.get(reverse("publicity:campaign_list")))
    for campaign in (draft, submitted, approved):
        assert campaign.title not in page
        url = reverse("publicity:campaign_detail", args=[campaign.pk])
        assert client.get(url).status_code == 404
    assert "暂无公示的抽查任务" in page


def test_a_published_campaign_shows_its_plan_and_digests_but_not_the_nonce(world, leader, client):
    RecusalFactory(inspector=world.bureau_inspectors[0], enterprise=world.enterprises["A"][0])
    campaign = world.published(leader)
    manifest = current_manifest(campaign)
    response = client.get(reverse("publicity:campaign_detail", args=[campaign.pk]))
    page = _page(response)
    assert response.status_code == 200
    assert "main-nav" not in page  # the public layout, no staff navigation
    assert manifest.sha256 in page and manifest.nonce_sha256 in page
    assert manifest.exclusions_sha256 in page
    assert manifest.nonce not in page
    # The exclusion list is never shown: no card number of the recusal appears beside the
    # enterprise, and the list's JSON is nowhere.
    assert manifest.exclusions not in page
    assert world.bureau_inspectors[0].cert_no not in page
    assert "中国福利彩票快乐8第2025128期开奖号码" in page
    assert world.item.name in page and "《危险化学品安全管理条例》第二十四条" in page
    assert "A级（低风险）" in page and "固定 3 户" in page
    assert "石家庄市市场监督管理局" in page


def test_a_campaign_without_a_named_source_says_so_in_plain_words(world, leader, client):
    campaign = world.published(leader, external_randomness="")
    page = _page(client.get(reverse("publicity:campaign_detail", args=[campaign.pk])))
    assert "仅使用平台随机数：结果可复核、防篡改，但对本局而言并非不可预知" in page


def test_after_the_draw_the_result_teams_and_replacements_are_public(
    world, chief, leader, client, django_assert_max_num_queries
):
    campaign = world.published(leader)
    manifest = current_manifest(campaign)
    draw = draw_perform(manifest_id=manifest.pk, external_sources=[LOTTERY], by=chief)
    replaced = draw.inspections.order_by("position").first()
    replacement = replacement_create(inspection=replaced, reason="企业已注销", by=chief)
    url = reverse("publicity:campaign_detail", args=[campaign.pk])
    with django_assert_max_num_queries(20):
        response = client.get(url)
    page = _page(response)
    assert manifest.nonce in page and LOTTERY in page  # S1 is revealed by the draw
    assert draw.result_sha256 in page
    for inspection in draw.inspections.select_related("enterprise"):
        assert inspection.enterprise.name in page
        for member in inspection.team.select_related("inspector"):
            assert member.inspector.cert_no in page
    assert "企业已注销" in page and replacement.replacement.enterprise.name in page
    for enterprise in world.enterprises["A"]:
        if enterprise.contact_phone:
            assert enterprise.contact_phone not in page
    assert manifest.exclusions not in page


def test_the_draw_document_downloads_and_verifies_with_the_downloaded_engine(
    world, chief, leader, client, tmp_path
):
    campaign = world.published(leader)
    draw = draw_perform(
        manifest_id=current_manifest(campaign).pk, external_sources=[LOTTERY], by=chief
    )
    response = client.get(reverse("publicity:draw_document", args=[draw.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert document["spec"] == "sjz-draw/1"
    assert "exclusions" not in document
    engine = client.get(reverse("publicity:drawspec"))
    assert engine.status_code == 200
    (tmp_path / "drawspec.py").write_bytes(b"".join(engine.streaming_content))
    (tmp_path / "draw.json").write_bytes(response.content)
    run = subprocess.run(
        [sys.executable, "drawspec.py", "verify", "draw.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "selection: passed" in run.stdout and "teams: skipped" in run.stdout
    assert [c.status for c in drawspec.verify(document)] == [
        "passed",
        "passed",
        "passed",
        "skipped",
        "passed",
    ]


def test_a_draw_of_an_unpublished_campaign_cannot_be_downloaded(db, client):
    assert client.get(reverse("publicity:draw_document", args=[999])).status_code == 404


def test_the_guide_explains_verification_and_shows_the_spec(client):
    response = client.get(reverse("publicity:draw_guide"))
    page = _page(response)
    assert "python drawspec.py verify draw.json" in page
    assert "# Draw specification `sjz-draw/1`" in page
    assert "skipped" in page


def test_a_superseded_manifest_stays_public_with_its_reason(world, chief, leader, client):
    campaign = world.published(leader)
    old = current_manifest(campaign)
    data = plans.campaign_data(campaign)
    data.alternates = 5
    adjustment = plans.adjustment_request(
        by=chief, campaign=campaign, reason="备选户数调整为 5 户", data=data
    )
    plans.adjustment_approve(by=leader, adjustment=adjustment)
    page = _page(client.get(reverse("publicity:campaign_detail", args=[campaign.pk])))
    new = current_manifest(campaign)
    assert old.sha256 in page and new.sha256 in page
    assert "备选户数调整为 5 户" in page
    assert "每层备选户数" in page
    assert old.nonce not in page and new.nonce not in page


def test_the_public_list_groups_by_published_plan(
    world, chief, leader, client, django_assert_max_num_queries
):
    campaign = world.published(leader)
    plans.annual_plan_publish(by=chief, plan=world.plan)
    with django_assert_max_num_queries(8):
        page = _page(client.get(reverse("publicity:campaign_list")))
    assert world.plan.title in page
    assert campaign.title in page and campaign.code in page
    filtered = _page(client.get(reverse("publicity:campaign_list"), {"plan": world.plan.pk}))
    assert campaign.title in filtered

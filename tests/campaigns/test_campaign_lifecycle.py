import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns.models import AnnualPlan, Campaign, Manifest, PlanAdjustment
from campaigns.selectors.campaigns import current_manifest
from campaigns.services import plans
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.core.models import Notification
from tests.campaigns.planning import World
from tests.checklists.factories import make_item


@pytest.fixture
def world(chief):
    return World(chief)


def test_a_chief_creates_a_joint_campaign_for_their_section(world, chief):
    campaign = world.campaign()
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.section == chief.section
    assert campaign.code is None  # numbered at approval, so numbers have no gaps
    assert [s.label for s in campaign.strata.order_by("position")] == [
        "A级（低风险）",
        "B级（一般风险）",
        "C级（较高风险）",
        "D级（高风险）",
    ]
    assert campaign.slots.count() == 3
    entry = AuditEntry.objects.get(event="campaigns.campaign.created")
    assert entry.changes["title"] == [None, "危险化学品经营企业联合抽查"]


def test_a_chief_cannot_plan_for_another_section(world, other_chief):
    with pytest.raises(PermissionDenied):
        plans.campaign_create(by=other_chief, plan=world.plan, data=world.data())


def test_a_retired_item_cannot_be_attached(world):
    retired = make_item(responsible_section=world.chief.section, retired_from=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as caught:
        world.campaign(items=[world.item, retired])
    assert any("已于2024-01-01停用" in message for message in caught.value.messages)
    assert not Campaign.objects.exists()


def test_an_unknown_item_code_cannot_be_attached(world):
    with pytest.raises(ValidationError) as caught:
        world.campaign(items=["NO-SUCH-CODE"])
    assert "不在抽查事项清单中" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"slots": []}, "至少由 2 名执法人员组成"),
        ({"participating_departments": []}, "至少选择一个牵头部门以外的参与部门"),
        ({"strata": [{"grade": "A", "ratio": None, "fixed_count": None}]}, "二选一"),
        ({"strata": [{"grade": "A", "ratio": 150, "fixed_count": None}]}, "不超过 100%"),
    ],
)
def test_it_refuses_an_incomplete_plan_in_chinese(world, overrides, message):
    with pytest.raises(ValidationError) as caught:
        world.campaign(**overrides)
    assert any(message in text for text in caught.value.messages)


def test_the_workflow_numbers_and_audits_each_step(world, chief, leader):
    campaign = world.campaign()
    plans.campaign_submit(by=chief, campaign=campaign)
    assert Notification.objects.filter(user=leader, title__contains="待审批").exists()
    with pytest.raises(PermissionDenied):
        plans.campaign_approve(by=chief, campaign=campaign)
    plans.campaign_approve(by=leader, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.code == f"石应急抽〔{campaign.year}〕1号"
    second = world.campaign(title="第二个任务")
    plans.campaign_submit(by=chief, campaign=second)
    plans.campaign_approve(by=leader, campaign=second)
    second.refresh_from_db()
    assert second.code == f"石应急抽〔{campaign.year}〕2号"
    events = set(AuditEntry.objects.values_list("event", flat=True))
    assert {"campaigns.campaign.submitted", "campaigns.campaign.approved"} <= events


def test_a_rejected_campaign_goes_back_to_draft_with_the_note(world, chief, leader):
    campaign = world.campaign()
    plans.campaign_submit(by=chief, campaign=campaign)
    with pytest.raises(ValidationError):
        plans.campaign_reject(by=leader, campaign=campaign, note="  ")
    plans.campaign_reject(by=leader, campaign=campaign, note="比例过低")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.rejection_note == "比例过低"


def test_a_submitted_campaign_cannot_be_edited(world, chief):
    campaign = world.campaign()
    plans.campaign_submit(by=chief, campaign=campaign)
    with pytest.raises(ValidationError):
        plans.campaign_update(by=chief, campaign=campaign, data=world.data(title="改名"))


def test_publishing_freezes_the_manifest_and_commits_to_a_nonce(world, leader):
    campaign = world.published(leader)
    assert campaign.status == Campaign.Status.PUBLISHED
    manifest = current_manifest(campaign)
    document = manifest.manifest()
    assert document["campaign"] == campaign.code
    assert [s["label"] for s in document["strata"]] == [
        "A级（低风险）",
        "B级（一般风险）",
        "C级（较高风险）",
        "D级（高风险）",
    ]
    # quota = min(n, ceil(n × ratio / 100)): 10 × 10% = 1, 10 × 20% = 2, fixed 3, 10 × 50% = 5
    assert [s["quota"] for s in document["strata"]] == [1, 2, 3, 5]
    assert len(document["pool"]) == 9
    assert document["slots"][0] == {"department": "石家庄市应急管理局", "tag": "危险化学品"}
    import hashlib

    assert manifest.nonce_sha256 == hashlib.sha256(manifest.nonce.encode()).hexdigest()
    assert manifest.sha256 == hashlib.sha256(manifest.body.encode()).hexdigest()
    entry = AuditEntry.objects.get(event="campaigns.manifest.frozen")
    assert manifest.nonce not in str(entry.data) + str(entry.changes)


def test_publishing_refuses_an_empty_population_saying_why(world, chief, leader):
    campaign = world.campaign(scope_grades=["-"])  # only ungraded enterprises: there are none
    plans.campaign_submit(by=chief, campaign=campaign)
    plans.campaign_approve(by=leader, campaign=campaign)
    with pytest.raises(ValidationError) as caught:
        plans.campaign_publish(by=chief, campaign=campaign)
    assert "检查对象为空" in caught.value.messages[0]
    assert not Manifest.objects.exists()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.APPROVED


def test_publishing_refuses_slots_that_cannot_be_filled(world, chief, leader):
    from tests.inspectors.factories import TagFactory

    rare = TagFactory(kind="expertise", name="海洋工程")
    campaign = world.campaign(
        slots=[
            {"department": world.bureau, "tag": rare},
            {"department": world.market, "tag": None},
        ]
    )
    plans.campaign_submit(by=chief, campaign=campaign)
    plans.campaign_approve(by=leader, campaign=campaign)
    with pytest.raises(ValidationError) as caught:
        plans.campaign_publish(by=chief, campaign=campaign)
    assert "第 1 个席位（石家庄市应急管理局）没有具有“海洋工程”标签的" in caught.value.messages[0]


def test_enterprises_at_their_annual_cap_are_left_out_and_counted(world, leader):
    from tests.campaigns.factories import CheckVisitFactory

    year = world.starts_on.year
    for enterprise in world.enterprises["D"][:4]:
        CheckVisitFactory(enterprise=enterprise, visited_on=dt.date(year, 1, 2))
    campaign = world.published(leader, annual_cap=1)
    manifest = current_manifest(campaign)
    assert manifest.stats["at_annual_cap"] == 4
    d_stratum = manifest.manifest()["strata"][3]
    assert len(d_stratum["members"]) == 6
    capped = {e.uscc for e in world.enterprises["D"][:4]}
    assert not capped & set(d_stratum["members"])


def test_key_supervised_enterprises_can_form_their_own_stratum(world, leader):
    key = world.enterprises["A"][:3]
    for enterprise in key:
        enterprise.is_key_supervision = True
        enterprise.key_supervision_reason = "构成重大危险源"
        enterprise.save()
    campaign = world.published(
        leader,
        strata=[
            {"is_key": True, "ratio": 100, "fixed_count": None},
            {"grade": "A", "ratio": 10, "fixed_count": None},
            {"grade": "B", "ratio": 10, "fixed_count": None},
            {"grade": "C", "ratio": 10, "fixed_count": None},
            {"grade": "D", "ratio": 10, "fixed_count": None},
        ],
    )
    strata = current_manifest(campaign).manifest()["strata"]
    assert strata[0]["label"] == "重点监管企业"
    assert strata[0]["quota"] == 3 and sorted(strata[0]["members"]) == sorted(e.uscc for e in key)
    assert len(strata[1]["members"]) == 7


def test_annual_plan_is_published_as_a_whole(world, chief):
    with pytest.raises(ValidationError):
        plans.annual_plan_publish(by=chief, plan=world.plan)  # no campaign yet
    world.campaign()
    plans.annual_plan_publish(by=chief, plan=world.plan)
    world.plan.refresh_from_db()
    assert world.plan.status == AnnualPlan.Status.PUBLISHED and world.plan.version == 1
    with pytest.raises(ValidationError):
        plans.annual_plan_publish(by=chief, plan=world.plan)


def test_an_adjustment_of_the_rules_supersedes_the_manifest_with_new_randomness(
    world, chief, leader
):
    campaign = world.published(leader)
    old = current_manifest(campaign)
    adjustment = plans.adjustment_request(
        by=chief,
        campaign=campaign,
        reason="省厅部署危化品专项检查，提高 D 级抽查比例",
        data=world.data(
            strata=[
                {"grade": "A", "ratio": 10, "fixed_count": None},
                {"grade": "B", "ratio": 20, "fixed_count": None},
                {"grade": "C", "ratio": None, "fixed_count": 3},
                {"grade": "D", "ratio": 100, "fixed_count": None},
            ]
        ),
    )
    assert adjustment.supersedes_manifest
    assert current_manifest(campaign) == old  # nothing changes before the approval
    plans.adjustment_approve(by=leader, adjustment=adjustment)
    old.refresh_from_db()
    assert old.status == Manifest.Status.SUPERSEDED
    assert old.superseded_reason.startswith("省厅部署")
    new = current_manifest(campaign)
    assert new.version == 2 and new.nonce != old.nonce and new.sha256 != old.sha256
    assert new.manifest()["strata"][3]["quota"] == 10


def test_an_adjustment_needs_a_reason_and_a_change(world, chief, leader):
    campaign = world.published(leader)
    with pytest.raises(ValidationError):
        plans.adjustment_request(by=chief, campaign=campaign, reason="", data=world.data())
    with pytest.raises(ValidationError) as caught:
        plans.adjustment_request(by=chief, campaign=campaign, reason="无", data=world.data())
    assert "无需调整" in caught.value.messages[0]


def test_a_title_only_adjustment_keeps_the_manifest(world, chief, leader):
    campaign = world.published(leader)
    manifest = current_manifest(campaign)
    adjustment = plans.adjustment_request(
        by=chief, campaign=campaign, reason="名称更规范", data=world.data(title="新的名称")
    )
    assert not adjustment.supersedes_manifest
    plans.adjustment_approve(by=leader, adjustment=adjustment)
    campaign.refresh_from_db()
    assert campaign.title == "新的名称"
    assert current_manifest(campaign) == manifest
    assert (
        adjustment.__class__.objects.get(pk=adjustment.pk).status == PlanAdjustment.Status.APPROVED
    )

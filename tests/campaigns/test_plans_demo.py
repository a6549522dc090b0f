"""Demo plans and campaigns: made through the services, idempotent, with a real draw."""

import io

import pytest
from django.core.management import call_command

from campaigns.models import AnnualPlan, Campaign, Draw, Inspection
from campaigns.services.draws import draw_verify
from shijiazhuang_sr.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--enterprises", "3000", "--inspectors", "320", stdout=out)
    return out.getvalue()


def test_the_demo_has_campaigns_in_several_states_and_a_verifiable_draw():
    output = _seed()
    assert "抽查任务 4 项（本次新增 4 项）" in output
    statuses = dict(Campaign.objects.values_list("title", "status"))
    assert statuses == {
        "危险化学品企业“一业一查”部门联合抽查": Campaign.Status.DRAWN,
        "烟花爆竹批发企业“一业一查”部门联合抽查": Campaign.Status.APPROVED,
        "危险化学品重大危险源企业专项抽查": Campaign.Status.DRAFT,
        "粉尘涉爆企业专项抽查": Campaign.Status.SUBMITTED,
    }
    joint = Campaign.objects.get(status=Campaign.Status.DRAWN)
    assert joint.is_joint and joint.participating_departments.get().name == "石家庄市市场监督管理局"
    draw = Draw.objects.get()
    assert len(draw.sources) == 2  # the platform nonce and the lottery value named in advance
    assert Inspection.objects.filter(draw=draw).count() == draw.selected_count > 0
    assert {check.status for check in draw_verify(draw)} == {"passed"}
    assert AnnualPlan.objects.get(section=joint.section).status == AnnualPlan.Status.PUBLISHED
    assert AuditEntry.objects.filter(event="campaigns.draw.made").count() == 1
    # The demo inspector (陈晓明, 化工工艺) is on some team: the first slot needs that expertise
    # and more enterprises are drawn than there are such officers.
    assert Inspection.objects.filter(team__inspector__user__username="inspector").exists()


def test_seeding_again_adds_no_campaign_and_no_second_draw():
    _seed()
    before = (Campaign.objects.count(), Draw.objects.count(), Inspection.objects.count())
    assert "本次新增 0 项" in _seed()
    assert (Campaign.objects.count(), Draw.objects.count(), Inspection.objects.count()) == before

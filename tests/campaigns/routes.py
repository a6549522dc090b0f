"""The register's URLs in the authorization matrix (tests/authz.py).

综合执法四科 edits; 科室负责人, 执法人员 and 局领导 read; 系统管理员 and 安全审计员 get 403.
Recusals: 四科 and 局领导 read them all, an inspector only their own (404 otherwise).
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Recusal
from shijiazhuang_sr.core.models import ImportBatch
from tests.authz import PERSONAS, Route
from tests.campaigns.factories import EnterpriseFactory, RecusalFactory, xlsx_file
from tests.factories import DepartmentFactory
from tests.inspectors.factories import InspectorFactory

READERS = {"section4": 200, "chief": 200, "inspector": 200, "leader": 200}
EDITORS = {"section4": 200}
RECUSAL_READERS = {"section4": 200, "inspector": 200, "leader": 200}


def _enterprise(users):
    return {"pk": EnterpriseFactory().pk}


def _recusal(users, **fields):
    values = {"declared_by": users["section4"], "status": Recusal.Status.PENDING} | fields
    return {"pk": RecusalFactory(**values).pk}


def _own_recusal(users):
    inspector = InspectorFactory(user=users["inspector"])
    return _recusal(users, inspector=inspector, declared_by=users["inspector"])


def _approved_recusal(users):
    return _recusal(users, status=Recusal.Status.APPROVED)


def _visit_data(users):
    return {
        "visited_on": dt.date(2025, 1, 2).isoformat(),
        "departments": [DepartmentFactory(name="石家庄市应急管理局").pk],
    }


def _batch(kind, rows):
    def setup(users):
        batch = ImportBatch.objects.create(
            kind=kind,
            filename="file.xlsx",
            size=1,
            sha256="0" * 64,
            uploaded_by=users["section4"],
            status=ImportBatch.Status.PREVIEWED,
            report={"title": kind, "filename": "file.xlsx", "dry_run": True},
        )
        batch.file.save(f"{kind}-test.xlsx", SimpleUploadedFile("x.xlsx", xlsx_file(rows).read()))
        return {"pk": batch.pk}

    return setup


_enterprise_batch = _batch(
    "enterprises",
    [["统一社会信用代码", "企业名称", "所属区县"], ["91440300708461136T", "测试企业", "长安区"]],
)
_grade_batch = _batch("credit-grades", [["统一社会信用代码", "信用等级", "生效日期"]])

ROUTES = [
    Route("campaigns:enterprise_list", READERS),
    Route("campaigns:enterprise_list", READERS, query="q=化工&grade=A", label="search"),
    Route("campaigns:enterprise_create", EDITORS),
    Route("campaigns:enterprise_detail", READERS, setup=_enterprise),
    Route("campaigns:enterprise_edit", EDITORS, setup=_enterprise),
    Route("campaigns:enterprise_grade", EDITORS, setup=_enterprise),
    Route(
        "campaigns:enterprise_grade",
        {"section4": 302},
        method="post",
        setup=_enterprise,
        data={"grade": "C", "effective_date": "2025-01-01", "source": "省平台"},
        label="post",
    ),
    Route("campaigns:enterprise_recusal_create", EDITORS, setup=_enterprise),
    Route("campaigns:enterprise_visit_create", EDITORS, setup=_enterprise),
    Route(
        "campaigns:enterprise_visit_create",
        {"section4": 302},
        method="post",
        setup=_enterprise,
        data=_visit_data,
        label="post",
    ),
    Route("campaigns:recusal_list", RECUSAL_READERS),
    Route("campaigns:recusal_declare", {"inspector": 200}),
    Route(
        "campaigns:recusal_detail",
        {"section4": 200, "leader": 200, "inspector": 404},
        setup=_recusal,
    ),
    Route("campaigns:recusal_detail", RECUSAL_READERS, setup=_own_recusal, label="own"),
    Route("campaigns:recusal_approve", {"section4": 405}, setup=_recusal, label="get"),
    Route("campaigns:recusal_approve", {"section4": 302}, method="post", setup=_recusal),
    Route("campaigns:recusal_reject", {"section4": 405}, setup=_recusal, label="get"),
    Route(
        "campaigns:recusal_reject",
        {"section4": 302},
        method="post",
        setup=_recusal,
        data={"note": "无利害关系"},
    ),
    Route(
        "campaigns:recusal_withdraw",
        RECUSAL_READERS | {"section4": 405, "inspector": 405, "leader": 405},
        setup=_recusal,
        label="get",
    ),
    Route(
        "campaigns:recusal_withdraw",
        {"section4": 302, "leader": 403, "inspector": 404},
        method="post",
        setup=_approved_recusal,
        data={"reason": "关系已消除"},
    ),
    Route(
        "campaigns:recusal_withdraw",
        # A pending recusal: its declarer withdraws it; approvers reject it instead.
        {"section4": 403, "leader": 403, "inspector": 302},
        method="post",
        setup=_own_recusal,
        data={"reason": "填错了"},
        label="own",
    ),
    # The generic import pages with the register's two kinds.
    Route(
        "core:import_start",
        EDITORS,
        setup=lambda users: {"kind_name": "enterprises"},
        label="enterprises",
    ),
    Route(
        "core:import_start",
        EDITORS,
        setup=lambda users: {"kind_name": "credit-grades"},
        label="grades",
    ),
    Route(
        "core:import_template",
        EDITORS,
        setup=lambda users: {"kind_name": "enterprises"},
        label="enterprises",
    ),
    Route(
        "core:import_template",
        EDITORS,
        setup=lambda users: {"kind_name": "credit-grades"},
        label="grades",
    ),
    Route("core:import_batch", EDITORS, setup=_enterprise_batch, label="enterprises"),
    Route("core:import_batch", EDITORS, setup=_grade_batch, label="grades"),
    Route(
        "core:import_apply",
        {"section4": 302},
        method="post",
        setup=_enterprise_batch,
        label="enterprises",
    ),
    Route(
        "core:import_discard", {"section4": 302}, method="post", setup=_grade_batch, label="grades"
    ),
]


# --- Plans, campaigns and draws (抽查任务与摇号) ----------------------------------------------
# 科室负责人 plans and draws for their own section; 局领导 and 综合执法四科 read all and approve;
# 综合执法四科 also publishes and draws; 执法人员 see the campaigns and tasks of their own team
# (404 elsewhere). The public pages need no login.


def _campaign_world(users, **sizes):
    from tests.campaigns.planning import World

    values = {"enterprises_per_grade": 2, "bureau_inspectors": 2, "market_inspectors": 1}
    return World(users["chief"], **(values | sizes))


def _plan(users):
    return {"pk": _campaign_world(users).plan.pk}


def _in_plan(users):
    return {"plan_pk": _plan(users)["pk"]}


def _world_only(users):
    _campaign_world(users)
    return {}


def _campaign_in(status: str, *, own_team: bool = False):
    """A campaign of the chief's section in `status` (the team is always the same two bureau
    officers and the market one; with `own_team`, the inspector persona is one of them)."""

    def setup(users):
        from campaigns.selectors.campaigns import current_manifest
        from campaigns.services import plans
        from campaigns.services.draws import draw_perform
        from inspectors.models import Inspector

        world = _campaign_world(users)
        chief, leader = users["chief"], users["leader"]
        if own_team:
            Inspector.objects.filter(pk=world.bureau_inspectors[0].pk).update(
                user=users["inspector"]
            )
        campaign = world.campaign()
        steps = ["submitted", "approved", "published", "drawn", "in_progress"]
        reached = steps[: steps.index(status) + 1] if status in steps else []
        if "submitted" in reached:
            plans.campaign_submit(by=chief, campaign=campaign)
        if "approved" in reached:
            plans.campaign_approve(by=leader, campaign=campaign)
        if "published" in reached:
            plans.campaign_publish(by=chief, campaign=campaign)
        if "drawn" in reached:
            draw_perform(
                manifest_id=current_manifest(campaign).pk, external_sources=["8"], by=chief
            )
        if "in_progress" in reached:
            plans.campaign_start(by=chief, campaign=campaign)
        return {"pk": campaign.pk}

    return setup


def _draw(users):
    from campaigns.models import Draw

    _campaign_in("drawn")(users)
    return {"pk": Draw.objects.get().pk}


def _inspection(own_team: bool):
    def setup(users):
        from campaigns.models import Inspection

        _campaign_in("drawn", own_team=own_team)(users)
        return {"pk": Inspection.objects.order_by("position").first().pk}

    return setup


def _adjustment(users):
    from campaigns.models import Campaign
    from campaigns.services import plans

    pk = _campaign_in("published")(users)["pk"]
    campaign = Campaign.objects.get(pk=pk)
    data = plans.campaign_data(campaign)
    data.alternates = 5
    adjustment = plans.adjustment_request(
        by=users["chief"], campaign=campaign, reason="增加备选", data=data
    )
    return {"pk": adjustment.pk}


def _campaign_form(users):
    from types import SimpleNamespace

    from campaigns.models import AnnualPlan
    from checklists.models import CheckItem
    from inspectors.models import Department, Tag
    from tests.campaigns.plan_forms import campaign_post
    from tests.campaigns.planning import BUREAU, MARKET, next_month

    starts_on, ends_on = next_month()
    assert AnnualPlan.objects.exists()
    world = SimpleNamespace(
        bureau=Department.objects.get(name=BUREAU),
        market=Department.objects.get(name=MARKET),
        hazchem=Tag.objects.get(name="危险化学品"),
        item=CheckItem.objects.first(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    return campaign_post(world)


PLAN_READERS = {"section4": 200, "chief": 200, "leader": 200}
APPROVERS_POST = {"section4": 302, "leader": 302}
DRAWERS = {"chief": 302, "section4": 302}
CAMPAIGN_READERS = {"section4": 200, "chief": 200, "leader": 200, "inspector": 404}
TEAM_READERS = CAMPAIGN_READERS | {"inspector": 200}
INSPECTION_ACTORS = {"chief": 403, "section4": 403, "leader": 403, "inspector": 302}
PUBLIC = dict.fromkeys(PERSONAS, 200)

ROUTES += [
    Route("campaigns:plan_list", PLAN_READERS),
    Route("campaigns:plan_list", PLAN_READERS, query="year=2025", label="filtered"),
    Route("campaigns:plan_create", {"chief": 200}),
    Route("campaigns:plan_detail", PLAN_READERS, setup=_plan),
    Route(
        "campaigns:plan_publish",
        {"chief": 405, "section4": 405, "leader": 405},
        setup=_plan,
        label="get",
    ),
    Route("campaigns:plan_publish", {"chief": 302, **APPROVERS_POST}, method="post", setup=_plan),
    Route("campaigns:campaign_create", {"chief": 200}, setup=_in_plan),
    Route(
        "campaigns:campaign_create",
        {"chief": 302},
        method="post",
        setup=_in_plan,
        data=_campaign_form,
        label="post",
    ),
    Route("campaigns:campaign_list", PLAN_READERS),
    Route("campaigns:campaign_list", PLAN_READERS, query="q=危化&status=draft", label="search"),
    Route("campaigns:campaign_preview", {"chief": 405, "section4": 405}),
    Route(
        "campaigns:campaign_preview",
        {"chief": 200, "section4": 200},
        method="post",
        setup=_world_only,
        data=_campaign_form,
        label="post",
    ),
    Route("campaigns:campaign_detail", CAMPAIGN_READERS, setup=_campaign_in("draft")),
    Route(
        "campaigns:campaign_detail",
        TEAM_READERS,
        setup=_campaign_in("drawn", own_team=True),
        label="team",
    ),
    Route("campaigns:campaign_edit", {"chief": 200}, setup=_campaign_in("draft")),
    Route("campaigns:campaign_submit", {"chief": 405}, setup=_campaign_in("draft"), label="get"),
    Route("campaigns:campaign_submit", {"chief": 302}, method="post", setup=_campaign_in("draft")),
    Route(
        "campaigns:campaign_approve", APPROVERS_POST, method="post", setup=_campaign_in("submitted")
    ),
    Route(
        "campaigns:campaign_reject",
        APPROVERS_POST,
        method="post",
        setup=_campaign_in("submitted"),
        data={"note": "请补充抽查事项"},
    ),
    Route(
        "campaigns:campaign_publish",
        {"chief": 302, **APPROVERS_POST},
        method="post",
        setup=_campaign_in("approved"),
    ),
    Route(
        "campaigns:campaign_draw",
        DRAWERS,
        method="post",
        setup=_campaign_in("published"),
        data={"source_0": "05 12 18"},
    ),
    Route(
        "campaigns:campaign_draw_status",
        {"chief": 200, "section4": 200},
        setup=_campaign_in("published"),
    ),
    Route("campaigns:campaign_start", DRAWERS, method="post", setup=_campaign_in("drawn")),
    Route("campaigns:campaign_complete", DRAWERS, method="post", setup=_campaign_in("in_progress")),
    Route(
        "campaigns:adjustment_create",
        {"chief": 200, "section4": 200},
        setup=_campaign_in("published"),
    ),
    Route("campaigns:adjustment_approve", APPROVERS_POST, method="post", setup=_adjustment),
    Route(
        "campaigns:adjustment_reject",
        APPROVERS_POST,
        method="post",
        setup=_adjustment,
        data={"note": "无需调整"},
    ),
    Route("campaigns:draw_detail", CAMPAIGN_READERS, setup=_draw),
    Route("campaigns:draw_verify", CAMPAIGN_READERS, method="post", setup=_draw),
    Route(
        "campaigns:inspection_replace",
        DRAWERS,
        method="post",
        setup=_inspection(False),
        data={"reason": "企业已注销"},
    ),
    Route("campaigns:inspection_start", INSPECTION_ACTORS, method="post", setup=_inspection(True)),
    Route("campaigns:inspection_finish", INSPECTION_ACTORS, method="post", setup=_inspection(True)),
    Route("campaigns:inspection_notice", TEAM_READERS, setup=_inspection(True)),
    Route(
        "campaigns:inspection_notice",
        CAMPAIGN_READERS,
        setup=_inspection(False),
        label="other-team",
    ),
    Route("campaigns:my_inspections", PLAN_READERS | {"inspector": 200}),
    # The public pages (no login).
    Route("publicity:campaign_list", PUBLIC),
    Route("publicity:campaign_detail", PUBLIC, setup=_campaign_in("published")),
    Route(
        "publicity:campaign_detail",
        dict.fromkeys(PERSONAS, 404),
        setup=_campaign_in("approved"),
        label="unpublished",
    ),
    Route("publicity:draw_document", PUBLIC, setup=_draw),
    Route("publicity:drawspec", PUBLIC),
    Route("publicity:draw_guide", PUBLIC),
]

"""The life of annual plans and campaigns.

草稿 → 待审批 → 已批准 → 已公示 → 已摇号 → 检查中 → 已完成.

Every transition is a service that checks the acting user's rights, changes the state inside a
transaction (the row locked), writes its audit entry and tells the people concerned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from campaigns.models import (
    AnnualPlan,
    Campaign,
    CampaignStratum,
    CheckVisit,
    Inspection,
    PlanAdjustment,
    TeamSlot,
)
from campaigns.selectors.campaigns import (
    Population,
    Scope,
    can_approve,
    can_draw,
    can_plan,
    current_manifest,
    default_cap,
    population,
)
from campaigns.services.draws import (
    inspector_pool,
    manifest_freeze,
    manifest_supersede,
    slot_entry,
    slot_problems,
)
from checklists.rules import require_active_items
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.services import audit_create, audit_record, audit_update, snapshot
from shijiazhuang_sr.core.notifications import notify

CODE_FORMAT = "石应急抽〔{year}〕{sequence}号"

# Fields whose change alters the population or the draw's rules: after publication, changing
# one of them supersedes the frozen manifest (spec §8, last paragraph).
RULE_FIELDS = (
    "kind",
    "lead_department",
    "participating_departments",
    "scope_sectors",
    "scope_areas",
    "scope_grades",
    "scope_key_supervision",
    "scope_scales",
    "stratification",
    "inspector_cap",
    "lookback_months",
    "annual_cap",
    "alternates",
    "external_randomness",
    "strata",
    "slots",
    "starts_on",
    "ends_on",
)
PLAIN_FIELDS = (
    "title",
    "kind",
    "lead_department",
    "joint_list",
    "scope_grades",
    "scope_key_supervision",
    "scope_scales",
    "stratification",
    "inspector_cap",
    "lookback_months",
    "annual_cap",
    "starts_on",
    "ends_on",
    "alternates",
    "external_randomness",
    "notes",
)
M2M_FIELDS = ("participating_departments", "items", "scope_sectors", "scope_areas")


@dataclass
class CampaignData:
    """Everything a planner sets on a campaign, validated as a whole by `campaign_save`."""

    title: str
    lead_department: object
    starts_on: dt.date
    ends_on: dt.date
    items: list
    strata: list[
        dict
    ]  # {"grade": "A"/""/"-", "is_key": bool, "ratio": Decimal|None, "fixed_count": int|None}
    slots: list[dict]  # {"department": Department|None, "tag": Tag|None}
    kind: str = Campaign.Kind.JOINT
    participating_departments: list = field(default_factory=list)
    joint_list: object = None
    scope_sectors: list = field(default_factory=list)
    scope_areas: list = field(default_factory=list)
    scope_grades: list = field(default_factory=list)
    scope_key_supervision: str = Campaign.KeySupervision.ALL
    scope_scales: list = field(default_factory=list)
    stratification: str = Campaign.Stratification.CREDIT
    inspector_cap: int | None = None
    lookback_months: int = 12
    annual_cap: int | None = None
    alternates: int = 3
    external_randomness: str = ""
    notes: str = ""


def _problems(data: CampaignData) -> list[str]:
    problems = []
    if data.kind == Campaign.Kind.JOINT and not [
        d for d in data.participating_departments if d != data.lead_department
    ]:
        problems.append("部门联合抽查（一业一查）须至少选择一个牵头部门以外的参与部门。")
    if data.kind == Campaign.Kind.SINGLE and data.participating_departments:
        problems.append("单部门抽查不设参与部门；如需多个部门参加，请选择“部门联合抽查”。")
    if data.ends_on and data.starts_on and data.ends_on < data.starts_on:
        problems.append("检查结束日期不能早于开始日期。")
    if len(data.slots) < 2:
        problems.append("每个检查组至少由 2 名执法人员组成，请至少设置 2 个席位。")
    departments = {data.lead_department, *data.participating_departments}
    for index, slot in enumerate(data.slots, start=1):
        if slot.get("department") is not None and slot["department"] not in departments:
            problems.append(
                f"第 {index} 个席位的部门“{slot['department']}”不是本任务的牵头或参与部门。"
            )
    if not data.strata:
        problems.append("请至少设置一个抽取分层。")
    seen = set()
    for index, stratum in enumerate(data.strata, start=1):
        ratio, count = stratum.get("ratio"), stratum.get("fixed_count")
        if (ratio is None) == (count is None):
            problems.append(f"第 {index} 层须填写抽查比例或固定户数（二选一）。")
        if ratio is not None and not Decimal(0) < Decimal(ratio) <= Decimal(100):
            problems.append(f"第 {index} 层的抽查比例须大于 0 且不超过 100%。")
        key = ("key",) if stratum.get("is_key") else ("grade", stratum.get("grade", ""))
        if key in seen:
            problems.append(f"第 {index} 层与前面的层重复。")
        seen.add(key)
        if (
            data.stratification == Campaign.Stratification.CREDIT
            and not stratum.get("is_key")
            and not stratum.get("grade")
        ):
            problems.append(f"按信用风险等级分层时，第 {index} 层须选择信用等级。")
    if data.stratification == Campaign.Stratification.NONE:
        plain = [s for s in data.strata if not s.get("is_key")]
        if len(plain) != 1 or plain[0].get("grade"):
            problems.append("不分层时只设一个“全部企业”层（可另设重点监管企业层）。")
    if data.joint_list is not None and data.kind != Campaign.Kind.JOINT:
        problems.append("只有部门联合抽查才关联“一业一查”联合抽查事项清单。")
    return problems


def _write(campaign: Campaign, data: CampaignData) -> None:
    for name in PLAIN_FIELDS:
        setattr(campaign, name, getattr(data, name))
    campaign.year = data.starts_on.year if data.starts_on else campaign.year
    campaign.full_clean(exclude=["plan", "section", "created_by", "year"])
    campaign.save()
    campaign.participating_departments.set(
        [d for d in data.participating_departments if d != data.lead_department]
    )
    campaign.items.set(data.items)
    campaign.scope_sectors.set(data.scope_sectors)
    campaign.scope_areas.set(data.scope_areas)
    campaign.strata.all().delete()
    CampaignStratum.objects.bulk_create(
        [
            CampaignStratum(
                campaign=campaign,
                position=index,
                grade="" if stratum.get("is_key") else stratum.get("grade", ""),
                is_key=bool(stratum.get("is_key")),
                ratio=stratum.get("ratio"),
                fixed_count=stratum.get("fixed_count"),
            )
            for index, stratum in enumerate(data.strata)
        ]
    )
    campaign.slots.all().delete()
    TeamSlot.objects.bulk_create(
        [
            TeamSlot(
                campaign=campaign,
                position=index,
                department=slot.get("department"),
                tag=slot.get("tag"),
            )
            for index, slot in enumerate(data.slots)
        ]
    )


def campaign_snapshot(campaign: Campaign) -> dict:
    """The campaign's plan as the audit trail and adjustments compare it."""
    values = snapshot(campaign, [*PLAIN_FIELDS, *M2M_FIELDS])
    values["strata"] = [f"{s.label}：{s.rule_text}" for s in campaign.strata.order_by("position")]
    values["slots"] = [str(slot) for slot in campaign.slots.order_by("position")]
    return values


def campaign_problems(data: CampaignData) -> list[str]:
    """Every reason the services would refuse the plan `data`, in Chinese (nothing saved)."""
    problems = _problems(data)
    try:
        require_active_items(data.items, on=data.starts_on)
    except ValidationError as error:
        problems += error.messages
    return problems


def _validate(data: CampaignData) -> None:
    problems = campaign_problems(data)
    if problems:
        raise ValidationError(problems)


@dataclass
class PlanPreview:
    """What the planner sees while editing: the population and quotas, the inspector pool and
    every reason the plan could not be saved or published as it stands."""

    population: Population
    pool_by_department: list[tuple[str, int]]
    pool_size: int
    slots: int
    cap: int
    cap_is_planned: bool
    people_day: dt.date
    problems: list[str]


def campaign_preview(data: CampaignData, *, on: dt.date | None = None) -> PlanPreview:
    """The live preview of a plan that may not be saved yet (counts only: one grouped query
    for the population, one for the pool). Publishing on day `on` would freeze this."""
    on = on or timezone.localdate()
    strata = [
        CampaignStratum(
            position=index,
            grade="" if stratum.get("is_key") else stratum.get("grade", ""),
            is_key=bool(stratum.get("is_key")),
            ratio=stratum.get("ratio"),
            fixed_count=stratum.get("fixed_count"),
        )
        for index, stratum in enumerate(data.strata)
        if (stratum.get("ratio") is None) != (stratum.get("fixed_count") is None)
    ]
    scope = Scope(
        sectors=[sector.pk for sector in data.scope_sectors],
        areas=[area.pk for area in data.scope_areas],
        key_supervision=data.scope_key_supervision,
        scales=list(data.scope_scales),
        grades=list(data.scope_grades),
        stratification=data.stratification,
        annual_cap=data.annual_cap,
        strata=strata,
    )
    stratified = population(scope, on=on, with_members=False)
    departments = list(
        dict.fromkeys(d for d in [data.lead_department, *data.participating_departments] if d)
    )
    day = max(data.starts_on, on)
    pool = inspector_pool(departments, on=day, until=data.ends_on) if departments else []
    counts = {}
    for entry in pool:
        counts[entry["department"]] = counts.get(entry["department"], 0) + 1
    slots = [slot_entry(slot.get("department"), slot.get("tag")) for slot in data.slots]
    problems = campaign_problems(data)
    if stratified.size == 0:
        problems.append("抽取范围内没有符合条件的企业（检查对象为空），请调整抽取范围或分层。")
    if len(slots) >= 2:
        problems += slot_problems(slots, pool)
    return PlanPreview(
        population=stratified,
        pool_by_department=[(d.name, counts.get(d.name, 0)) for d in departments],
        pool_size=len(pool),
        slots=len(slots),
        cap=data.inspector_cap or default_cap(stratified.total_quota, len(slots), len(pool)),
        cap_is_planned=bool(data.inspector_cap),
        people_day=day,
        problems=list(dict.fromkeys(problems)),
    )


@transaction.atomic
def campaign_create(*, by, plan: AnnualPlan, data: CampaignData) -> Campaign:
    if not can_plan(by, section=plan.section_id):
        raise PermissionDenied
    if data.starts_on.year != plan.year:
        raise ValidationError(f"检查开始日期须在计划年度 {plan.year} 年内。")
    _validate(data)
    campaign = Campaign(plan=plan, section=plan.section, created_by=by, year=plan.year)
    _write(campaign, data)
    audit_create(campaign, by=by, event="campaigns.campaign.created")
    return campaign


@transaction.atomic
def campaign_update(*, by, campaign: Campaign, data: CampaignData) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not can_plan(by, campaign):
        raise PermissionDenied
    if campaign.status not in Campaign.EDITABLE:
        raise ValidationError("已提交或已公示的抽查任务不能直接修改；公示后的变更须办理计划调整。")
    if data.starts_on.year != campaign.plan.year:
        raise ValidationError(f"检查开始日期须在计划年度 {campaign.plan.year} 年内。")
    _validate(data)
    before = campaign_snapshot(campaign)
    _write(campaign, data)
    _audit_plan_change(campaign, before, by, "campaigns.campaign.changed")
    return campaign


def _audit_plan_change(campaign, before, by, event, data=None):
    after = campaign_snapshot(campaign)
    changes = {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}
    if changes or data:
        audit_record(
            action=AuditEntry.Action.UPDATE,
            obj=campaign,
            by=by,
            event=event,
            changes=changes,
            data=data,
        )
    return changes


def _transition(campaign: Campaign, to: str, by, event: str, data: dict | None = None, **fields):
    old = campaign.get_status_display()
    campaign.status = to
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.save(update_fields=["status", *fields])
    audit_record(
        action=AuditEntry.Action.UPDATE,
        obj=campaign,
        by=by,
        event=event,
        changes={"status": [old, campaign.get_status_display()]},
        data=data,
    )


def _locked(campaign: Campaign, *allowed: str) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status not in allowed:
        names = "、".join(Campaign.Status(s).label for s in allowed)
        raise ValidationError(
            f"抽查任务当前状态为“{campaign.get_status_display()}”，此操作只适用于“{names}”状态。"
        )
    return campaign


def _approvers():
    User = get_user_model()
    return User.objects.filter(is_active=True, groups__permissions__codename="approve_campaign")


def _link(campaign: Campaign) -> str:
    return reverse("campaigns:campaign_detail", args=[campaign.pk])


@transaction.atomic
def campaign_submit(*, by, campaign: Campaign) -> Campaign:
    campaign = _locked(campaign, Campaign.Status.DRAFT)
    if not can_plan(by, campaign):
        raise PermissionDenied
    _validate(campaign_data(campaign))
    _transition(
        campaign,
        Campaign.Status.SUBMITTED,
        by,
        "campaigns.campaign.submitted",
        submitted_at=timezone.now(),
        rejection_note="",
    )
    notify(
        _approvers().distinct(),
        f"待审批：抽查任务“{campaign.title}”",
        url=_link(campaign),
        body=f"{campaign.section} 提交了抽查任务，请审批。",
    )
    return campaign


@transaction.atomic
def campaign_reject(*, by, campaign: Campaign, note: str) -> Campaign:
    if not can_approve(by):
        raise PermissionDenied
    note = note.strip()
    if not note:
        raise ValidationError("退回时须填写退回意见。")
    campaign = _locked(campaign, Campaign.Status.SUBMITTED)
    _transition(
        campaign,
        Campaign.Status.DRAFT,
        by,
        "campaigns.campaign.rejected",
        data={"note": note},
        rejection_note=note,
    )
    notify(
        [campaign.created_by], f"抽查任务“{campaign.title}”被退回", url=_link(campaign), body=note
    )
    return campaign


@transaction.atomic
def campaign_approve(*, by, campaign: Campaign) -> Campaign:
    """Approve and give the official number: the next of its year, without gaps."""
    if not can_approve(by):
        raise PermissionDenied
    campaign = _locked(campaign, Campaign.Status.SUBMITTED)
    # Lock the year's numbering so that two approvals never take the same number.
    numbered = Campaign.objects.select_for_update().filter(
        year=campaign.year, sequence__isnull=False
    )
    sequence = (numbered.aggregate(last=Max("sequence"))["last"] or 0) + 1
    code = CODE_FORMAT.format(year=campaign.year, sequence=sequence)
    _transition(
        campaign,
        Campaign.Status.APPROVED,
        by,
        "campaigns.campaign.approved",
        data={"code": code},
        approved_by=by,
        approved_at=timezone.now(),
        sequence=sequence,
        code=code,
    )
    notify(
        [campaign.created_by],
        f"抽查任务已批准：{code}",
        url=_link(campaign),
        body=f"“{campaign.title}”已批准，可公示并冻结摇号方案。",
    )
    return campaign


@transaction.atomic
def campaign_publish(*, by, campaign: Campaign) -> Campaign:
    """Publish the plan: freeze the manifest and commit to the nonce (spec §2, §3, §6)."""
    campaign = _locked(campaign, Campaign.Status.APPROVED)
    if not (can_draw(by, campaign) or can_approve(by)):
        raise PermissionDenied
    manifest = manifest_freeze(campaign=campaign, by=by)
    _transition(
        campaign,
        Campaign.Status.PUBLISHED,
        by,
        "campaigns.campaign.published",
        data={"manifest_sha256": manifest.sha256, "nonce_sha256": manifest.nonce_sha256},
        published_at=timezone.now(),
    )
    return campaign


@transaction.atomic
def campaign_start(*, by, campaign: Campaign) -> Campaign:
    campaign = _locked(campaign, Campaign.Status.DRAWN)
    if not can_draw(by, campaign):
        raise PermissionDenied
    _transition(campaign, Campaign.Status.IN_PROGRESS, by, "campaigns.campaign.started")
    return campaign


@transaction.atomic
def campaign_complete(*, by, campaign: Campaign) -> Campaign:
    campaign = _locked(campaign, Campaign.Status.IN_PROGRESS)
    if not can_draw(by, campaign):
        raise PermissionDenied
    open_checks = campaign.inspections.filter(
        status__in=[Inspection.Status.PENDING, Inspection.Status.IN_PROGRESS]
    ).count()
    if open_checks:
        raise ValidationError(f"还有 {open_checks} 户企业未完成检查，不能结束任务。")
    _transition(
        campaign,
        Campaign.Status.COMPLETED,
        by,
        "campaigns.campaign.completed",
        completed_at=timezone.now(),
    )
    return campaign


# --- inspections ---------------------------------------------------------------------------------


def _team_member(by, inspection: Inspection) -> bool:
    inspector = getattr(by, "inspector", None)
    return inspector is not None and inspection.team.filter(inspector=inspector).exists()


@transaction.atomic
def inspection_start(*, by, inspection: Inspection) -> Inspection:
    inspection = (
        Inspection.objects.select_for_update().select_related("campaign").get(pk=inspection.pk)
    )
    if not _team_member(by, inspection):
        raise PermissionDenied
    if inspection.status != Inspection.Status.PENDING:
        raise ValidationError(f"该检查任务当前状态为“{inspection.get_status_display()}”。")
    campaign = inspection.campaign
    if campaign.status == Campaign.Status.DRAWN:
        _transition(
            Campaign.objects.select_for_update().get(pk=campaign.pk),
            Campaign.Status.IN_PROGRESS,
            by,
            "campaigns.campaign.started",
        )
    elif campaign.status != Campaign.Status.IN_PROGRESS:
        raise ValidationError(f"抽查任务当前状态为“{campaign.get_status_display()}”。")
    before = snapshot(inspection, ["status"])
    inspection.status = Inspection.Status.IN_PROGRESS
    inspection.save(update_fields=["status"])
    audit_update(inspection, before, by=by, event="campaigns.inspection.started")
    return inspection


@transaction.atomic
def inspection_finish(
    *, by, inspection: Inspection, visited_on: dt.date | None = None
) -> Inspection:
    """Close a check; the visit counts once towards the enterprise's annual cap, whatever the
    number of departments in the team."""
    inspection = (
        Inspection.objects.select_for_update().select_related("campaign").get(pk=inspection.pk)
    )
    if not _team_member(by, inspection):
        raise PermissionDenied
    if inspection.status != Inspection.Status.IN_PROGRESS:
        raise ValidationError("只能完成正在检查中的任务。")
    before = snapshot(inspection, ["status"])
    inspection.status = Inspection.Status.DONE
    inspection.save(update_fields=["status"])
    visit = CheckVisit.objects.create(
        enterprise_id=inspection.enterprise_id,
        visited_on=visited_on or timezone.localdate(),
        reference=inspection.campaign.code,
        source=CheckVisit.Source.PLATFORM,
        recorded_by=by,
    )
    visit.departments.set(
        {member.inspector.department_id for member in inspection.team.select_related("inspector")}
    )
    audit_update(
        inspection, before, by=by, event="campaigns.inspection.finished", data={"visit": visit.pk}
    )
    return inspection


# --- annual plans ---------------------------------------------------------------------------------


@transaction.atomic
def annual_plan_create(*, by, year: int, section, title: str = "", note: str = "") -> AnnualPlan:
    if not can_plan(by, section=section):
        raise PermissionDenied
    if AnnualPlan.objects.filter(year=year, section=section).exists():
        raise ValidationError(f"{section} {year} 年度的抽查计划已存在。")
    plan = AnnualPlan(
        year=year,
        section=section,
        created_by=by,
        note=note,
        title=title.strip() or f"{year}年{section}“双随机、一公开”抽查计划",
    )
    plan.full_clean()
    plan.save()
    audit_create(plan, by=by, event="campaigns.plan.created")
    return plan


@transaction.atomic
def annual_plan_publish(*, by, plan: AnnualPlan) -> AnnualPlan:
    """Publish the year's plan as a whole; afterwards changes go through adjustments."""
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    if not (can_plan(by, section=plan.section_id) or can_approve(by)):
        raise PermissionDenied
    if plan.status == AnnualPlan.Status.PUBLISHED:
        raise ValidationError("该年度计划已公示；此后的变更须通过计划调整办理。")
    if not plan.campaigns.exists():
        raise ValidationError("年度计划中还没有抽查任务，不能公示。")
    before = snapshot(plan, ["status", "version"])
    plan.status = AnnualPlan.Status.PUBLISHED
    plan.version += 1
    plan.published_at = timezone.now()
    plan.published_by = by
    plan.save(update_fields=["status", "version", "published_at", "published_by"])
    audit_update(plan, before, by=by, event="campaigns.plan.published")
    return plan


# --- plan adjustments (计划调整) -----------------------------------------------------------

ADJUSTABLE = (Campaign.Status.APPROVED, Campaign.Status.PUBLISHED, Campaign.Status.DRAWN)


def campaign_data(campaign: Campaign) -> CampaignData:
    """The campaign's current plan as CampaignData (what an adjustment starts from)."""
    return CampaignData(
        title=campaign.title,
        kind=campaign.kind,
        lead_department=campaign.lead_department,
        participating_departments=list(campaign.participating_departments.all()),
        joint_list=campaign.joint_list,
        items=list(campaign.items.all()),
        scope_sectors=list(campaign.scope_sectors.all()),
        scope_areas=list(campaign.scope_areas.all()),
        scope_grades=list(campaign.scope_grades),
        scope_key_supervision=campaign.scope_key_supervision,
        scope_scales=list(campaign.scope_scales),
        stratification=campaign.stratification,
        strata=[
            {"grade": s.grade, "is_key": s.is_key, "ratio": s.ratio, "fixed_count": s.fixed_count}
            for s in campaign.strata.order_by("position")
        ],
        slots=[
            {"department": slot.department, "tag": slot.tag}
            for slot in campaign.slots.order_by("position")
        ],
        inspector_cap=campaign.inspector_cap,
        lookback_months=campaign.lookback_months,
        annual_cap=campaign.annual_cap,
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        alternates=campaign.alternates,
        external_randomness=campaign.external_randomness,
        notes=campaign.notes,
    )


def _ratio(value) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def _serialise(data: CampaignData) -> dict:
    """A plan as plain JSON: what an adjustment proposes, compared field by field."""

    def ref(obj):
        return None if obj is None else obj.pk

    def refs(objects):
        return sorted(obj.pk for obj in objects)

    return {
        "title": data.title,
        "kind": data.kind,
        "lead_department": ref(data.lead_department),
        "participating_departments": [d.pk for d in data.participating_departments],
        "joint_list": ref(data.joint_list),
        "items": [i.pk for i in data.items],
        "scope_sectors": [s.pk for s in data.scope_sectors],
        "scope_areas": [a.pk for a in data.scope_areas],
        "scope_grades": data.scope_grades,
        "scope_key_supervision": data.scope_key_supervision,
        "scope_scales": sorted(data.scope_scales),
        "stratification": data.stratification,
        "strata": [
            {
                "grade": s.get("grade", ""),
                "is_key": bool(s.get("is_key")),
                "ratio": _ratio(s.get("ratio")),
                "fixed_count": s.get("fixed_count"),
            }
            for s in data.strata
        ],
        "slots": [
            {"department": ref(s.get("department")), "tag": ref(s.get("tag"))} for s in data.slots
        ],
        "inspector_cap": data.inspector_cap,
        "lookback_months": data.lookback_months,
        "annual_cap": data.annual_cap,
        "starts_on": data.starts_on.isoformat(),
        "ends_on": data.ends_on.isoformat(),
        "alternates": data.alternates,
        "external_randomness": data.external_randomness,
        "notes": data.notes,
    }


def _deserialise(proposal: dict) -> CampaignData:
    from campaigns.models import Area
    from checklists.models import CheckItem, JointItemList, SupervisionSector
    from inspectors.models import Department, Tag

    def one(model, pk):
        return None if pk is None else model.objects.get(pk=pk)

    def many(model, pks):
        found = model.objects.in_bulk(pks)
        return [found[pk] for pk in pks if pk in found]

    return CampaignData(
        title=proposal["title"],
        kind=proposal["kind"],
        lead_department=one(Department, proposal["lead_department"]),
        participating_departments=many(Department, proposal["participating_departments"]),
        joint_list=one(JointItemList, proposal["joint_list"]),
        items=many(CheckItem, proposal["items"]),
        scope_sectors=many(SupervisionSector, proposal["scope_sectors"]),
        scope_areas=many(Area, proposal["scope_areas"]),
        scope_grades=proposal["scope_grades"],
        scope_key_supervision=proposal["scope_key_supervision"],
        scope_scales=proposal["scope_scales"],
        stratification=proposal["stratification"],
        strata=[
            {**s, "ratio": None if s["ratio"] is None else Decimal(s["ratio"])}
            for s in proposal["strata"]
        ],
        slots=[
            {"department": one(Department, s["department"]), "tag": one(Tag, s["tag"])}
            for s in proposal["slots"]
        ],
        inspector_cap=proposal["inspector_cap"],
        lookback_months=proposal["lookback_months"],
        annual_cap=proposal["annual_cap"],
        starts_on=dt.date.fromisoformat(proposal["starts_on"]),
        ends_on=dt.date.fromisoformat(proposal["ends_on"]),
        alternates=proposal["alternates"],
        external_randomness=proposal["external_randomness"],
        notes=proposal["notes"],
    )


@transaction.atomic
def adjustment_request(
    *, by, campaign: Campaign, reason: str, data: CampaignData, redraw: bool = False
) -> PlanAdjustment:
    """Propose a change to a published plan. `redraw` asks for a new manifest even when no
    rule changed (e.g. after a failed draw, or when the drawn population became stale)."""
    campaign = _locked(campaign, *ADJUSTABLE)
    if not (can_plan(by, campaign) or can_draw(by, campaign)):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError("计划调整须写明调整原因。")
    if data.starts_on.year != campaign.year:
        raise ValidationError(f"检查开始日期须在 {campaign.year} 年内。")
    _validate(data)
    current = campaign_data(campaign)
    before, after = _serialise(current), _serialise(data)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changes and not redraw:
        raise ValidationError("调整内容与现行计划相同，无需调整。")
    supersedes = (
        redraw
        or any(name in changes for name in RULE_FIELDS)
        or ("items" in changes and campaign.status == Campaign.Status.DRAWN)
    )
    if (
        supersedes
        and campaign.status == Campaign.Status.DRAWN
        and campaign.inspections.exclude(
            status__in=[Inspection.Status.PENDING, Inspection.Status.REPLACED]
        ).exists()
    ):
        raise ValidationError("已有企业开始检查，不能再调整抽取范围或规则。")
    if PlanAdjustment.objects.filter(
        campaign=campaign, status=PlanAdjustment.Status.PENDING
    ).exists():
        raise ValidationError("该抽查任务已有待审批的计划调整。")
    adjustment = PlanAdjustment.objects.create(
        campaign=campaign,
        reason=reason,
        proposal=after,
        changes=changes,
        supersedes_manifest=supersedes,
        requested_by=by,
    )
    audit_create(adjustment, by=by, event="campaigns.adjustment.requested")
    notify(
        _approvers().distinct(),
        f"待审批：计划调整“{campaign.title}”",
        url=_link(campaign),
        body=reason,
    )
    return adjustment


@transaction.atomic
def adjustment_reject(*, by, adjustment: PlanAdjustment, note: str) -> PlanAdjustment:
    if not can_approve(by):
        raise PermissionDenied
    adjustment = PlanAdjustment.objects.select_for_update().get(pk=adjustment.pk)
    if adjustment.status != PlanAdjustment.Status.PENDING:
        raise ValidationError("该计划调整已审批。")
    if not note.strip():
        raise ValidationError("驳回时须填写审批意见。")
    before = snapshot(adjustment, ["status", "decision_note"])
    adjustment.status = PlanAdjustment.Status.REJECTED
    adjustment.decided_by, adjustment.decided_at = by, timezone.now()
    adjustment.decision_note = note.strip()
    adjustment.save()
    audit_update(adjustment, before, by=by, event="campaigns.adjustment.rejected")
    notify([adjustment.requested_by], "计划调整被驳回", url=_link(adjustment.campaign), body=note)
    return adjustment


@transaction.atomic
def adjustment_approve(*, by, adjustment: PlanAdjustment) -> PlanAdjustment:
    """Apply the change. A change of population or rules supersedes the manifest (and its
    draw, if any); the campaign is published again with a new manifest and new randomness."""
    if not can_approve(by):
        raise PermissionDenied
    adjustment = PlanAdjustment.objects.select_for_update().get(pk=adjustment.pk)
    if adjustment.status != PlanAdjustment.Status.PENDING:
        raise ValidationError("该计划调整已审批。")
    campaign = _locked(adjustment.campaign, *ADJUSTABLE)
    data = _deserialise(adjustment.proposal)
    _validate(data)
    before = campaign_snapshot(campaign)
    _write(campaign, data)
    changes = _audit_plan_change(
        campaign,
        before,
        by,
        "campaigns.campaign.adjusted",
        data={"adjustment": adjustment.pk, "reason": adjustment.reason},
    )
    if adjustment.supersedes_manifest and campaign.status in (
        Campaign.Status.PUBLISHED,
        Campaign.Status.DRAWN,
    ):
        old = current_manifest(campaign)
        if old is not None:
            manifest_supersede(manifest=old, reason=adjustment.reason, by=by)
        manifest_freeze(campaign=campaign, by=by)
        if campaign.status == Campaign.Status.DRAWN:
            _transition(
                campaign,
                Campaign.Status.PUBLISHED,
                by,
                "campaigns.campaign.republished",
                data={"adjustment": adjustment.pk},
                drawn_at=None,
            )
    plan = AnnualPlan.objects.select_for_update().get(pk=campaign.plan_id)
    if plan.status == AnnualPlan.Status.PUBLISHED:
        plan.version += 1
        plan.save(update_fields=["version"])
    adjustment.status = PlanAdjustment.Status.APPROVED
    adjustment.decided_by, adjustment.decided_at = by, timezone.now()
    adjustment.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        action=AuditEntry.Action.UPDATE,
        obj=adjustment,
        by=by,
        event="campaigns.adjustment.approved",
        changes={"status": ["待审批", "已批准"]},
        data={"applied": list(changes)},
    )
    notify([adjustment.requested_by], "计划调整已批准", url=_link(campaign), body=adjustment.reason)
    return adjustment

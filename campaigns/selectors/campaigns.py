"""Reads about plans and campaigns: who may see what, and the population of a draw."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from campaigns.models import (
    AnnualPlan,
    Campaign,
    CampaignStratum,
    Draw,
    Enterprise,
    EnterpriseSector,
    Inspection,
    InspectionTeamMember,
    Manifest,
)
from campaigns.selectors.register import annotate_annual_check_count, annotate_grade_on

# --- rights ------------------------------------------------------------------------------------


def sees_all_campaigns(user) -> bool:
    """局领导 and 综合执法四科 read every section's campaigns; a section chief their own."""
    return user.has_perm("campaigns.view_all_campaigns")


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.select_related("section", "lead_department", "plan")
    if sees_all_campaigns(user):
        return campaigns
    if user.has_perm("campaigns.view_campaign") and user.section_id:
        mine = Q(section_id=user.section_id)
        inspector = getattr(user, "inspector", None)
        if inspector is not None:
            mine |= Q(inspections__team__inspector=inspector)
        return campaigns.filter(mine).distinct()
    inspector = getattr(user, "inspector", None)
    if inspector is not None:
        return campaigns.filter(inspections__team__inspector=inspector).distinct()
    return campaigns.none()


def campaign_for(user, pk: int) -> Campaign:
    campaign = campaigns_visible_to(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def can_plan(user, campaign: Campaign | None = None, section=None) -> bool:
    """A section chief plans for their own section."""
    section_id = campaign.section_id if campaign else getattr(section, "pk", section)
    return user.has_perm("campaigns.change_campaign") and user.section_id == section_id


def can_approve(user) -> bool:
    return user.has_perm("campaigns.approve_campaign")


def can_draw(user, campaign: Campaign) -> bool:
    """The owning section's chief, or 综合执法四科, organise the draw."""
    return user.has_perm("campaigns.draw_campaign") and (
        user.section_id == campaign.section_id or sees_all_campaigns(user)
    )


def plans_visible_to(user) -> QuerySet[AnnualPlan]:
    plans = AnnualPlan.objects.select_related("section").annotate(campaign_count=Count("campaigns"))
    if sees_all_campaigns(user):
        return plans
    if user.has_perm("campaigns.view_annualplan") and user.section_id:
        return plans.filter(section_id=user.section_id)
    return plans.none()


def campaign_list(
    user, *, q: str = "", status: str = "", year: int | None = None, section=None
) -> QuerySet[Campaign]:
    campaigns = campaigns_visible_to(user)
    if q:
        campaigns = campaigns.filter(Q(title__contains=q) | Q(code__contains=q))
    if status:
        campaigns = campaigns.filter(status=status)
    if year:
        campaigns = campaigns.filter(year=year)
    if section is not None:
        campaigns = campaigns.filter(section=section)
    return campaigns.order_by("-year", "-sequence", "-id")


def current_manifest(campaign: Campaign) -> Manifest | None:
    return campaign.manifests.filter(status=Manifest.Status.CURRENT).first()


def current_draw(campaign: Campaign) -> Draw | None:
    return Draw.objects.filter(
        manifest__campaign=campaign, manifest__status=Manifest.Status.CURRENT
    ).first()


def inspections_of(draw: Draw) -> QuerySet[Inspection]:
    return (
        draw.inspections.select_related("enterprise", "enterprise__area")
        .prefetch_related("team__inspector__department")
        .order_by("position")
    )


def inspections_for_inspector(inspector) -> QuerySet[Inspection]:
    """The inspections whose team includes `inspector` (their task list)."""
    return (
        Inspection.objects.filter(team__inspector=inspector)
        .exclude(status__in=[Inspection.Status.REPLACED, Inspection.Status.CANCELLED])
        .select_related("campaign", "enterprise", "enterprise__area")
        .prefetch_related("team__inspector")
        .order_by("campaign__starts_on", "position")
    )


# --- the population of a draw -------------------------------------------------------------------


@dataclass
class Scope:
    """What decides a campaign's population: its scope and strata. `Scope.of(campaign)` reads
    a saved campaign; the planning form builds one from what the planner has typed so far (the
    live preview), without saving anything."""

    sectors: list[int] = field(default_factory=list)
    areas: list[int] = field(default_factory=list)
    key_supervision: str = Campaign.KeySupervision.ALL
    scales: list[str] = field(default_factory=list)
    grades: list[str] = field(default_factory=list)
    stratification: str = Campaign.Stratification.CREDIT
    annual_cap: int | None = None
    strata: list[CampaignStratum] = field(default_factory=list)  # in order; may be unsaved

    @classmethod
    def of(cls, campaign: Campaign) -> Scope:
        return cls(
            sectors=[sector.pk for sector in campaign.scope_sectors.all()],
            areas=[area.pk for area in campaign.scope_areas.all()],
            key_supervision=campaign.scope_key_supervision,
            scales=list(campaign.scope_scales),
            grades=list(campaign.scope_grades),
            stratification=campaign.stratification,
            annual_cap=campaign.annual_cap,
            strata=list(campaign.strata.order_by("position")),
        )


def scoped_enterprises(scope: Campaign | Scope) -> QuerySet[Enterprise]:
    """The enterprises in the campaign's scope (在业 only), before stratification and caps."""
    if not isinstance(scope, Scope):
        scope = Scope.of(scope)
    enterprises = Enterprise.objects.filter(status=Enterprise.Status.ACTIVE)
    if scope.sectors:
        enterprises = enterprises.filter(
            Exists(
                EnterpriseSector.objects.filter(
                    enterprise=OuterRef("pk"), sector_id__in=scope.sectors
                )
            )
        )
    if scope.areas:
        enterprises = enterprises.filter(area_id__in=scope.areas)
    if scope.key_supervision == Campaign.KeySupervision.ONLY:
        enterprises = enterprises.filter(is_key_supervision=True)
    elif scope.key_supervision == Campaign.KeySupervision.EXCLUDE:
        enterprises = enterprises.filter(is_key_supervision=False)
    if scope.scales:
        enterprises = enterprises.filter(scale__in=scope.scales)
    return enterprises


@dataclass
class StratumPlan:
    label: str
    rule: str
    ratio: Decimal | None
    fixed_count: int | None
    members: list[str] = field(default_factory=list)
    size: int = 0

    @property
    def quota(self) -> int:
        return stratum_quota(self.size, self.ratio, self.fixed_count)


@dataclass
class Population:
    """The population of a campaign on a day, stratified; what the manifest will contain."""

    on: dt.date
    strata: list[StratumPlan]
    in_scope: int = 0
    at_cap: int = 0  # left out: already at the annual cap
    out_of_strata: int = 0  # in scope but in no stratum (e.g. a grade the plan does not draw)

    @property
    def size(self) -> int:
        return sum(stratum.size for stratum in self.strata)

    @property
    def total_quota(self) -> int:
        return sum(stratum.quota for stratum in self.strata)


def stratum_quota(size: int, ratio: Decimal | None, fixed_count: int | None) -> int:
    """quota = min(n, ceil(n × ratio / 100)) in exact decimals, or min(n, fixed count)."""
    if fixed_count is not None:
        return min(size, fixed_count)
    if ratio is None:
        return 0
    exact = (Decimal(size) * Decimal(ratio) / Decimal(100)).to_integral_value(ROUND_CEILING)
    return min(size, int(exact))


def _stratum_key(stratum: CampaignStratum):
    return ("key",) if stratum.is_key else ("grade", stratum.grade)


def population(campaign: Campaign | Scope, *, on: dt.date, with_members: bool = True) -> Population:
    """Stratify the campaign's scope on day `on`.

    Key-supervised enterprises go to the key stratum when the plan has one; the others to the
    stratum of their credit grade on `on` (or the single "all" stratum). Enterprises that have
    reached the annual cap are left out and counted. With `with_members=False` only the counts
    are computed (the planner's live preview), in one grouped query. `campaign` may be a
    `Scope` (a plan not saved yet).
    """
    scope = campaign if isinstance(campaign, Scope) else Scope.of(campaign)
    strata_rows = scope.strata
    plans = [StratumPlan(s.label, s.rule_text, s.ratio, s.fixed_count) for s in strata_rows]
    by_key = {_stratum_key(row): plan for row, plan in zip(strata_rows, plans, strict=True)}
    has_key_stratum = ("key",) in by_key
    single = scope.stratification == Campaign.Stratification.NONE
    result = Population(on=on, strata=plans)
    annual_cap = scope.annual_cap

    enterprises = annotate_grade_on(scoped_enterprises(scope), on, name="grade_on_day")
    if annual_cap:
        enterprises = annotate_annual_check_count(enterprises, on.year, name="checks_this_year")
    if scope.grades:
        grades = [grade if grade != CampaignStratum.UNGRADED else "" for grade in scope.grades]
        enterprises = enterprises.filter(grade_on_day__in=grades)

    def target(grade: str, is_key: bool) -> StratumPlan | None:
        if is_key and has_key_stratum:
            return by_key[("key",)]
        if single:
            # The one "all enterprises" stratum (a key stratum may be listed before it).
            return by_key.get(("grade", ""))
        return by_key.get(("grade", grade or CampaignStratum.UNGRADED))

    fields = ["grade_on_day", "is_key_supervision"]
    if annual_cap:
        fields.append("checks_this_year")
    if not with_members:
        rows = enterprises.order_by().values(*fields).annotate(n=Count("pk"))
        for row in rows:
            result.in_scope += row["n"]
            if annual_cap and row["checks_this_year"] >= annual_cap:
                result.at_cap += row["n"]
                continue
            plan = target(row["grade_on_day"], row["is_key_supervision"])
            if plan is None:
                result.out_of_strata += row["n"]
            else:
                plan.size += row["n"]
        return result

    for values in enterprises.order_by().values_list("uscc", *fields).iterator(chunk_size=20000):
        result.in_scope += 1
        if annual_cap and values[3] >= annual_cap:
            result.at_cap += 1
            continue
        plan = target(values[1], values[2])
        if plan is None:
            result.out_of_strata += 1
        else:
            plan.members.append(values[0])
    for plan in plans:
        plan.members.sort()
        plan.size = len(plan.members)
    return result


def lookback_pairs(*, enterprises_usccs: set[str] | None, since: dt.date) -> set[tuple[str, str]]:
    """(USCC, 执法证号) of every team member who inspected an enterprise since `since`:
    "确保每次双随机人员不同". Replaced and cancelled inspections never happened, so they don't
    count."""
    members = InspectionTeamMember.objects.filter(
        inspection__draw__drawn_at__date__gte=since
    ).exclude(inspection__status__in=[Inspection.Status.REPLACED, Inspection.Status.CANCELLED])
    pairs = set(members.values_list("inspection__enterprise__uscc", "inspector__cert_no"))
    if enterprises_usccs is not None:
        pairs = {pair for pair in pairs if pair[0] in enterprises_usccs}
    return pairs


def default_cap(total_selected: int, slots: int, pool: int) -> int:
    """cap = ceil(total_selected × len(slots) / len(pool)), at least 1 (spec §2)."""
    if pool == 0:
        return 1
    return max(1, math.ceil(total_selected * slots / pool))

"""What the public may read about plans, campaigns and draws (the publicity app's pages).

Only published plans, and campaigns from 已公示 on: drafts, campaigns waiting for approval and
approved but unpublished ones are not public. The nonce is never read here before the draw (a
draw's sources reveal it), the exclusion list never, and no enterprise contact ever.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from campaigns.models import AnnualPlan, Campaign, Draw, Inspection, Manifest, PlanAdjustment

PUBLIC_STATUSES = (
    Campaign.Status.PUBLISHED,
    Campaign.Status.DRAWN,
    Campaign.Status.IN_PROGRESS,
    Campaign.Status.COMPLETED,
)
# The manifest columns a public page may read: never `nonce` nor `exclusions`.
PUBLIC_MANIFEST_FIELDS = (
    "id",
    "campaign_id",
    "version",
    "frozen_on",
    "sha256",
    "nonce_sha256",
    "exclusions_sha256",
    "external_source_names",
    "stats",
    "status",
    "superseded_reason",
    "superseded_at",
    "failed_draw",
    "frozen_at",
)


def public_campaigns(*, q: str = "", year: int | None = None, plan=None) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.filter(status__in=PUBLIC_STATUSES).select_related(
        "section", "lead_department", "plan"
    )
    if q:
        campaigns = campaigns.filter(Q(title__contains=q) | Q(code__contains=q))
    if year:
        campaigns = campaigns.filter(year=year)
    if plan is not None:
        campaigns = campaigns.filter(plan=plan)
    return campaigns.order_by("-year", "-sequence")


def public_plans() -> QuerySet[AnnualPlan]:
    """Published annual plans with the number of their public campaigns."""
    return (
        AnnualPlan.objects.filter(status=AnnualPlan.Status.PUBLISHED)
        .select_related("section")
        .annotate(public_count=Count("campaigns", filter=Q(campaigns__status__in=PUBLIC_STATUSES)))
        .order_by("-year", "section__sort_order")
    )


def public_plan(pk) -> AnnualPlan:
    plan = public_plans().filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def public_campaign(pk) -> Campaign:
    campaign = (
        Campaign.objects.filter(status__in=PUBLIC_STATUSES, pk=pk)
        .select_related("section", "lead_department", "plan", "joint_list")
        .prefetch_related("participating_departments", "scope_sectors", "scope_areas")
        .first()
    )
    if campaign is None:
        raise Http404
    return campaign


def public_manifests(campaign: Campaign) -> list[Manifest]:
    """Every manifest of the campaign, newest first, each with its draw (if any)."""
    return list(
        Manifest.objects.filter(campaign=campaign)
        .only(*PUBLIC_MANIFEST_FIELDS)
        .prefetch_related(Prefetch("draw", queryset=Draw.objects.defer("result")))
        .order_by("-version")
    )


def public_adjustments(campaign: Campaign) -> QuerySet[PlanAdjustment]:
    return campaign.adjustments.filter(status=PlanAdjustment.Status.APPROVED).order_by("decided_at")


def public_draw(pk) -> Draw:
    draw = (
        Draw.objects.filter(pk=pk, manifest__campaign__status__in=PUBLIC_STATUSES)
        .select_related("manifest__campaign")
        .first()
    )
    if draw is None:
        raise Http404
    return draw


def public_inspections(draw: Draw) -> QuerySet[Inspection]:
    """The drawn enterprises with their teams: public names and numbers only."""
    return (
        draw.inspections.select_related("enterprise", "enterprise__area", "replaces__enterprise")
        .prefetch_related("team__inspector__department")
        .order_by("position")
    )

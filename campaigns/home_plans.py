"""Campaigns' next steps on the home page (core/home.py STEP_PROVIDERS).

Section chiefs: drafts to finish, rejected campaigns, approved ones to publish, published ones
to draw. Approvers (局领导, 综合执法四科): campaigns and adjustments awaiting approval (and, for
综合执法四科, published campaigns waiting for their draw). Inspectors: their open inspections.
"""

from django.db.models import Count, Q
from django.urls import reverse

from campaigns.models import Campaign, Inspection, PlanAdjustment
from campaigns.selectors.campaigns import campaigns_visible_to, inspections_for_inspector

Status = Campaign.Status


def _campaigns_url(status: str) -> str:
    return reverse("campaigns:campaign_list") + f"?status={status}"


def _undrawn():
    """Published campaigns whose current manifest has neither a draw nor a failed draw."""
    return Q(
        status=Status.PUBLISHED,
        manifests__status="current",
        manifests__draw__isnull=True,
        manifests__failed_draw__isnull=True,
    )


def chief_campaign_steps(user) -> list:
    from shijiazhuang_sr.core.home import Step

    if not user.has_perm("campaigns.change_campaign") or not user.section_id:
        return []
    counts = Campaign.objects.filter(section_id=user.section_id).aggregate(
        drafts=Count("pk", filter=Q(status=Status.DRAFT, rejection_note="")),
        rejected=Count("pk", filter=Q(status=Status.DRAFT) & ~Q(rejection_note="")),
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
        to_draw=Count("pk", filter=_undrawn(), distinct=True),
    )
    return [
        Step(
            "修改被退回的抽查任务并重新提交",
            _campaigns_url(Status.DRAFT),
            count=counts["rejected"],
            urgent=counts["rejected"] > 0,
        ),
        Step("完成抽查任务草稿并提交审批", _campaigns_url(Status.DRAFT), count=counts["drafts"]),
        Step(
            "公示已批准的抽查任务（冻结摇号方案）",
            _campaigns_url(Status.APPROVED),
            count=counts["approved"],
            urgent=counts["approved"] > 0,
        ),
        Step(
            "为已公示的抽查任务摇号",
            _campaigns_url(Status.PUBLISHED),
            count=counts["to_draw"],
            urgent=counts["to_draw"] > 0,
        ),
        Step("制定年度计划和抽查任务", reverse("campaigns:plan_list")),
    ]


def approver_campaign_steps(user) -> list:
    from shijiazhuang_sr.core.home import Step

    if not user.has_perm("campaigns.approve_campaign"):
        return []
    visible = campaigns_visible_to(user)
    submitted = visible.filter(status=Status.SUBMITTED).count()
    adjustments = PlanAdjustment.objects.filter(
        status=PlanAdjustment.Status.PENDING, campaign__in=visible.values("pk")
    ).count()
    steps = [
        Step(
            "审批各科室提交的抽查任务",
            _campaigns_url(Status.SUBMITTED),
            count=submitted,
            urgent=submitted > 0,
        ),
        Step(
            "审批计划调整（已公示任务的变更）",
            reverse("campaigns:campaign_list") + "?pending_adjustment=on",
            count=adjustments,
            urgent=adjustments > 0,
        ),
    ]
    if user.has_perm("campaigns.draw_campaign"):
        to_draw = visible.filter(_undrawn()).distinct().count()
        steps.append(
            Step("组织已公示抽查任务的摇号", _campaigns_url(Status.PUBLISHED), count=to_draw)
        )
    return steps


def inspector_campaign_steps(user) -> list:
    from shijiazhuang_sr.core.home import Step

    inspector = getattr(user, "inspector", None)
    if inspector is None or not user.has_perm("campaigns.view_inspection"):
        return []
    open_checks = inspections_for_inspector(inspector).filter(
        status__in=[Inspection.Status.PENDING, Inspection.Status.IN_PROGRESS]
    )
    count = open_checks.count()
    return [
        Step(
            "我的检查任务：打印双清单告知书，开始和完成检查",
            reverse("campaigns:my_inspections"),
            count=count,
            urgent=count > 0,
        )
    ]

"""Annual plans, campaigns and plan adjustments in the browser: thin views over
campaigns.services.plans.

A section chief plans for their own section (the selectors scope them); 局领导 and 综合执法四科
read every section's campaigns and approve; the owning chief or 综合执法四科 publish and draw
(views/draws.py). Changes are POST-only; a service's ValidationError is shown on the form or as
a message, its PermissionDenied becomes 403.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from campaigns.forms.plans import (
    AdjustmentForm,
    AnnualPlanForm,
    CampaignFilterForm,
    CampaignForm,
    DrawForm,
    NoteForm,
    PlanFilterForm,
    campaign_initial,
    new_campaign_initial,
    slots_formset,
    source_names,
    strata_formset,
)
from campaigns.models import Campaign, Inspection, Manifest, PlanAdjustment
from campaigns.selectors.campaigns import (
    campaign_for,
    campaigns_visible_to,
    can_approve,
    can_draw,
    can_plan,
    current_draw,
    current_manifest,
    inspections_for_inspector,
    plans_visible_to,
    sees_all_campaigns,
)
from campaigns.selectors.campaigns import (
    campaign_list as select_campaigns,
)
from campaigns.selectors.display import describe_changes, documents_to_prepare
from campaigns.services import plans as services
from campaigns.views.draws import draw_progress
from checklists.models import CheckItem, JointListItem
from checklists.selectors import active_items
from shijiazhuang_sr.audit.selectors import history_for
from shijiazhuang_sr.core.access import any_perm_required, staff_required
from shijiazhuang_sr.core.forms import attach_errors
from shijiazhuang_sr.core.pagination import paginate

# Who may open a campaign's pages (the selectors then scope them: own section, own team).
READERS = ("campaigns.view_campaign", "campaigns.view_inspection")
EVENT_LABELS = {
    "campaigns.campaign.created": "制定",
    "campaigns.campaign.changed": "修改",
    "campaigns.campaign.submitted": "提交审批",
    "campaigns.campaign.rejected": "退回修改",
    "campaigns.campaign.approved": "批准并编号",
    "campaigns.campaign.published": "公示并冻结摇号方案",
    "campaigns.campaign.adjusted": "计划调整生效",
    "campaigns.campaign.republished": "按调整后的方案重新公示",
    "campaigns.campaign.started": "开始检查",
    "campaigns.campaign.completed": "完成",
}


def _errors_to_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _plan_for(user, pk):
    plan = plans_visible_to(user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


# --- annual plans ------------------------------------------------------------------------------


@staff_required("campaigns.view_annualplan")
def plan_list(request):
    sees_all = sees_all_campaigns(request.user)
    filters = PlanFilterForm(request.GET or None, sees_all=sees_all)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    plans = plans_visible_to(request.user).annotate(
        open_count=Count(
            "campaigns",
            filter=Q(campaigns__status__in=[Campaign.Status.DRAFT, Campaign.Status.SUBMITTED]),
        )
    )
    if criteria.get("year"):
        plans = plans.filter(year=criteria["year"])
    if criteria.get("section"):
        plans = plans.filter(section=criteria["section"])
    page = paginate(request, plans.order_by("-year", "section__sort_order", "section__name"))
    user = request.user
    return render(
        request,
        "campaigns/plans/plan_list.html",
        {
            "filters": filters,
            "page": page,
            "filtered": any(criteria.values()),
            "can_create": user.has_perm("campaigns.add_annualplan") and user.section_id,
        },
    )


@staff_required("campaigns.add_annualplan")
def plan_create(request):
    user = request.user
    if not can_plan(user, section=user.section_id):
        raise PermissionDenied
    form = AnnualPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.annual_plan_create(
                by=user,
                year=data["year"],
                section=user.section,
                title=data["title"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已创建“{plan.title}”。接下来可在计划中制定抽查任务。")
            return redirect("campaigns:plan_detail", pk=plan.pk)
    return render(
        request,
        "campaigns/plans/plan_form.html",
        {"form": form, "section": user.section},
    )


@staff_required("campaigns.view_annualplan")
def plan_detail(request, pk):
    plan = _plan_for(request.user, pk)
    campaigns = (
        plan.campaigns.select_related("lead_department")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("starts_on", "id")
    )
    user = request.user
    return render(
        request,
        "campaigns/plans/plan_detail.html",
        {
            "plan": plan,
            "campaigns": campaigns,
            "can_add": can_plan(user, section=plan.section_id),
            "can_publish": plan.status == plan.Status.DRAFT
            and (can_plan(user, section=plan.section_id) or can_approve(user)),
        },
    )


@staff_required("campaigns.view_annualplan")
@require_POST
def plan_publish(request, pk):
    plan = _plan_for(request.user, pk)
    try:
        services.annual_plan_publish(by=request.user, plan=plan)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, "年度抽查计划已公示。此后的变更须通过计划调整办理。")
    return redirect("campaigns:plan_detail", pk=plan.pk)


# --- campaigns: list and the planning form --------------------------------------------------------


@staff_required("campaigns.view_campaign")
def campaign_list(request):
    sees_all = sees_all_campaigns(request.user)
    filters = CampaignFilterForm(request.GET or None, sees_all=sees_all)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    campaigns = select_campaigns(
        request.user,
        q=criteria.get("q", ""),
        status=criteria.get("status", ""),
        year=criteria.get("year"),
        section=criteria.get("section"),
    ).annotate(
        inspection_count=Count(
            "inspections",
            filter=~Q(
                inspections__status__in=[Inspection.Status.REPLACED, Inspection.Status.CANCELLED]
            ),
            distinct=True,
        )
    )
    if criteria.get("pending_adjustment"):
        campaigns = campaigns.filter(adjustments__status=PlanAdjustment.Status.PENDING)
    page = paginate(request, campaigns)
    return render(
        request,
        "campaigns/plans/campaign_list.html",
        {
            "filters": filters,
            "page": page,
            "filtered": any(value not in (None, "") for value in criteria.values()),
            "sees_all": sees_all,
        },
    )


def _item_groups(selected_ids: set[int], on) -> list[dict]:
    """The items offered to the planner: those in force today, grouped by section, plus any
    already chosen that are not (so that the service can say why they cannot stay)."""
    offered = (
        CheckItem.objects.filter(Q(pk__in=active_items(on)) | Q(pk__in=selected_ids))
        .select_related("responsible_section__department")
        .order_by(
            "responsible_section__department__sort_order",
            "responsible_section__sort_order",
            "responsible_section__name",
            "-category",
            "code",
        )
    )
    groups: dict[int, dict] = {}
    for item in offered:
        section = item.responsible_section
        group = groups.setdefault(section.pk, {"section": section, "items": []})
        item.checked = item.pk in selected_ids
        item.inactive = not item.is_active_on(on)
        group["items"].append(item)
    return list(groups.values())


def _joint_lists_data(form) -> dict:
    """For pre-filling from a joint list in the browser: its departments and items."""
    lists = list(form.fields["joint_list"].queryset.prefetch_related("participating_departments"))
    entries: dict[int, list[int]] = {}
    for joint_list_id, item_id in JointListItem.objects.filter(joint_list__in=lists).values_list(
        "joint_list_id", "item_id"
    ):
        entries.setdefault(joint_list_id, []).append(item_id)
    return {
        str(joint_list.pk): {
            "lead": joint_list.lead_department_id,
            "participants": [d.pk for d in joint_list.participating_departments.all()],
            "items": entries.get(joint_list.pk, []),
        }
        for joint_list in lists
    }


def _selected_items(form) -> set[int]:
    value = form["items"].value() or []
    selected = set()
    for pk in value:
        try:
            selected.add(int(pk))
        except (TypeError, ValueError):
            continue
    return selected


def _form_context(form, strata, slots, **context) -> dict:
    today = timezone.localdate()
    return {
        "form": form,
        "strata": strata,
        "slots": slots,
        "item_groups": _item_groups(_selected_items(form), today),
        "joint_lists": _joint_lists_data(form),
        **context,
    }


def _bound_plan(request, form_class, **kwargs):
    form = form_class(request.POST, **kwargs)
    strata = strata_formset(request.POST)
    slots = slots_formset(request.POST)
    valid = all([form.is_valid(), strata.is_valid(), slots.is_valid()])
    return form, strata, slots, valid


@staff_required("campaigns.add_campaign")
def campaign_create(request, plan_pk):
    plan = _plan_for(request.user, plan_pk)
    if not can_plan(request.user, section=plan.section_id):
        raise PermissionDenied
    if request.method == "POST":
        form, strata, slots, valid = _bound_plan(request, CampaignForm)
        if valid:
            data = form.to_data(strata.values(), slots.values())
            try:
                campaign = services.campaign_create(by=request.user, plan=plan, data=data)
            except ValidationError as error:
                attach_errors(error, form)
            else:
                messages.success(request, "抽查任务已保存为草稿。核对无误后请“提交审批”。")
                return redirect("campaigns:campaign_detail", pk=campaign.pk)
    else:
        department = request.user.department
        form = CampaignForm(initial=new_campaign_initial(year=plan.year, department=department))
        strata = strata_formset()
        slots = slots_formset(department=department)
    return render(
        request,
        "campaigns/plans/campaign_form.html",
        _form_context(form, strata, slots, plan=plan, title="制定抽查任务"),
    )


@staff_required("campaigns.change_campaign")
def campaign_edit(request, pk):
    campaign = campaign_for(request.user, pk)
    if not can_plan(request.user, campaign):
        raise PermissionDenied
    if campaign.status not in Campaign.EDITABLE:
        messages.error(
            request, "已提交或已公示的抽查任务不能直接修改；公示后的变更须办理计划调整。"
        )
        return redirect("campaigns:campaign_detail", pk=campaign.pk)
    if request.method == "POST":
        form, strata, slots, valid = _bound_plan(
            request, CampaignForm, joint_list=campaign.joint_list
        )
        if valid:
            data = form.to_data(strata.values(), slots.values())
            try:
                services.campaign_update(by=request.user, campaign=campaign, data=data)
            except ValidationError as error:
                attach_errors(error, form)
            else:
                messages.success(request, "抽查任务已保存。")
                return redirect("campaigns:campaign_detail", pk=campaign.pk)
    else:
        data = services.campaign_data(campaign)
        form = CampaignForm(initial=campaign_initial(data), joint_list=campaign.joint_list)
        strata = strata_formset(strata=data.strata)
        slots = slots_formset(slots=data.slots)
    return render(
        request,
        "campaigns/plans/campaign_form.html",
        _form_context(
            form, strata, slots, plan=campaign.plan, campaign=campaign, title="修改抽查任务"
        ),
    )


@any_perm_required("campaigns.change_campaign", "campaigns.draw_campaign")
@require_POST
def campaign_preview(request):
    """The live preview (htmx): the population per stratum and the quotas, those left out,
    the inspector pool per department and every problem, for the plan as typed so far."""
    form = CampaignForm(request.POST)
    strata = strata_formset(request.POST)
    slots = slots_formset(request.POST)
    data = form.preview_data(strata.valid_values(), slots.valid_values())
    preview = services.campaign_preview(data)
    return render(
        request,
        "campaigns/plans/_preview.html",
        {"preview": preview, "row_errors": not (strata.is_valid() and slots.is_valid())},
    )


# --- campaigns: the page and the workflow ------------------------------------------------------


def _plan_facts(campaign: Campaign) -> dict:
    items = (
        campaign.items.select_related("responsible_section")
        .prefetch_related("legal_bases")
        .order_by("responsible_section__sort_order", "-category", "code")
    )
    return {
        "items": items,
        "participants": list(campaign.participating_departments.all()),
        "sectors": list(campaign.scope_sectors.all()),
        "areas": list(campaign.scope_areas.all()),
        "strata_rows": list(campaign.strata.order_by("position")),
        "slot_rows": list(campaign.slots.select_related("department", "tag").order_by("position")),
        "sources": source_names(campaign.external_randomness),
    }


def _timeline(campaign: Campaign, manifests: list[Manifest]) -> list[dict]:
    """The campaign's own audit entries, with its draws and failed draws, newest first."""
    entries = [
        {
            "at": entry.at,
            "label": EVENT_LABELS.get(entry.event, entry.get_action_display()),
            "actor": entry.actor_label or (entry.actor.display_name if entry.actor else "系统"),
            "note": (entry.data or {}).get("note") or (entry.data or {}).get("reason") or "",
        }
        for entry in history_for(campaign).select_related("actor")[:50]
    ]
    for manifest in manifests:
        draw = getattr(manifest, "draw", None)
        if draw is not None:
            who = draw.drawn_by.display_name if draw.drawn_by else "系统"
            note = f"第 {manifest.version} 版方案，抽中 {draw.selected_count} 户"
            entries.append({"at": draw.drawn_at, "label": "摇号", "actor": who, "note": note})
        if manifest.failed_draw:
            entries.append(
                {
                    "at": dt.datetime.fromisoformat(manifest.failed_draw["at"]),
                    "label": "摇号失败",
                    "actor": "",
                    "note": manifest.failed_draw.get("error", ""),
                }
            )
    return sorted(entries, key=lambda entry: entry["at"], reverse=True)


def detail_context(request, campaign: Campaign, *, draw_form=None, adjust_note=None) -> dict:
    user = request.user
    manifest = current_manifest(campaign)
    draw = current_draw(campaign)
    status = campaign.status
    planner = can_plan(user, campaign)
    drawer = can_draw(user, campaign)
    approver = can_approve(user)
    pending = campaign.adjustments.filter(status=PlanAdjustment.Status.PENDING).first()
    manifests = list(
        Manifest.objects.filter(campaign=campaign)
        .defer("body", "nonce", "exclusions", "draw__result")
        .select_related("draw__drawn_by")
        .order_by("-version")
    )
    context = {
        "campaign": campaign,
        "manifest": manifest,
        "draw": draw,
        "manifests": manifests,
        "adjustments": [
            {"adjustment": adjustment, "changes": describe_changes(adjustment.changes)}
            for adjustment in campaign.adjustments.select_related(
                "requested_by", "decided_by"
            ).order_by("-requested_at")
        ],
        "timeline": _timeline(campaign, manifests),
        "can_edit": planner and status in Campaign.EDITABLE,
        "can_submit": planner and status == Campaign.Status.DRAFT,
        "can_decide": approver and status == Campaign.Status.SUBMITTED,
        "can_publish": (drawer or approver) and status == Campaign.Status.APPROVED,
        "can_draw": drawer
        and status == Campaign.Status.PUBLISHED
        and manifest is not None
        and draw is None
        and not manifest.failed_draw,
        "can_start": drawer and status == Campaign.Status.DRAWN,
        "can_complete": drawer and status == Campaign.Status.IN_PROGRESS,
        "can_adjust": (planner or drawer) and status in services.ADJUSTABLE and pending is None,
        "can_decide_adjustment": approver,
        "pending_adjustment": pending,
        "note_form": adjust_note or NoteForm(),
        **_plan_facts(campaign),
    }
    if context["can_publish"]:
        context["preflight"] = services.campaign_preview(services.campaign_data(campaign))
    if context["can_draw"]:
        names = source_names(manifest.external_source_names)
        context["draw_form"] = draw_form or DrawForm(source_names=names)
        context["progress"] = draw_progress(request, campaign, manifest)
    if draw is not None:
        context["inspection_counts"] = dict(
            campaign.inspections.filter(draw=draw)
            .values_list("status")
            .annotate(n=Count("id"))
            .order_by()
        )
    return context


@any_perm_required(*READERS)
def campaign_detail(request, pk):
    campaign = campaign_for(request.user, pk)
    return render(
        request, "campaigns/plans/campaign_detail.html", detail_context(request, campaign)
    )


def _workflow(request, pk, service, success: str, **kwargs):
    campaign = campaign_for(request.user, pk)
    try:
        service(by=request.user, campaign=campaign, **kwargs)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, success)
    return redirect("campaigns:campaign_detail", pk=campaign.pk)


@staff_required("campaigns.change_campaign")
@require_POST
def campaign_submit(request, pk):
    return _workflow(
        request, pk, services.campaign_submit, "已提交审批，待局领导或综合执法四科审批。"
    )


@staff_required("campaigns.approve_campaign")
@require_POST
def campaign_approve(request, pk):
    return _workflow(request, pk, services.campaign_approve, "已批准，任务已编号。")


@staff_required("campaigns.approve_campaign")
@require_POST
def campaign_reject(request, pk):
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _workflow(request, pk, services.campaign_reject, "已退回制定人修改。", note=note)


@any_perm_required("campaigns.draw_campaign", "campaigns.approve_campaign")
@require_POST
def campaign_publish(request, pk):
    return _workflow(
        request,
        pk,
        services.campaign_publish,
        "已公示：摇号方案已冻结，manifest_sha256 和 nonce_sha256 已在公示页面公布。",
    )


@staff_required("campaigns.draw_campaign")
@require_POST
def campaign_start(request, pk):
    return _workflow(request, pk, services.campaign_start, "抽查任务已进入检查阶段。")


@staff_required("campaigns.draw_campaign")
@require_POST
def campaign_complete(request, pk):
    return _workflow(request, pk, services.campaign_complete, "抽查任务已完成。")


# --- plan adjustments --------------------------------------------------------------------------


@any_perm_required("campaigns.add_planadjustment", "campaigns.draw_campaign")
def adjustment_create(request, pk):
    campaign = campaign_for(request.user, pk)
    if not (can_plan(request.user, campaign) or can_draw(request.user, campaign)):
        raise PermissionDenied
    if campaign.status not in services.ADJUSTABLE:
        messages.error(
            request,
            f"抽查任务当前状态为“{campaign.get_status_display()}”，不能办理计划调整。",
        )
        return redirect("campaigns:campaign_detail", pk=campaign.pk)
    if request.method == "POST":
        form, strata, slots, valid = _bound_plan(
            request, AdjustmentForm, joint_list=campaign.joint_list
        )
        if valid:
            data = form.to_data(strata.values(), slots.values())
            try:
                services.adjustment_request(
                    by=request.user,
                    campaign=campaign,
                    reason=form.cleaned_data["reason"],
                    data=data,
                    redraw=form.cleaned_data["redraw"],
                )
            except ValidationError as error:
                attach_errors(error, form)
            else:
                messages.success(request, "计划调整已提交，待审批。")
                return redirect("campaigns:campaign_detail", pk=campaign.pk)
    else:
        data = services.campaign_data(campaign)
        form = AdjustmentForm(initial=campaign_initial(data), joint_list=campaign.joint_list)
        strata = strata_formset(strata=data.strata)
        slots = slots_formset(slots=data.slots)
    return render(
        request,
        "campaigns/plans/campaign_form.html",
        _form_context(
            form,
            strata,
            slots,
            plan=campaign.plan,
            campaign=campaign,
            adjusting=True,
            title="申请计划调整",
        ),
    )


def _adjustment_for(user, pk) -> PlanAdjustment:
    adjustment = PlanAdjustment.objects.select_related("campaign").filter(pk=pk).first()
    if adjustment is None:
        raise Http404
    campaign_for(user, adjustment.campaign_id)
    return adjustment


@staff_required("campaigns.approve_campaign")
@require_POST
def adjustment_approve(request, pk):
    adjustment = _adjustment_for(request.user, pk)
    try:
        services.adjustment_approve(by=request.user, adjustment=adjustment)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        text = "计划调整已批准并生效。"
        if adjustment.supersedes_manifest:
            text += "原摇号方案已作废（保留公示），已按新方案重新冻结并生成新的随机数。"
        messages.success(request, text)
    return redirect("campaigns:campaign_detail", pk=adjustment.campaign_id)


@staff_required("campaigns.approve_campaign")
@require_POST
def adjustment_reject(request, pk):
    adjustment = _adjustment_for(request.user, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.adjustment_reject(by=request.user, adjustment=adjustment, note=note)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, "已驳回该计划调整。")
    return redirect("campaigns:campaign_detail", pk=adjustment.campaign_id)


# --- inspections (the teams' side) -------------------------------------------------------------


def inspection_for(user, pk) -> Inspection:
    """An inspection of a campaign `user` may see (404 otherwise)."""
    inspection = (
        Inspection.objects.filter(pk=pk, campaign__in=campaigns_visible_to(user).values("pk"))
        .select_related("campaign", "enterprise", "enterprise__area", "draw__manifest")
        .first()
    )
    if inspection is None:
        raise Http404
    return inspection


MY_FILTERS = {
    "open": ("待检查和检查中", [Inspection.Status.PENDING, Inspection.Status.IN_PROGRESS]),
    "done": ("已完成", [Inspection.Status.DONE]),
    "all": ("全部", None),
}


@staff_required("campaigns.view_inspection")
def my_inspections(request):
    inspector = getattr(request.user, "inspector", None)
    shown = request.GET.get("status", "open")
    if shown not in MY_FILTERS:
        shown = "open"
    page = None
    if inspector is not None:
        inspections = inspections_for_inspector(inspector).prefetch_related(
            Prefetch("team__inspector")
        )
        statuses = MY_FILTERS[shown][1]
        if statuses:
            inspections = inspections.filter(status__in=statuses)
        page = paginate(request, inspections)
    return render(
        request,
        "campaigns/plans/my_inspections.html",
        {
            "inspector": inspector,
            "page": page,
            "shown": shown,
            "filters": [(key, label) for key, (label, _) in MY_FILTERS.items()],
        },
    )


def _inspection_action(request, pk, service, success: str):
    inspection = inspection_for(request.user, pk)
    try:
        service(by=request.user, inspection=inspection)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, success.format(name=inspection.enterprise.name))
    if _safe_next(request):
        return redirect(request.POST["next"])
    return redirect("campaigns:my_inspections")


def _safe_next(request) -> bool:
    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@staff_required("campaigns.view_inspection")
@require_POST
def inspection_start(request, pk):
    return _inspection_action(request, pk, services.inspection_start, "已开始检查：{name}。")


@staff_required("campaigns.view_inspection")
@require_POST
def inspection_finish(request, pk):
    return _inspection_action(request, pk, services.inspection_finish, "已完成检查：{name}。")


@any_perm_required(*READERS)
def inspection_notice(request, pk):
    """The printable 双清单 notice of one inspection: the items to be checked (with their legal
    basis and content), the team (names and card numbers), the documents to prepare."""
    inspection = inspection_for(request.user, pk)
    campaign = inspection.campaign
    items = list(
        campaign.items.select_related("responsible_section")
        .prefetch_related("sub_items", "legal_bases")
        .order_by("responsible_section__sort_order", "-category", "code")
    )
    team = inspection.team.select_related("inspector__department").order_by("slot_index")
    return render(
        request,
        "campaigns/plans/inspection_notice.html",
        {
            "inspection": inspection,
            "campaign": campaign,
            "items": items,
            "team": team,
            "documents": documents_to_prepare(items),
            "today": timezone.localdate(),
        },
    )

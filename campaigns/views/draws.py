"""The draw in the browser: start it, follow it, read it, verify it, replace a drawn enterprise.

The draw runs as the Celery task `campaigns.draw_manifest`, enqueued after commit. On the
embedded default (no broker) it runs in-process and the result exists when the request ends;
with a real worker the campaign page shows "摇号进行中" and polls (htmx, every 2 s) until the draw
exists or the task reports an error. The nonce (S1) is read by the task from the database; it
is never a task argument, and the pages show it only from the draw's sources.
"""

from __future__ import annotations

import logging

from celery.backends.base import DisabledBackend
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campaigns.forms.plans import DrawForm, ReplaceForm, source_names
from campaigns.models import Campaign, Draw, Enterprise, Inspection, Manifest
from campaigns.selectors.campaigns import (
    campaign_for,
    can_draw,
    current_draw,
    current_manifest,
    inspections_of,
)
from campaigns.services.draws import draw_verify as verify_draw
from campaigns.services.draws import replacement_create
from campaigns.tasks import draw_manifest
from shijiazhuang_sr.core.access import any_perm_required, staff_required
from shijiazhuang_sr.core.pagination import paginate
from shijiazhuang_sr.core.queue import enqueue

logger = logging.getLogger(__name__)
READERS = ("campaigns.view_campaign", "campaigns.view_inspection")
SESSION_TASKS = "campaign_draw_tasks"  # manifest id → the id of the draw task this user sent
ALREADY_DRAWN = "该方案已摇号，不能重复摇号。"
S1_ONLY = "仅使用平台随机数：结果可复核、防篡改，但对本局而言并非不可预知。"
CHECK_LABELS = {
    "manifest": "摇号方案（manifest_sha256 与规则）",
    "nonce": "平台随机数（与事先公布的 nonce_sha256 比对）",
    "selection": "企业抽取结果与备选顺序",
    "teams": "检查组组成（含回避名单）",
    "result": "结果摘要（result_sha256）",
}
STATUS_LABELS = {"passed": "通过", "failed": "未通过", "skipped": "未检查"}


def _task_outcome(task_id: str) -> str | None:
    """The error a finished draw task reported, or None while it runs (or when no result
    backend is configured: the embedded default runs the task before the page is answered)."""
    if isinstance(draw_manifest.backend, DisabledBackend):
        return None
    try:
        result = draw_manifest.AsyncResult(task_id)
        if result.failed():
            return f"摇号任务出错：{result.result}"
        if result.successful():
            value = result.result or {}
            if not value.get("ok"):
                return value.get("error") or "摇号未完成。"
    except Exception:
        logger.warning("Cannot read the state of draw task %s", task_id, exc_info=True)
    return None


def draw_progress(request, campaign: Campaign, manifest: Manifest) -> dict | None:
    """The state of a draw this user started and that has no result yet, or None."""
    task_id = request.session.get(SESSION_TASKS, {}).get(str(manifest.pk))
    if manifest.failed_draw:
        return {"state": "failed", "error": manifest.failed_draw.get("error", "")}
    if not task_id:
        return None
    error = _task_outcome(task_id)
    if error:
        return {"state": "failed", "error": error}
    return {"state": "running", "task_id": task_id}


@staff_required("campaigns.draw_campaign")
@require_POST
def campaign_draw(request, pk):
    from campaigns.views.plans import detail_context

    user = request.user
    campaign = campaign_for(user, pk)
    if not can_draw(user, campaign):
        raise PermissionDenied
    existing = current_draw(campaign)
    if existing is not None:
        messages.error(request, ALREADY_DRAWN + "以下是该方案的摇号结果。")
        return redirect("campaigns:draw_detail", pk=existing.pk)
    manifest = current_manifest(campaign)
    if campaign.status != Campaign.Status.PUBLISHED or manifest is None:
        messages.error(request, f"抽查任务当前状态为“{campaign.get_status_display()}”，不能摇号。")
        return redirect("campaigns:campaign_detail", pk=campaign.pk)
    if manifest.failed_draw:
        messages.error(
            request,
            "该摇号方案已摇号失败，不能换用其他随机数重摇；请通过计划调整生成新方案。",
        )
        return redirect("campaigns:campaign_detail", pk=campaign.pk)
    form = DrawForm(request.POST, source_names=source_names(manifest.external_source_names))
    if not form.is_valid():
        context = detail_context(request, campaign, draw_form=form)
        return render(request, "campaigns/plans/campaign_detail.html", context)
    task_id = enqueue(draw_manifest, manifest.pk, form.sources(), user.pk)
    tasks = request.session.get(SESSION_TASKS, {})
    tasks[str(manifest.pk)] = task_id
    request.session[SESSION_TASKS] = tasks
    draw = Draw.objects.filter(manifest=manifest).first()
    if draw is not None:
        messages.success(
            request,
            f"摇号完成：抽中 {draw.selected_count} 户企业，已生成检查任务并通知检查组成员。",
        )
        return redirect("campaigns:draw_detail", pk=draw.pk)
    manifest.refresh_from_db(fields=["failed_draw"])
    if manifest.failed_draw:
        messages.error(
            request,
            f"摇号失败，未保存任何结果：{manifest.failed_draw.get('error', '')}。该方案已不能"
            "再次摇号，请调整检查组席位或参与部门后，通过计划调整生成新方案。",
        )
    else:
        messages.info(request, "摇号进行中，完成后本页将自动显示结果。")
    return redirect("campaigns:campaign_detail", pk=campaign.pk)


@staff_required("campaigns.draw_campaign")
def campaign_draw_status(request, pk):
    """Polled by the campaign page while a draw runs on a worker."""
    campaign = campaign_for(request.user, pk)
    draw = current_draw(campaign)
    if draw is not None:
        url = reverse("campaigns:draw_detail", args=[draw.pk])
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    manifest = current_manifest(campaign)
    progress = draw_progress(request, campaign, manifest) if manifest else None
    return render(
        request,
        "campaigns/draws/_progress.html",
        {"campaign": campaign, "progress": progress},
    )


def _draw_for(user, pk) -> Draw:
    draw = Draw.objects.select_related("manifest", "drawn_by").filter(pk=pk).first()
    if draw is None:
        raise Http404
    draw.manifest.campaign = campaign_for(user, draw.manifest.campaign_id)
    return draw


def _alternates(draw: Draw) -> list[dict]:
    result = draw.result_data()
    used = set(draw.replacements.values_list("replacement__enterprise__uscc", flat=True))
    usccs = {uscc for values in result["alternates"].values() for uscc in values}
    names = dict(Enterprise.objects.filter(uscc__in=usccs).values_list("uscc", "name"))
    return [
        {
            "label": label,
            "entries": [
                {"uscc": uscc, "name": names.get(uscc, ""), "used": uscc in used} for uscc in values
            ],
        }
        for label, values in result["alternates"].items()
    ]


def _sources(draw: Draw) -> list[dict]:
    names = source_names(draw.manifest.external_source_names)
    rows = []
    for index, value in enumerate(draw.sources):
        if index == 0:
            label = "S1 平台随机数（摇号前保密，公示其 SHA-256）"
        else:
            named = names[index - 1] if index - 1 < len(names) else "外部公开随机数"
            label = f"S{index + 1} {named}"
        rows.append({"label": label, "value": value})
    return rows


def _draw_page(request, draw: Draw, *, checks=None, status: int = 200):
    campaign = draw.manifest.campaign
    manifest = draw.manifest
    inspections = inspections_of(draw).select_related("replaces__enterprise")
    page = paginate(request, inspections, per_page=50)
    replaceable = (
        can_draw(request.user, campaign)
        and manifest.status == Manifest.Status.CURRENT
        and campaign.status in (Campaign.Status.DRAWN, Campaign.Status.IN_PROGRESS)
    )
    return render(
        request,
        "campaigns/draws/draw_detail.html",
        {
            "draw": draw,
            "manifest": manifest,
            "campaign": campaign,
            "sources": _sources(draw),
            "s1_only": len(draw.sources) == 1,
            "s1_only_notice": S1_ONLY,
            "page": page,
            "alternates": _alternates(draw),
            "replacements": draw.replacements.select_related(
                "replaced__enterprise", "replacement__enterprise", "created_by"
            ),
            "can_replace": replaceable,
            "replace_form": ReplaceForm(),
            "pending_status": Inspection.Status.PENDING,
            "checks": checks,
            "check_labels": CHECK_LABELS,
            "status_labels": STATUS_LABELS,
        },
        status=status,
    )


@any_perm_required(*READERS)
def draw_detail(request, pk):
    return _draw_page(request, _draw_for(request.user, pk))


@any_perm_required(*READERS)
@require_POST
def draw_verify(request, pk):
    """Run the public verifier in the server on the stored draw, with the private exclusion
    list (so the teams are checked too); one line per check."""
    draw = _draw_for(request.user, pk)
    checks = [
        {
            "name": check.name,
            "label": CHECK_LABELS.get(check.name, check.name),
            "status": check.status,
            "status_label": STATUS_LABELS.get(check.status, check.status),
            "detail": check.detail,
        }
        for check in verify_draw(draw, with_exclusions=True)
    ]
    return _draw_page(request, draw, checks=checks)


@staff_required("campaigns.draw_campaign")
@require_POST
def inspection_replace(request, pk):
    from campaigns.views.plans import inspection_for

    inspection = inspection_for(request.user, pk)
    if not can_draw(request.user, inspection.campaign):
        raise PermissionDenied
    form = ReplaceForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            replacement = replacement_create(
                inspection=inspection, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                f"已由本层备选企业“{replacement.replacement.enterprise.name}”替补"
                f"“{inspection.enterprise.name}”。",
            )
    url = reverse("campaigns:draw_detail", args=[inspection.draw_id])
    return redirect(f"{url}#replacements")

"""Public pages of plans, campaigns and draws: no login, read-only.

What is public: published annual plans; campaigns from 已公示 on, with their plan, the frozen
manifest's digests (manifest_sha256, nonce_sha256, exclusions_sha256), superseded manifests
with the reason, approved adjustments; after the draw its sources, result, teams (names and
card numbers), replacements, the draw document and the verifier. Never public: drafts and
campaigns awaiting approval or publication, the nonce before the draw, the exclusion list,
enterprises' contacts.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from campaigns import drawspec
from campaigns.models import Manifest
from campaigns.selectors import public as selectors
from campaigns.selectors.display import describe_changes
from campaigns.services.draws import draw_document_text
from checklists.selectors import today
from publicity.navigation import public_navigation
from shijiazhuang_sr.core.forms import FilterForm
from shijiazhuang_sr.core.pagination import paginate

S1_ONLY = "仅使用平台随机数：结果可复核、防篡改，但对本局而言并非不可预知。"
SPEC_FILE = Path(settings.BASE_DIR) / "docs" / "draw-spec.md"
PUBLIC_PER_PAGE = 50


class PublicCampaignFilterForm(FilterForm):
    q = forms.CharField(
        label="任务名称或编号",
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "如：危险化学品、〔2025〕3号"}),
    )
    year = forms.IntegerField(label="年度", required=False, min_value=2020, max_value=2100)


def _context(url_name: str = "publicity:campaign_list", **context) -> dict:
    return {"public_nav": public_navigation(url_name), "today": today(), **context}


@require_GET
def campaign_list(request):
    filters = PublicCampaignFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    plan = None
    if request.GET.get("plan", "").isdigit():
        plan = selectors.public_plan(int(request.GET["plan"]))
    campaigns = selectors.public_campaigns(
        q=criteria.get("q") or "", year=criteria.get("year"), plan=plan
    )
    page = paginate(request, campaigns)
    return render(
        request,
        "publicity/campaign_list.html",
        _context(
            filters=filters,
            page=page,
            plans=selectors.public_plans(),
            plan=plan,
            filtered=bool(plan) or any(value not in (None, "") for value in criteria.values()),
        ),
    )


@require_GET
def campaign_detail(request, pk):
    campaign = selectors.public_campaign(pk)
    manifests = selectors.public_manifests(campaign)
    current = next((m for m in manifests if m.status == Manifest.Status.CURRENT), None)
    draw = getattr(current, "draw", None) if current else None
    page = paginate(request, selectors.public_inspections(draw), PUBLIC_PER_PAGE) if draw else None
    names = [line.strip() for line in campaign.external_randomness.splitlines() if line.strip()]
    return render(
        request,
        "publicity/campaign_detail.html",
        _context(
            campaign=campaign,
            items=campaign.items.select_related("responsible_section")
            .prefetch_related("legal_bases")
            .order_by("responsible_section__sort_order", "-category", "code"),
            slots=campaign.slots.select_related("department", "tag").order_by("position"),
            strata_rows=campaign.strata.order_by("position"),
            source_names=names,
            manifest=current,
            superseded=[m for m in manifests if m.status == Manifest.Status.SUPERSEDED],
            adjustments=[
                {"adjustment": adjustment, "changes": describe_changes(adjustment.changes)}
                for adjustment in selectors.public_adjustments(campaign)
            ],
            draw=draw,
            page=page,
            replacements=draw.replacements.select_related(
                "replaced__enterprise", "replacement__enterprise"
            )
            if draw
            else [],
            s1_only_notice=S1_ONLY,
        ),
    )


@require_GET
def draw_document(request, pk):
    """The draw document (spec §7) as published: `python drawspec.py verify` reads it."""
    draw = selectors.public_draw(pk)
    campaign = draw.manifest.campaign
    response = HttpResponse(
        draw_document_text(draw).encode("utf-8"), content_type="application/json; charset=utf-8"
    )
    name = f"draw-{campaign.year}-{campaign.sequence}-v{draw.manifest.version}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def drawspec_file(request):
    """The reference engine and verifier: one file, Python standard library only."""
    path = Path(drawspec.__file__)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename="drawspec.py",
        content_type="text/x-python; charset=utf-8",
    )


@require_GET
def draw_guide(request):
    """How anyone can re-check a draw, and the specification itself (docs/draw-spec.md)."""
    spec = SPEC_FILE.read_text(encoding="utf-8") if SPEC_FILE.exists() else ""
    return render(
        request,
        "publicity/draw_guide.html",
        _context(
            "publicity:draw_guide", spec=spec, s1_only_notice=S1_ONLY, spec_name=drawspec.SPEC
        ),
    )

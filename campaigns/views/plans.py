"""Plans, campaigns and draws in the browser: thin views over campaigns.services."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from campaigns.selectors.campaigns import (
    campaign_for,
    current_draw,
    current_manifest,
    inspections_for_inspector,
)
from shijiazhuang_sr.core.access import staff_required
from shijiazhuang_sr.core.pagination import paginate


@staff_required()
def campaign_detail(request, pk):
    campaign = campaign_for(request.user, pk)
    return render(
        request,
        "campaigns/plans/campaign_detail.html",
        {
            "campaign": campaign,
            "manifest": current_manifest(campaign),
            "draw": current_draw(campaign),
        },
    )


@staff_required("campaigns.view_inspection")
def my_inspections(request):
    inspector = getattr(request.user, "inspector", None)
    if inspector is None:
        raise PermissionDenied
    page = paginate(request, inspections_for_inspector(inspector))
    return render(request, "campaigns/plans/my_inspections.html", {"page": page})

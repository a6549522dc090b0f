"""Public pages: no login, read-only, only what the bureau publishes.

The dates are the bureau's today (Asia/Shanghai): an item retired from day D is gone from
these pages on day D.
"""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from checklists import selectors
from checklists.forms import PublicItemFilterForm
from checklists.models import JointListAttachment
from checklists.views import attachment_response
from publicity.navigation import public_navigation
from shijiazhuang_sr.core.pagination import paginate

PUBLIC_ITEMS_PER_PAGE = 50


def _context(url_name: str, **context) -> dict:
    return {"public_nav": public_navigation(url_name), **context}


@require_GET
def item_list(request):
    today = selectors.today()
    filters = PublicItemFilterForm(request.GET or None, sections=selectors.public_sections(today))
    items = selectors.public_items(on=today, **filters.criteria())
    page = paginate(request, items, per_page=PUBLIC_ITEMS_PER_PAGE)
    return render(
        request,
        "publicity/item_list.html",
        _context(
            "publicity:item_list",
            filters=filters,
            page=page,
            today=today,
            joint_lists=selectors.active_joint_lists(today),
            filtered=any(filters.criteria().values()) if filters.is_bound else False,
        ),
    )


@require_GET
def item_detail(request, pk):
    today = selectors.today()
    item = selectors.public_item(pk, on=today)
    return render(
        request,
        "publicity/item_detail.html",
        _context("publicity:item_list", item=item, today=today),
    )


@require_GET
def joint_list_detail(request, pk):
    today = selectors.today()
    joint_list = selectors.public_joint_list(pk, on=today)
    return render(
        request,
        "publicity/joint_list_detail.html",
        _context("publicity:item_list", joint_list=joint_list, today=today),
    )


@require_GET
def joint_list_attachment(request, pk):
    """A guideline document of a joint list in force (retired lists' files are not public)."""
    attachment = get_object_or_404(JointListAttachment, pk=pk)
    selectors.public_joint_list(attachment.joint_list_id)
    return attachment_response(attachment)

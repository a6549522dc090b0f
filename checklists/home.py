"""The item list's next steps on the home page (core/home.py STEP_PROVIDERS)."""

from django.urls import reverse

from checklists import selectors
from checklists.models import CheckItemRequest


def section4_item_steps(user) -> list:
    """综合执法四科: requests to add an item waiting for a decision."""
    # Imported here: core.home imports this module while it is being loaded.
    from shijiazhuang_sr.core.home import Step

    if not user.has_perm("checklists.approve_checkitemrequest"):
        return []
    pending = selectors.pending_request_count()
    url = reverse("checklists:request_list") + f"?status={CheckItemRequest.Status.PENDING}"
    return [Step("审批各科室的抽查事项新增申请", url, count=pending, urgent=pending > 0)]


def chief_item_steps(user) -> list:
    """科室负责人: their section's open requests; propose items missing from the list."""
    from shijiazhuang_sr.core.home import Step

    if not user.has_perm("checklists.add_checkitemrequest"):
        return []
    steps = []
    if user.section_id:
        open_count = selectors.open_requests_of_section(user.section_id).count()
        url = reverse("checklists:request_list") + f"?status={CheckItemRequest.Status.PENDING}"
        steps.append(Step("本科室待审批的抽查事项新增申请", url, count=open_count))
    steps.append(
        Step("发现未列入清单的监管事项？申请新增抽查事项", reverse("checklists:request_create"))
    )
    return steps

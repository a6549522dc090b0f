"""Every write of the item list, one module per business process; each audits its change."""

from checklists.services.items import (
    check_item_create,
    check_item_retire,
    check_item_update,
    supervision_sector_create,
    supervision_sector_update,
)
from checklists.services.joint_lists import (
    JointListSpec,
    joint_list_attachment_add,
    joint_list_attachment_remove,
    joint_list_create,
    joint_list_retire,
    joint_list_update,
)
from checklists.services.requests import (
    item_request_approve,
    item_request_reject,
    item_request_submit,
    item_request_withdraw,
)

__all__ = [
    "JointListSpec",
    "check_item_create",
    "check_item_retire",
    "check_item_update",
    "item_request_approve",
    "item_request_reject",
    "item_request_submit",
    "item_request_withdraw",
    "joint_list_attachment_add",
    "joint_list_attachment_remove",
    "joint_list_create",
    "joint_list_retire",
    "joint_list_update",
    "supervision_sector_create",
    "supervision_sector_update",
]

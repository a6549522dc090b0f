"""The spot-check item list (抽查事项清单), one module per aggregate.

- `sectors`: the supervision sectors vocabulary shared with the enterprise register.
- `items`: `CheckItem` with its sub-items, legal basis and version history.
- `joint_lists`: the "一业一查" joint item lists with their guidelines.
- `requests`: a section's request to add an item, decided by 综合执法四科.
"""

from checklists.models.items import (
    CheckItem,
    CheckItemVersion,
    CheckSubItem,
    LegalBasis,
    LegalBasisKind,
    Method,
    method_labels,
)
from checklists.models.joint_lists import JointItemList, JointListAttachment, JointListItem
from checklists.models.requests import CheckItemRequest, RequestLegalBasis, RequestSubItem
from checklists.models.sectors import SupervisionSector

__all__ = [
    "CheckItem",
    "CheckItemRequest",
    "CheckItemVersion",
    "CheckSubItem",
    "JointItemList",
    "JointListAttachment",
    "JointListItem",
    "LegalBasis",
    "LegalBasisKind",
    "Method",
    "RequestLegalBasis",
    "RequestSubItem",
    "SupervisionSector",
    "method_labels",
]

"""The item list's forms, one module per concern."""

from checklists.forms.common import DATE_INPUT, BaseRowFormSet, SectionChoiceField
from checklists.forms.filters import (
    ItemFilterForm,
    JointListFilterForm,
    PublicItemFilterForm,
    RequestFilterForm,
)
from checklists.forms.items import (
    ApproveForm,
    CheckItemForm,
    CheckItemRequestForm,
    LegalBasisFormSet,
    RejectForm,
    RetireForm,
    SubItemFormSet,
    item_formsets,
)
from checklists.forms.joint_lists import (
    AttachmentForm,
    JointEntryFormSet,
    JointListForm,
    SectorForm,
    joint_entry_formset,
)
from shijiazhuang_sr.core.forms import attach_errors

__all__ = [
    "DATE_INPUT",
    "ApproveForm",
    "AttachmentForm",
    "BaseRowFormSet",
    "CheckItemForm",
    "CheckItemRequestForm",
    "ItemFilterForm",
    "JointEntryFormSet",
    "JointListFilterForm",
    "JointListForm",
    "LegalBasisFormSet",
    "PublicItemFilterForm",
    "RejectForm",
    "RequestFilterForm",
    "RetireForm",
    "SectionChoiceField",
    "SectorForm",
    "SubItemFormSet",
    "attach_errors",
    "item_formsets",
    "joint_entry_formset",
]

"""Admin of the item list, for superusers. Nothing is deleted here.

Items, joint lists and requests change only through the staff pages, whose services keep the
version history and notify people; the admin shows them read-only. The sectors vocabulary is
editable here too (audited).
"""

from django.contrib import admin

from checklists.models import (
    CheckItem,
    CheckItemRequest,
    CheckItemVersion,
    CheckSubItem,
    JointItemList,
    JointListAttachment,
    JointListItem,
    LegalBasis,
    SupervisionSector,
)
from shijiazhuang_sr.audit.admin import AuditedModelAdmin


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


@admin.register(SupervisionSector)
class SupervisionSectorAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        return False


class SubItemInline(ReadOnlyInline):
    model = CheckSubItem
    fields = ["position", "content"]


class LegalBasisInline(ReadOnlyInline):
    model = LegalBasis
    fields = ["position", "kind", "title", "article", "excerpt"]


class VersionInline(ReadOnlyInline):
    model = CheckItemVersion
    fields = ["number", "event", "reason", "changed_by", "changed_at"]


@admin.register(CheckItem)
class CheckItemAdmin(ReadOnlyMixin, AuditedModelAdmin):
    list_display = [
        "code",
        "name",
        "category",
        "responsible_section",
        "effective_from",
        "retired_from",
    ]
    list_filter = ["category", "responsible_section"]
    search_fields = ["code", "name"]
    inlines = [SubItemInline, LegalBasisInline, VersionInline]


class JointListItemInline(ReadOnlyInline):
    model = JointListItem
    fields = ["position", "department", "item"]


class AttachmentInline(ReadOnlyInline):
    model = JointListAttachment
    fields = ["title", "original_name", "size", "uploaded_by", "uploaded_at"]


@admin.register(JointItemList)
class JointItemListAdmin(ReadOnlyMixin, AuditedModelAdmin):
    list_display = ["name", "industry", "lead_department", "effective_from", "retired_from"]
    search_fields = ["name", "industry"]
    inlines = [JointListItemInline, AttachmentInline]


@admin.register(CheckItemRequest)
class CheckItemRequestAdmin(ReadOnlyMixin, AuditedModelAdmin):
    list_display = ["pk", "name", "section", "requested_by", "status", "submitted_at"]
    list_filter = ["status", "section"]
    search_fields = ["name", "code"]

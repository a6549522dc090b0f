"""Admin of the roster, for superusers. Nothing is deleted here either.

Inspectors are added on the roster pages (which also open their first status period) and
change status only through the status service; the admin edits the other fields, audited.
"""

from django.contrib import admin

from inspectors.models import (
    Department,
    Inspector,
    InspectorStatusPeriod,
    ReconciliationLine,
    ReconciliationRun,
    Section,
    Tag,
)
from shijiazhuang_sr.audit.admin import AuditedModelAdmin


class NoDeleteAdmin(AuditedModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["name", "short_name", "kind", "is_active", "sort_order"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Department)
class DepartmentAdmin(NoDeleteAdmin):
    list_display = ["name", "short_name", "is_own_bureau", "is_active", "sort_order"]
    search_fields = ["name", "short_name"]


@admin.register(Section)
class SectionAdmin(NoDeleteAdmin):
    list_display = ["name", "short_name", "department", "kind", "is_active", "sort_order"]
    list_filter = ["department", "kind", "is_active"]
    search_fields = ["name", "short_name"]


@admin.register(Tag)
class TagAdmin(NoDeleteAdmin):
    list_display = ["name", "kind", "is_active", "sort_order"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(Inspector)
class InspectorAdmin(NoDeleteAdmin):
    list_display = ["name", "cert_no", "department", "section", "status", "card_valid_to"]
    list_filter = ["department", "status", "category", "card_type"]
    search_fields = ["name", "cert_no"]
    list_select_related = ["department", "section"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["tags"]
    readonly_fields = ["status", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False


@admin.register(InspectorStatusPeriod)
class InspectorStatusPeriodAdmin(ReadOnlyAdmin):
    list_display = ["inspector", "status", "starts_on", "ends_on", "reason", "cancelled_at"]
    list_filter = ["status"]
    search_fields = ["inspector__name", "inspector__cert_no"]
    list_select_related = ["inspector"]


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(ReadOnlyAdmin):
    list_display = ["filename", "export_rows", "created_by", "created_at"]


@admin.register(ReconciliationLine)
class ReconciliationLineAdmin(ReadOnlyAdmin):
    list_display = ["run", "kind", "cert_no", "name", "resolution", "resolved_at"]
    list_filter = ["kind", "resolution"]
    search_fields = ["cert_no", "name"]

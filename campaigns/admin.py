"""Admin of the register, for superusers. Day-to-day work happens in the platform's pages;
grades, recusal decisions and visits change only through them (their rules and history)."""

from django.contrib import admin

from campaigns.models import Area, CheckVisit, CreditGradeChange, Enterprise, Recusal
from campaigns.uscc import normalize_uscc
from shijiazhuang_sr.audit.admin import AuditedModelAdmin


@admin.register(Area)
class AreaAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedModelAdmin):
    list_display = ["name", "uscc", "area", "credit_grade", "is_key_supervision", "status"]
    list_filter = ["credit_grade", "status", "is_key_supervision", "area"]
    search_fields = ["uscc", "name"]
    list_select_related = ["area"]
    show_full_result_count = False  # the register has a million rows
    readonly_fields = ["credit_grade", "credit_grade_date", "credit_grade_source"]
    filter_horizontal = ["responsible_sections"]

    def save_model(self, request, obj, form, change):
        obj.uscc = normalize_uscc(obj.uscc)
        obj.refresh_name_grams()  # keep name search in step with the name
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CreditGradeChange)
class CreditGradeChangeAdmin(_ReadOnlyAdmin):
    list_display = ["enterprise", "old_grade", "new_grade", "effective_date", "source"]
    list_select_related = ["enterprise"]
    raw_id_fields = ["enterprise"]


@admin.register(Recusal)
class RecusalAdmin(_ReadOnlyAdmin):
    list_display = ["inspector", "enterprise", "reason", "valid_from", "valid_to", "status"]
    list_filter = ["status", "reason"]
    list_select_related = ["inspector", "enterprise"]


@admin.register(CheckVisit)
class CheckVisitAdmin(_ReadOnlyAdmin):
    list_display = ["enterprise", "visited_on", "reference", "source"]
    list_select_related = ["enterprise"]

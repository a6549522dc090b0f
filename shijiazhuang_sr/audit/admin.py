from django.contrib import admin
from django.db import transaction

from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.services import audit_create, audit_delete, audit_update, snapshot


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletions go to the audit trail like any other change.

    The entry is written in `save_related`, after many-to-many fields are saved, so that it
    shows them too.
    """

    def save_model(self, request, obj, form, change):
        request._audit_before = (
            snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        event = f"{obj._meta.label_lower}.admin_{'changed' if change else 'created'}"
        before = getattr(request, "_audit_before", None)
        if before is not None:
            audit_update(obj, before, by=request.user, event=event)
        else:
            audit_create(obj, by=request.user, event=event)

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_delete(obj, by=request.user, event=f"{obj._meta.label_lower}.admin_deleted")
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody, superusers included, edits or deletes an audit entry here."""

    list_display = ["at", "actor_label", "ip", "action", "event", "content_type", "object_repr"]
    list_filter = ["action", "channel", "content_type"]
    search_fields = ["actor_label", "object_repr", "event"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

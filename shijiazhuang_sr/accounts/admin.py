from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from shijiazhuang_sr.accounts.models import User
from shijiazhuang_sr.audit.admin import AuditedModelAdmin

admin.site.site_header = "双随机监管平台 · 后台管理"
admin.site.site_title = "双随机监管平台"
admin.site.index_title = "后台管理"


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "department", "section", "is_active"]
    list_filter = ["is_active", "groups", "department"]
    search_fields = ["username", "full_name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "email", "phone", "department", "section")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("安全", {"fields": ("must_change_password", "password_changed_at", "last_login")}),
    )
    readonly_fields = ["password_changed_at", "last_login"]

    def save_model(self, request, obj, form, change):
        if not change:
            # An account an administrator created gets a password its holder must replace.
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("shijiazhuang_sr.core.urls")),
    path("accounts/", include("shijiazhuang_sr.accounts.urls")),
    path("audit/", include("shijiazhuang_sr.audit.urls")),
    path("roster/", include("inspectors.urls")),
    path("checklists/", include("checklists.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("followups/", include("followups.urls")),
    path("public/", include("publicity.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "shijiazhuang_sr.core.errors.bad_request"
handler403 = "shijiazhuang_sr.core.errors.permission_denied"
handler404 = "shijiazhuang_sr.core.errors.page_not_found"
handler500 = "shijiazhuang_sr.core.errors.server_error"

from django.urls import path

from shijiazhuang_sr.core import import_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("imports/<slug:kind_name>/", import_views.import_start, name="import_start"),
    path(
        "imports/<slug:kind_name>/template/", import_views.import_template, name="import_template"
    ),
    path("imports/batch/<uuid:pk>/", import_views.import_batch, name="import_batch"),
    path("imports/batch/<uuid:pk>/apply/", import_views.import_apply, name="import_apply"),
    path("imports/batch/<uuid:pk>/discard/", import_views.import_discard, name="import_discard"),
]

from django.urls import path

from shijiazhuang_sr.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.entry_list_view, name="entry_list"),
    path("export/", views.entry_export, name="entry_export"),
]

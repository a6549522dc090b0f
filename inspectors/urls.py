from django.urls import path

from inspectors import views

app_name = "inspectors"

urlpatterns = [
    path("", views.inspector_list, name="inspector_list"),
    path("export/", views.inspector_export, name="inspector_export"),
    path("import/", views.inspector_import, name="inspector_import"),
    path("new/", views.inspector_create, name="inspector_create"),
    path("bulk-tag/", views.inspector_bulk_tag, name="inspector_bulk_tag"),
    path("<int:pk>/", views.inspector_detail, name="inspector_detail"),
    path("<int:pk>/edit/", views.inspector_edit, name="inspector_edit"),
    path("<int:pk>/status/", views.inspector_status, name="inspector_status"),
    path("periods/<int:pk>/cancel/", views.status_period_cancel, name="status_period_cancel"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    path("departments/<int:pk>/sections/new/", views.section_create, name="section_create"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/new/", views.tag_create, name="tag_create"),
    path("tags/<int:pk>/edit/", views.tag_edit, name="tag_edit"),
    path("reconciliation/", views.reconciliation_list, name="reconciliation_list"),
    path("reconciliation/new/", views.reconciliation_create, name="reconciliation_create"),
    path("reconciliation/<int:pk>/", views.reconciliation_detail, name="reconciliation_detail"),
    path(
        "reconciliation/lines/<int:pk>/resolve/",
        views.reconciliation_line_resolve,
        name="reconciliation_line_resolve",
    ),
]

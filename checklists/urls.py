from django.urls import path

from checklists import views

app_name = "checklists"

urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("items/export/", views.item_export, name="item_export"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/retire/", views.item_retire, name="item_retire"),
    path("items/<int:pk>/versions/<int:number>/", views.item_version, name="item_version"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/approve/", views.request_approve, name="request_approve"),
    path("requests/<int:pk>/reject/", views.request_reject, name="request_reject"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("joint-lists/", views.joint_list_list, name="joint_list_list"),
    path("joint-lists/new/", views.joint_list_create, name="joint_list_create"),
    path("joint-lists/<int:pk>/", views.joint_list_detail, name="joint_list_detail"),
    path("joint-lists/<int:pk>/edit/", views.joint_list_edit, name="joint_list_edit"),
    path("joint-lists/<int:pk>/retire/", views.joint_list_retire, name="joint_list_retire"),
    path(
        "joint-lists/<int:pk>/attachments/",
        views.joint_list_attachment_add,
        name="joint_list_attachment_add",
    ),
    path("attachments/<int:pk>/", views.joint_list_attachment, name="joint_list_attachment"),
    path(
        "attachments/<int:pk>/remove/",
        views.joint_list_attachment_remove,
        name="joint_list_attachment_remove",
    ),
    path("sectors/", views.sector_list, name="sector_list"),
    path("sectors/<int:pk>/edit/", views.sector_edit, name="sector_edit"),
]

from django.urls import path

from publicity import views

app_name = "publicity"

urlpatterns = [
    path("items/", views.item_list, name="item_list"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("joint-lists/<int:pk>/", views.joint_list_detail, name="joint_list_detail"),
    path(
        "joint-lists/attachments/<int:pk>/",
        views.joint_list_attachment,
        name="joint_list_attachment",
    ),
]

from django.urls import path

from publicity import campaign_views, views

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
    # Plans, campaigns and draws (抽查计划与摇号公示).
    path("campaigns/", campaign_views.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign_detail"),
    path("draws/<int:pk>/draw.json", campaign_views.draw_document, name="draw_document"),
    path("drawspec.py", campaign_views.drawspec_file, name="drawspec"),
    path("draw-guide/", campaign_views.draw_guide, name="draw_guide"),
]

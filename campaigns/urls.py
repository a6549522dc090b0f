from django.urls import path

from campaigns.views import plans, register

app_name = "campaigns"

urlpatterns = [
    # The enterprise register (检查对象名录库).
    path("enterprises/", register.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", register.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", register.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", register.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/grade/", register.enterprise_grade, name="enterprise_grade"),
    path(
        "enterprises/<int:pk>/recusals/new/",
        register.enterprise_recusal_create,
        name="enterprise_recusal_create",
    ),
    path(
        "enterprises/<int:pk>/visits/new/",
        register.enterprise_visit_create,
        name="enterprise_visit_create",
    ),
    # Campaigns and draws (抽查任务与摇号).
    path("campaigns/<int:pk>/", plans.campaign_detail, name="campaign_detail"),
    path("my-inspections/", plans.my_inspections, name="my_inspections"),
    # The recusal registry (回避登记).
    path("recusals/", register.recusal_list, name="recusal_list"),
    path("recusals/declare/", register.recusal_declare, name="recusal_declare"),
    path("recusals/<int:pk>/", register.recusal_detail, name="recusal_detail"),
    path("recusals/<int:pk>/approve/", register.recusal_approve, name="recusal_approve"),
    path("recusals/<int:pk>/reject/", register.recusal_reject, name="recusal_reject"),
    path("recusals/<int:pk>/withdraw/", register.recusal_withdraw, name="recusal_withdraw"),
]

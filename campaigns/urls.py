from django.urls import path

from campaigns.views import draws, plans, register

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
    # Annual plans, campaigns and draws (年度计划、抽查任务与摇号).
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/publish/", plans.plan_publish, name="plan_publish"),
    path("plans/<int:plan_pk>/campaigns/new/", plans.campaign_create, name="campaign_create"),
    path("campaigns/", plans.campaign_list, name="campaign_list"),
    path("campaigns/preview/", plans.campaign_preview, name="campaign_preview"),
    path("campaigns/<int:pk>/", plans.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", plans.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/submit/", plans.campaign_submit, name="campaign_submit"),
    path("campaigns/<int:pk>/approve/", plans.campaign_approve, name="campaign_approve"),
    path("campaigns/<int:pk>/reject/", plans.campaign_reject, name="campaign_reject"),
    path("campaigns/<int:pk>/publish/", plans.campaign_publish, name="campaign_publish"),
    path("campaigns/<int:pk>/draw/", draws.campaign_draw, name="campaign_draw"),
    path(
        "campaigns/<int:pk>/draw/status/",
        draws.campaign_draw_status,
        name="campaign_draw_status",
    ),
    path("campaigns/<int:pk>/start/", plans.campaign_start, name="campaign_start"),
    path("campaigns/<int:pk>/complete/", plans.campaign_complete, name="campaign_complete"),
    path("campaigns/<int:pk>/adjust/", plans.adjustment_create, name="adjustment_create"),
    path("adjustments/<int:pk>/approve/", plans.adjustment_approve, name="adjustment_approve"),
    path("adjustments/<int:pk>/reject/", plans.adjustment_reject, name="adjustment_reject"),
    path("draws/<int:pk>/", draws.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/verify/", draws.draw_verify, name="draw_verify"),
    path("inspections/<int:pk>/replace/", draws.inspection_replace, name="inspection_replace"),
    path("inspections/<int:pk>/start/", plans.inspection_start, name="inspection_start"),
    path("inspections/<int:pk>/finish/", plans.inspection_finish, name="inspection_finish"),
    path("inspections/<int:pk>/notice/", plans.inspection_notice, name="inspection_notice"),
    path("my-inspections/", plans.my_inspections, name="my_inspections"),
    # The recusal registry (回避登记).
    path("recusals/", register.recusal_list, name="recusal_list"),
    path("recusals/declare/", register.recusal_declare, name="recusal_declare"),
    path("recusals/<int:pk>/", register.recusal_detail, name="recusal_detail"),
    path("recusals/<int:pk>/approve/", register.recusal_approve, name="recusal_approve"),
    path("recusals/<int:pk>/reject/", register.recusal_reject, name="recusal_reject"),
    path("recusals/<int:pk>/withdraw/", register.recusal_withdraw, name="recusal_withdraw"),
]

"""Pages of the enterprise register and the recusal registry.

Staff with the register's view right (科室负责人, 执法人员, 局领导, 综合执法四科) read it;
综合执法四科 edits it, changes grades, records visits and decides recusals; inspectors declare
their own recusals. Nothing here is public.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from campaigns.forms.register import (
    CheckVisitForm,
    EnterpriseFilterForm,
    EnterpriseForm,
    GradeChangeForm,
    RecusalDecisionForm,
    RecusalDeclareForm,
    RecusalFilterForm,
    RecusalRecordForm,
    RecusalWithdrawForm,
)
from campaigns.models import Recusal
from campaigns.selectors import register as selectors
from campaigns.services import register as services
from campaigns.uscc import normalize_uscc, uscc_problem
from inspectors.models import Inspector
from shijiazhuang_sr.core.access import any_perm_required, staff_required
from shijiazhuang_sr.core.forms import attach_errors
from shijiazhuang_sr.core.pagination import DEFAULT_PER_PAGE, paginate

RECUSAL_READERS = ("campaigns.view_recusal", "campaigns.declare_recusal")


# --- The register -------------------------------------------------------------------------------


@staff_required("campaigns.view_enterprise")
def enterprise_list(request):
    filters = EnterpriseFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    criteria = {name: value for name, value in criteria.items() if value not in (None, "", False)}
    enterprises = selectors.enterprise_list(**criteria)
    scan = selectors.enterprise_list(**criteria, grams=False) if criteria.get("q") else None
    paginator = selectors.RegisterPaginator(enterprises, DEFAULT_PER_PAGE, search_scan=scan)
    page = paginator.get_page(request.GET.get("page"))
    uscc_hint = ""
    query = criteria.get("q", "")
    if query and not page.object_list:
        code = normalize_uscc(query)
        if len(code) == 18 or (len(code) > 15 and code.isalnum() and code.isascii()):
            uscc_hint = uscc_problem(code) or ""
    return render(
        request,
        "campaigns/register/enterprise_list.html",
        {
            "filters": filters,
            "page": page,
            "filtered": bool(criteria),
            "uscc_hint": uscc_hint,
            "sort_limit": selectors.SEARCH_SORT_LIMIT,
        },
    )


@staff_required("campaigns.view_enterprise")
def enterprise_detail(request, pk):
    enterprise = selectors.enterprise_detail(pk)
    user = request.user
    return render(
        request,
        "campaigns/register/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "grade_history": selectors.grade_history(enterprise),
            "recusals": (
                selectors.recusals_of_enterprise(enterprise)
                if user.has_perm("campaigns.view_recusal")
                else None
            ),
            "check_counts": selectors.check_counts_by_year(enterprise),
            "visits": selectors.visits_of_enterprise(enterprise),
            "can_declare": user.has_perm("campaigns.declare_recusal")
            and Inspector.objects.filter(user=user).exists(),
        },
    )


@staff_required("campaigns.add_enterprise")
def enterprise_create(request):
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enterprise = services.enterprise_create(
                by=request.user,
                uscc=data["uscc"],
                sectors=data["supervision_sectors"],
                sections=data["responsible_sections"],
                grade=data["grade"],
                grade_date=data["grade_date"],
                grade_source=data["grade_source"],
                **form.profile(),
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, f"已将“{enterprise.name}”登记到检查对象名录库。")
            return redirect("campaigns:enterprise_detail", pk=enterprise.pk)
    return render(
        request,
        "campaigns/register/form.html",
        {"form": form, "title": "登记检查对象"},
    )


@staff_required("campaigns.change_enterprise")
def enterprise_edit(request, pk):
    enterprise = selectors.enterprise_detail(pk)
    form = EnterpriseForm(request.POST or None, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.enterprise_update(
                by=request.user,
                enterprise=enterprise,
                sectors=data["supervision_sectors"],
                sections=data["responsible_sections"],
                **form.profile(),
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, "检查对象信息已保存。")
            return redirect("campaigns:enterprise_detail", pk=enterprise.pk)
    return render(
        request,
        "campaigns/register/form.html",
        {"form": form, "title": f"编辑 {enterprise.name}", "enterprise": enterprise},
    )


@staff_required("campaigns.add_creditgradechange")
def enterprise_grade(request, pk):
    enterprise = selectors.enterprise_detail(pk)
    form = GradeChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.enterprise_change_grade(
                by=request.user,
                enterprise=enterprise,
                grade=data["grade"],
                effective_date=data["effective_date"],
                source=data["source"],
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, f"信用风险等级已调整为 {data['grade']} 级。")
            return redirect("campaigns:enterprise_detail", pk=enterprise.pk)
    return render(
        request,
        "campaigns/register/form.html",
        {
            "form": form,
            "title": f"调整 {enterprise.name} 的信用风险等级",
            "enterprise": enterprise,
            "intro": (
                f"当前等级：{enterprise.get_credit_grade_display() or '未评级'}"
                + (
                    f"（{enterprise.credit_grade_date:%Y-%m-%d} 起）"
                    if enterprise.credit_grade_date
                    else ""
                )
                + "。每月的信用风险分类结果请通过导入更新；这里用于个别调整，调整记入等级历史。"
            ),
        },
    )


@staff_required("campaigns.add_recusal")
def enterprise_recusal_create(request, pk):
    enterprise = selectors.enterprise_detail(pk)
    form = RecusalRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recusal = services.recusal_create(
                by=request.user,
                inspector=data["inspector"],
                enterprise=enterprise,
                reason=data["reason"],
                description=data["description"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, "回避登记已保存，待审核。")
            return redirect("campaigns:recusal_detail", pk=recusal.pk)
    return render(
        request,
        "campaigns/register/form.html",
        {
            "form": form,
            "title": f"登记 {enterprise.name} 的回避申请",
            "enterprise": enterprise,
            "intro": "用于登记企业提出的回避申请或其他知悉的利害关系；登记后须经审核批准才生效。",
        },
    )


@staff_required("campaigns.add_checkvisit")
def enterprise_visit_create(request, pk):
    enterprise = selectors.enterprise_detail(pk)
    form = CheckVisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_visit_record(
                by=request.user,
                enterprise=enterprise,
                visited_on=data["visited_on"],
                departments=data["departments"],
                reference=data["reference"],
                note=data["note"],
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, "检查记录已登记。")
            return redirect("campaigns:enterprise_detail", pk=enterprise.pk)
    return render(
        request,
        "campaigns/register/form.html",
        {
            "form": form,
            "title": f"登记对 {enterprise.name} 的检查",
            "enterprise": enterprise,
            "intro": "登记平台之外已实施的检查（如其他部门的检查），计入该企业的年度检查次数。",
        },
    )


# --- Recusals -----------------------------------------------------------------------------------


def _own_inspector(user) -> Inspector | None:
    return Inspector.objects.filter(user=user).first()


@any_perm_required(*RECUSAL_READERS)
def recusal_list(request):
    filters = RecusalFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    page = paginate(request, selectors.recusal_list(request.user, **criteria))
    return render(
        request,
        "campaigns/register/recusal_list.html",
        {
            "filters": filters,
            "page": page,
            "can_declare": request.user.has_perm("campaigns.declare_recusal"),
            "sees_all": request.user.has_perm("campaigns.view_recusal"),
        },
    )


@staff_required("campaigns.declare_recusal")
def recusal_declare(request):
    inspector = _own_inspector(request.user)
    initial = {"enterprise": request.GET.get("enterprise", "")}
    form = RecusalDeclareForm(request.POST or None, initial=initial)
    if inspector is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recusal = services.recusal_create(
                by=request.user,
                inspector=inspector,
                enterprise=data["enterprise"],
                reason=data["reason"],
                description=data["description"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, "回避申报已提交，待综合执法四科审核。")
            return redirect("campaigns:recusal_detail", pk=recusal.pk)
    query = (request.GET.get("q") or "").strip()[:60]
    found = list(selectors.enterprise_list(q=query)[:10]) if query else []
    return render(
        request,
        "campaigns/register/recusal_declare.html",
        {"form": form, "inspector": inspector, "query": query, "found": found},
    )


@any_perm_required(*RECUSAL_READERS)
def recusal_detail(request, pk):
    recusal = selectors.recusal_for(request.user, pk)
    user = request.user
    return render(
        request,
        "campaigns/register/recusal_detail.html",
        {
            "recusal": recusal,
            "can_decide": user.has_perm("campaigns.approve_recusal")
            and recusal.status == Recusal.Status.PENDING,
            "can_withdraw": services.can_withdraw(user, recusal),
            "decision_form": RecusalDecisionForm(),
            "withdraw_form": RecusalWithdrawForm(),
        },
    )


def _decide(request, pk, service, success: str):
    recusal = selectors.recusal_for(request.user, pk)
    form = RecusalDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        service(by=request.user, recusal=recusal, note=note)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("campaigns:recusal_detail", pk=recusal.pk)


@staff_required("campaigns.approve_recusal")
@require_POST
def recusal_approve(request, pk):
    return _decide(request, pk, services.recusal_approve, "已批准该回避登记。")


@staff_required("campaigns.approve_recusal")
@require_POST
def recusal_reject(request, pk):
    return _decide(request, pk, services.recusal_reject, "已驳回该回避登记。")


@any_perm_required(*RECUSAL_READERS)
@require_POST
def recusal_withdraw(request, pk):
    recusal = selectors.recusal_for(request.user, pk)
    if not services.can_withdraw(request.user, recusal):
        raise PermissionDenied
    form = RecusalWithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.recusal_withdraw(by=request.user, recusal=recusal, reason=reason)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "已撤销该回避登记。")
    return redirect("campaigns:recusal_detail", pk=recusal.pk)

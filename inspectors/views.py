"""Roster pages: inspectors, departments and sections, tags, the "应纳尽纳" reconciliation.

Every staff role but the auditor reads the roster; 综合执法四科 and the system administrator
change it. Changes are POST-only and go through one service each.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from inspectors import selectors, services
from inspectors.forms import (
    BulkTagForm,
    CancelPeriodForm,
    DepartmentForm,
    InspectorFilterForm,
    InspectorForm,
    LineFilterForm,
    LineResolveForm,
    ReconciliationUploadForm,
    SectionForm,
    StatusChangeForm,
    TagForm,
)
from inspectors.models import (
    Department,
    Inspector,
    InspectorStatusPeriod,
    ReconciliationLine,
    ReconciliationRun,
    Section,
    Tag,
)
from inspectors.resources import InspectorResource
from shijiazhuang_sr.audit.selectors import history_for
from shijiazhuang_sr.core.access import staff_required
from shijiazhuang_sr.core.exports import xlsx_response
from shijiazhuang_sr.core.forms import attach_errors
from shijiazhuang_sr.core.pagination import paginate

IMPORT_KIND = "inspectors"
HISTORY_LIMIT = 50
# Audit entries name fields by their code names; the history panels show the labels.
FIELD_LABELS = {
    **{
        field.name: str(field.verbose_name)
        for field in Inspector._meta.get_fields()
        if hasattr(field, "verbose_name")
    },
    "status_periods": "状态变动",
    "tags": "执法领域与专长",
    "field_tags": "执法领域",
    "expertise_tags": "执法专长",
}


def _export_display(values: dict) -> list[tuple[str, str]]:
    """A reconciliation line's export values as (label, text) rows."""
    choices = {
        "card_type": dict(Inspector.CardType.choices),
        "category": dict(Inspector.Category.choices),
    }
    rows = []
    for name, value in values.items():
        if value in (None, "", []):
            continue
        if name in choices:
            value = choices[name].get(value, value)
        elif isinstance(value, list):
            value = "、".join(value)
        rows.append((FIELD_LABELS.get(name, name), value))
    return rows


def _filters(request) -> tuple[InspectorFilterForm, dict]:
    form = InspectorFilterForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


def _tags_fields_first() -> list[Tag]:
    return sorted(Tag.objects.all(), key=lambda t: (t.kind != Tag.Kind.FIELD, t.sort_order, t.name))


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


# --- inspectors -----------------------------------------------------------------------------


@staff_required("inspectors.view_inspector")
def inspector_list(request):
    filters, criteria = _filters(request)
    today = timezone.localdate()
    page = paginate(request, selectors.inspector_list(**criteria, today=today))
    for inspector in page.object_list:
        inspector.card_flag = selectors.card_flag(inspector, today)
    can_edit = request.user.has_perm("inspectors.change_inspector")
    return render(
        request,
        "inspectors/inspector_list.html",
        {
            "filters": filters,
            "page": page,
            "can_edit": can_edit,
            "bulk_form": BulkTagForm() if can_edit else None,
            # One query for both tag pickers; retired tags can be removed but not added.
            "all_tags": _tags_fields_first() if can_edit else (),
            "import_kind": IMPORT_KIND,
            "expiry_days": selectors.EXPIRY_WARNING_DAYS,
        },
    )


@staff_required("inspectors.view_inspector")
def inspector_export(request):
    _form, criteria = _filters(request)
    inspectors = selectors.inspector_list(**criteria)
    resource = InspectorResource()
    headers, rows = resource.headers(), [resource.row(i) for i in inspectors]
    services.inspector_list_exported(
        by=request.user,
        rows=len(rows),
        filters={
            key: str(value) for key, value in criteria.items() if value not in (None, "", False)
        },
    )
    filename = f"执法人员名录库_{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(filename, headers, rows, sheet_title="执法人员名录库")


@staff_required("inspectors.view_inspector")
def inspector_detail(request, pk):
    inspector = get_object_or_404(selectors.inspectors_with_relations(), pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "inspectors/inspector_detail.html",
        {
            "inspector": inspector,
            "status_today": selectors.status_on(inspector, today),
            "card_flag": selectors.card_flag(inspector, today),
            "periods": selectors.status_history(inspector),
            "history": history_for(inspector)[:HISTORY_LIMIT],
            "history_limit": HISTORY_LIMIT,
            "cancel_form": CancelPeriodForm(),
            "field_labels": FIELD_LABELS,
        },
    )


@staff_required("inspectors.add_inspector")
def inspector_create(request):
    form = InspectorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspector = services.inspector_create(
                by=request.user, tags=form.tags(), **form.record_fields()
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, f"已将 {inspector.name} 加入执法人员名录库。")
            return redirect("inspectors:inspector_detail", pk=inspector.pk)
    return render(
        request, "inspectors/inspector_form.html", {"form": form, "title": "新增执法人员"}
    )


@staff_required("inspectors.change_inspector")
def inspector_edit(request, pk):
    inspector = get_object_or_404(Inspector, pk=pk)
    form = InspectorForm(request.POST or None, instance=inspector)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspector_update(
                by=request.user,
                inspector=Inspector.objects.get(pk=pk),
                tags=form.tags(),
                **form.record_fields(),
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, f"{inspector.name} 的信息已保存。")
            return redirect("inspectors:inspector_detail", pk=pk)
    return render(
        request,
        "inspectors/inspector_form.html",
        {"form": form, "title": f"编辑 {inspector.name}", "inspector": inspector},
    )


@staff_required("inspectors.add_inspectorstatusperiod")
def inspector_status(request, pk):
    inspector = get_object_or_404(Inspector, pk=pk)
    form = StatusChangeForm(
        request.POST or None, initial={"starts_on": timezone.localdate(), "status": "on_leave"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            period = services.inspector_change_status(
                by=request.user, inspector=inspector, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, f"已登记 {inspector.name}：{period.span_display()}。")
            return redirect("inspectors:inspector_detail", pk=pk)
    return render(
        request,
        "inspectors/inspector_status.html",
        {
            "form": form,
            "inspector": inspector,
            "periods": selectors.status_history(inspector),
        },
    )


@staff_required("inspectors.change_inspectorstatusperiod")
@require_POST
def status_period_cancel(request, pk):
    period = get_object_or_404(InspectorStatusPeriod, pk=pk)
    form = CancelPeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写撤销的原因。")
    else:
        try:
            services.status_period_cancel(
                by=request.user, period=period, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已撤销：{period.span_display()}。")
    return redirect("inspectors:inspector_detail", pk=period.inspector_id)


@staff_required("inspectors.change_inspector")
@require_POST
def inspector_bulk_tag(request):
    form = BulkTagForm(request.POST)
    back = _safe_next(request, reverse("inspectors:inspector_list"))
    if not form.is_valid():
        errors = [message for messages_ in form.errors.values() for message in messages_]
        messages.error(request, "未修改标签：" + "；".join(errors))
        return redirect(back)
    try:
        changed = services.inspectors_tag(
            by=request.user,
            inspectors=form.cleaned_data["inspectors"],
            add=form.cleaned_data["add"],
            remove=form.cleaned_data["remove"],
        )
    except ValidationError as error:
        messages.error(request, "未修改标签：" + "；".join(error.messages))
    else:
        chosen = len(form.cleaned_data["inspectors"])
        messages.success(
            request, f"已更新 {changed} 名执法人员的标签（共勾选 {chosen} 名，其余无变化）。"
        )
    return redirect(back)


@staff_required("inspectors.change_inspector")
def inspector_import(request):
    """The roster's entry to the generic upload → preview → confirm pages."""
    return redirect("core:import_start", kind_name=IMPORT_KIND)


# --- departments and sections ---------------------------------------------------------------


@staff_required("inspectors.view_department")
def department_list(request):
    return render(
        request,
        "inspectors/department_list.html",
        {"departments": selectors.department_list()},
    )


@staff_required("inspectors.view_department")
def department_detail(request, pk):
    department = get_object_or_404(Department, pk=pk)
    return render(
        request,
        "inspectors/department_detail.html",
        {"department": department, "sections": selectors.section_list(department)},
    )


@staff_required("inspectors.add_department")
def department_create(request):
    form = DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, f"已添加部门“{department.name}”。")
            return redirect("inspectors:department_detail", pk=department.pk)
    return render(
        request,
        "inspectors/simple_form.html",
        {"form": form, "title": "新增部门", "back": reverse("inspectors:department_list")},
    )


@staff_required("inspectors.change_department")
def department_edit(request, pk):
    department = get_object_or_404(Department, pk=pk)
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST" and form.is_valid():
        try:
            services.department_update(
                by=request.user, department=Department.objects.get(pk=pk), **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, "部门信息已保存。")
            return redirect("inspectors:department_detail", pk=pk)
    back = reverse("inspectors:department_detail", args=[pk])
    return render(
        request,
        "inspectors/simple_form.html",
        {"form": form, "title": f"编辑部门：{department.name}", "back": back},
    )


@staff_required("inspectors.add_section")
def section_create(request, pk):
    department = get_object_or_404(Department, pk=pk)
    form = SectionForm(request.POST or None, department=department)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_create(by=request.user, department=department, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, f"已在“{department.name}”下添加科室。")
            return redirect("inspectors:department_detail", pk=pk)
    back = reverse("inspectors:department_detail", args=[pk])
    return render(
        request,
        "inspectors/simple_form.html",
        {"form": form, "title": f"新增科室：{department.name}", "back": back},
    )


@staff_required("inspectors.change_section")
def section_edit(request, pk):
    section = get_object_or_404(Section.objects.select_related("department"), pk=pk)
    form = SectionForm(request.POST or None, instance=section, department=section.department)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(
                by=request.user, section=Section.objects.get(pk=pk), **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, "科室信息已保存。")
            return redirect("inspectors:department_detail", pk=section.department_id)
    back = reverse("inspectors:department_detail", args=[section.department_id])
    return render(
        request,
        "inspectors/simple_form.html",
        {"form": form, "title": f"编辑科室：{section.name}", "back": back},
    )


# --- tags -----------------------------------------------------------------------------------


@staff_required("inspectors.view_tag")
def tag_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in Tag.Kind.values else ""
    return render(
        request,
        "inspectors/tag_list.html",
        {"tags": selectors.tag_list(kind=kind), "kind": kind, "kinds": Tag.Kind.choices},
    )


@staff_required("inspectors.add_tag")
def tag_create(request):
    form = TagForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            tag = services.tag_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, f"已添加{tag.get_kind_display()}标签“{tag.name}”。")
            return redirect("inspectors:tag_list")
    return render(
        request,
        "inspectors/simple_form.html",
        {"form": form, "title": "新增人员标签", "back": reverse("inspectors:tag_list")},
    )


@staff_required("inspectors.change_tag")
def tag_edit(request, pk):
    tag = get_object_or_404(Tag, pk=pk)
    form = TagForm(request.POST or None, instance=tag)
    if request.method == "POST" and form.is_valid():
        try:
            services.tag_update(by=request.user, tag=Tag.objects.get(pk=pk), **form.cleaned_data)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, "标签已保存。")
            return redirect("inspectors:tag_list")
    return render(
        request,
        "inspectors/simple_form.html",
        {"form": form, "title": f"编辑标签：{tag.name}", "back": reverse("inspectors:tag_list")},
    )


# --- reconciliation -------------------------------------------------------------------------


def _reconciliation_page(request, form, report=None, status=200):
    return render(
        request,
        "inspectors/reconciliation_list.html",
        {
            "form": form,
            "report": report,
            "page": paginate(request, selectors.reconciliation_runs(), per_page=10),
        },
        status=status,
    )


@staff_required("inspectors.view_reconciliationrun")
def reconciliation_list(request):
    return _reconciliation_page(request, ReconciliationUploadForm())


@staff_required("inspectors.add_reconciliationrun")
@require_POST
def reconciliation_create(request):
    form = ReconciliationUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _reconciliation_page(request, form)
    run, report = services.reconciliation_run_create(
        by=request.user, upload=form.cleaned_data["file"]
    )
    if run is None:
        return _reconciliation_page(request, form, report=report)
    open_count = run.lines.count()
    messages.success(
        request, f"核对完成：司法局库 {run.export_rows} 人，发现 {open_count} 项需要处理。"
    )
    return redirect("inspectors:reconciliation_detail", pk=run.pk)


@staff_required("inspectors.view_reconciliationrun")
def reconciliation_detail(request, pk):
    run = get_object_or_404(selectors.reconciliation_runs(), pk=pk)
    filters = LineFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    lines = selectors.reconciliation_lines(run, **criteria)
    counts = {kind: run.lines.filter(kind=kind).count() for kind in ReconciliationLine.Kind.values}
    return render(
        request,
        "inspectors/reconciliation_detail.html",
        {
            "run": run,
            "filters": filters,
            "page": paginate(request, lines, per_page=50),
            "counts": [(ReconciliationLine.Kind(k).label, k, n) for k, n in counts.items()],
            "field_labels": FIELD_LABELS,
            "is_latest": not ReconciliationRun.objects.filter(created_at__gt=run.created_at)
            .exclude(pk=run.pk)
            .exists(),
        },
    )


@staff_required("inspectors.change_reconciliationline")
def reconciliation_line_resolve(request, pk):
    line = get_object_or_404(
        ReconciliationLine.objects.select_related("run", "inspector", "resolved_by"), pk=pk
    )
    form = LineResolveForm(request.POST or None, line=line)
    if request.method == "POST" and line.is_open and form.is_valid():
        try:
            services.reconciliation_line_resolve(
                by=request.user,
                line=line,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
                effective_on=form.cleaned_data.get("effective_on"),
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, f"已处理：{line.name}（{line.cert_no}）。")
            return redirect(
                reverse("inspectors:reconciliation_detail", args=[line.run_id]) + "?state=open"
            )
    return render(
        request,
        "inspectors/reconciliation_line.html",
        {
            "line": line,
            "form": form,
            "field_labels": FIELD_LABELS,
            "export_display": _export_display(line.export_values),
        },
    )

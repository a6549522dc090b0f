"""Staff pages of the item list. Thin: a form, one service, a message, a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from checklists import selectors, services
from checklists.exports import export_items
from checklists.forms import (
    ApproveForm,
    AttachmentForm,
    CheckItemForm,
    CheckItemRequestForm,
    ItemFilterForm,
    JointListFilterForm,
    JointListForm,
    RejectForm,
    RequestFilterForm,
    RetireForm,
    SectorForm,
    attach_errors,
    item_formsets,
    joint_entry_formset,
)
from checklists.models import CheckItem, JointListAttachment, SupervisionSector
from checklists.specs import DOCUMENT_LABELS
from shijiazhuang_sr.core.access import staff_required
from shijiazhuang_sr.core.pagination import paginate

# --- items ------------------------------------------------------------------------------------


@staff_required("checklists.view_checkitem")
def item_list(request):
    filters = ItemFilterForm(request.GET or None)
    page = paginate(request, selectors.item_list(**filters.criteria()))
    return render(
        request,
        "checklists/item_list.html",
        {"filters": filters, "page": page, "today": selectors.today()},
    )


@staff_required("checklists.view_checkitem")
def item_export(request):
    filters = ItemFilterForm(request.GET or None)
    items = selectors.items_for_export(**filters.criteria())
    return export_items(items, fmt=request.GET.get("format", "xlsx"), by=request.user)


def _save_item(request, form, formsets, save):
    """Validate the form and both lists, then call `save(spec, reason)`; None if invalid."""
    # Validate everything (no short circuit) so that every error shows at once.
    results = [form.is_valid()] + [formset.is_valid() for formset in formsets.values()]
    valid = all(results)
    if not valid:
        return None
    spec = form.spec(formsets["sub_items"].values(), formsets["legal_bases"].values())
    try:
        return save(spec, form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        attach_errors(error, form, formsets)
        return None


@staff_required("checklists.add_checkitem")
def item_create(request):
    data = request.POST if request.method == "POST" else None
    form = CheckItemForm(data, creating=True)
    formsets = item_formsets(data)
    if data is not None:
        item = _save_item(
            request,
            form,
            formsets,
            lambda spec, reason: services.check_item_create(
                by=request.user, spec=spec, reason=reason
            ),
        )
        if item is not None:
            messages.success(request, f"抽查事项「{item.name}」已新增。")
            return redirect("checklists:item_detail", pk=item.pk)
    return render(
        request,
        "checklists/item_form.html",
        {"form": form, "formsets": formsets, "title": "新增抽查事项"},
    )


@staff_required("checklists.change_checkitem")
def item_edit(request, pk):
    item = selectors.item_detail(pk)
    if item.status == CheckItem.Status.RETIRED:
        messages.error(request, f"该事项已于{item.retired_from:%Y-%m-%d}停用，不能再修改。")
        return redirect("checklists:item_detail", pk=item.pk)
    data = request.POST if request.method == "POST" else None
    form = CheckItemForm(data, instance=item)
    formsets = item_formsets(data, source=item)
    if data is not None:
        saved = _save_item(
            request,
            form,
            formsets,
            lambda spec, reason: (
                services.check_item_update(by=request.user, item=item, spec=spec, reason=reason)
                or "unchanged"
            ),
        )
        if saved == "unchanged":
            messages.info(request, "内容没有变化，未生成新版本。")
            return redirect("checklists:item_detail", pk=item.pk)
        if saved is not None:
            messages.success(request, f"已保存为第 {saved.number} 版。")
            return redirect("checklists:item_detail", pk=item.pk)
    return render(
        request,
        "checklists/item_form.html",
        {"form": form, "formsets": formsets, "title": f"修改抽查事项 {item.code}", "item": item},
    )


@staff_required("checklists.view_checkitem")
def item_detail(request, pk):
    item = selectors.item_detail(pk)
    return render(
        request,
        "checklists/item_detail.html",
        {
            "item": item,
            "versions": item.versions.all(),
            "labels": DOCUMENT_LABELS,
        },
    )


@staff_required("checklists.view_checkitem")
def item_version(request, pk, number):
    item = selectors.item_detail(pk)
    version = selectors.item_version(item, number)
    return render(
        request,
        "checklists/item_version.html",
        {"item": item, "version": version, "labels": DOCUMENT_LABELS},
    )


@staff_required("checklists.retire_checkitem")
def item_retire(request, pk):
    item = selectors.item_detail(pk)
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_item_retire(by=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(
                request,
                f"抽查事项「{item.name}」将自{form.cleaned_data['retired_from']:%Y-%m-%d}起停用。",
            )
            return redirect("checklists:item_detail", pk=item.pk)
    return render(request, "checklists/item_retire.html", {"item": item, "form": form})


# --- requests to add an item ------------------------------------------------------------------


@staff_required("checklists.view_checkitemrequest")
def request_list(request):
    sees_all = selectors.sees_all_requests(request.user)
    filters = RequestFilterForm(request.GET or None, show_section=sees_all)
    page = paginate(request, selectors.request_list(request.user, **filters.criteria()))
    return render(
        request,
        "checklists/request_list.html",
        {"filters": filters, "page": page, "sees_all": sees_all},
    )


@staff_required("checklists.add_checkitemrequest")
def request_create(request):
    data = request.POST if request.method == "POST" else None
    form = CheckItemRequestForm(data)
    formsets = item_formsets(data)
    if data is not None:
        created = _save_item(
            request,
            form,
            formsets,
            lambda spec, _reason: services.item_request_submit(
                by=request.user, spec=spec, justification=form.cleaned_data["justification"]
            ),
        )
        if created is not None:
            messages.success(request, "新增申请已提交，等待综合执法四科审批。")
            return redirect("checklists:request_detail", pk=created.pk)
    return render(
        request,
        "checklists/request_form.html",
        {"form": form, "formsets": formsets, "section": request.user.section},
    )


@staff_required("checklists.view_checkitemrequest")
def request_detail(request, pk):
    item_request = selectors.request_for_user(request.user, pk)
    return render(
        request,
        "checklists/request_detail.html",
        {
            "item_request": item_request,
            "approve_form": ApproveForm(request_obj=item_request),
            "reject_form": RejectForm(),
            "can_decide": item_request.is_pending
            and request.user.has_perm("checklists.approve_checkitemrequest"),
            "can_withdraw": item_request.is_pending
            and request.user.has_perm("checklists.add_checkitemrequest")
            and request.user.section_id == item_request.section_id,
        },
    )


def _decision_page(request, item_request, **forms):
    context = {
        "item_request": item_request,
        "approve_form": ApproveForm(request_obj=item_request),
        "reject_form": RejectForm(),
        "can_decide": True,
        "can_withdraw": False,
        **forms,
    }
    return render(request, "checklists/request_detail.html", context, status=400)


@staff_required("checklists.approve_checkitemrequest")
@require_POST
def request_approve(request, pk):
    item_request = selectors.request_for_user(request.user, pk)
    form = ApproveForm(request.POST, request_obj=item_request)
    if form.is_valid():
        try:
            item = services.item_request_approve(
                by=request.user, request=item_request, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, f"已批准，抽查事项「{item.name}」已列入清单。")
            return redirect("checklists:item_detail", pk=item.pk)
    return _decision_page(request, item_request, approve_form=form)


@staff_required("checklists.approve_checkitemrequest")
@require_POST
def request_reject(request, pk):
    item_request = selectors.request_for_user(request.user, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.item_request_reject(
                by=request.user, request=item_request, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, "已退回该申请，并通知了申请人。")
            return redirect("checklists:request_detail", pk=item_request.pk)
    return _decision_page(request, item_request, reject_form=form)


@staff_required("checklists.add_checkitemrequest")
@require_POST
def request_withdraw(request, pk):
    item_request = selectors.request_for_user(request.user, pk)
    try:
        services.item_request_withdraw(by=request.user, request=item_request)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "申请已撤回。")
    return redirect("checklists:request_detail", pk=item_request.pk)


# --- joint lists ------------------------------------------------------------------------------


@staff_required("checklists.view_jointitemlist")
def joint_list_list(request):
    filters = JointListFilterForm(request.GET or None)
    page = paginate(request, selectors.joint_list_list(**filters.criteria()))
    return render(request, "checklists/joint_list_list.html", {"filters": filters, "page": page})


@staff_required("checklists.view_jointitemlist")
def joint_list_detail(request, pk):
    joint_list = selectors.joint_list_detail(pk)
    return render(
        request,
        "checklists/joint_list_detail.html",
        {
            "joint_list": joint_list,
            "attachment_form": AttachmentForm(),
            "retire_form": RetireForm(),
            "today": selectors.today(),
        },
    )


def _joint_spec(form, entries) -> services.JointListSpec:
    data = form.cleaned_data
    return services.JointListSpec(
        name=data["name"],
        industry=data["industry"],
        lead_department=data["lead_department"],
        participating_departments=list(data["participating_departments"]),
        effective_from=data["effective_from"],
        entries=entries.values(),
        sectors=list(data["sectors"]),
        guidelines=data["guidelines"],
    )


def _joint_form_page(request, *, joint_list=None):
    data = request.POST if request.method == "POST" else None
    form = JointListForm(data, instance=joint_list)
    entries = joint_entry_formset(data, joint_list=joint_list)
    if data is not None and all([form.is_valid(), entries.is_valid()]):
        spec = _joint_spec(form, entries)
        try:
            if joint_list is None:
                joint_list = services.joint_list_create(by=request.user, spec=spec)
                messages.success(request, f"联合清单「{joint_list.name}」已新增。")
            elif services.joint_list_update(by=request.user, joint_list=joint_list, spec=spec):
                messages.success(request, "联合清单已保存。")
            else:
                messages.info(request, "内容没有变化。")
        except ValidationError as error:
            attach_errors(error, form, {"entries": entries})
        else:
            return redirect("checklists:joint_list_detail", pk=joint_list.pk)
    title = f"修改联合清单 {joint_list.name}" if joint_list else "新增一业一查联合清单"
    return render(
        request,
        "checklists/joint_list_form.html",
        {"form": form, "entries": entries, "title": title, "joint_list": joint_list},
    )


@staff_required("checklists.add_jointitemlist")
def joint_list_create(request):
    return _joint_form_page(request)


@staff_required("checklists.change_jointitemlist")
def joint_list_edit(request, pk):
    joint_list = selectors.joint_list_detail(pk)
    if not joint_list.is_active_on() and joint_list.effective_from <= selectors.today():
        messages.error(request, "该联合清单已停用，不能再修改。")
        return redirect("checklists:joint_list_detail", pk=joint_list.pk)
    return _joint_form_page(request, joint_list=joint_list)


@staff_required("checklists.change_jointitemlist")
@require_POST
def joint_list_retire(request, pk):
    joint_list = selectors.joint_list_detail(pk)
    form = RetireForm(request.POST)
    if form.is_valid():
        try:
            services.joint_list_retire(by=request.user, joint_list=joint_list, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(
                request, f"联合清单将自{form.cleaned_data['retired_from']:%Y-%m-%d}起停用。"
            )
    else:
        messages.error(request, "请填写停用日期和停用原因。")
    return redirect("checklists:joint_list_detail", pk=joint_list.pk)


@staff_required("checklists.change_jointitemlist")
@require_POST
def joint_list_attachment_add(request, pk):
    joint_list = selectors.joint_list_detail(pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.joint_list_attachment_add(
                by=request.user,
                joint_list=joint_list,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, "附件已上传。")
            return redirect("checklists:joint_list_detail", pk=joint_list.pk)
    return render(
        request,
        "checklists/joint_list_detail.html",
        {
            "joint_list": joint_list,
            "attachment_form": form,
            "retire_form": RetireForm(),
            "today": selectors.today(),
        },
        status=400,
    )


def _attachment(pk) -> JointListAttachment:
    return get_object_or_404(JointListAttachment.objects.select_related("joint_list"), pk=pk)


def attachment_response(attachment: JointListAttachment):
    try:
        stream = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(stream, as_attachment=True, filename=attachment.original_name)


@staff_required("checklists.view_jointitemlist")
def joint_list_attachment(request, pk):
    return attachment_response(_attachment(pk))


@staff_required("checklists.change_jointitemlist")
@require_POST
def joint_list_attachment_remove(request, pk):
    attachment = _attachment(pk)
    services.joint_list_attachment_remove(by=request.user, attachment=attachment)
    messages.success(request, f"附件「{attachment.title}」已删除。")
    return redirect("checklists:joint_list_detail", pk=attachment.joint_list_id)


# --- the sectors vocabulary -------------------------------------------------------------------


@staff_required("checklists.view_supervisionsector")
def sector_list(request):
    sectors = SupervisionSector.objects.order_by("sort_order", "name")
    form = SectorForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("checklists.add_supervisionsector"):
            raise PermissionDenied
        if form.is_valid():
            try:
                sector = services.supervision_sector_create(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(error, form)
            else:
                messages.success(request, f"行业领域「{sector.name}」已新增。")
                return redirect("checklists:sector_list")
    return render(request, "checklists/sector_list.html", {"sectors": sectors, "form": form})


@staff_required("checklists.change_supervisionsector")
def sector_edit(request, pk):
    sector = get_object_or_404(SupervisionSector, pk=pk)
    form = SectorForm(request.POST or None, instance=sector)
    if request.method == "POST" and form.is_valid():
        try:
            services.supervision_sector_update(
                by=request.user,
                sector=SupervisionSector.objects.get(pk=sector.pk),
                **form.cleaned_data,
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, "行业领域已保存。")
            return redirect("checklists:sector_list")
    return render(request, "checklists/sector_form.html", {"form": form, "sector": sector})

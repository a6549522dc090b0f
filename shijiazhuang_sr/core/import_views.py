"""Upload → preview → confirm, for every import kind of import_registry."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shijiazhuang_sr.core import services
from shijiazhuang_sr.core.access import staff_required
from shijiazhuang_sr.core.exports import xlsx_response
from shijiazhuang_sr.core.import_registry import get_kind
from shijiazhuang_sr.core.imports import ALLOWED_EXTENSIONS, ImportReport, template_rows
from shijiazhuang_sr.core.models import ImportBatch


class UploadForm(forms.Form):
    file = forms.FileField(
        label="导入文件",
        help_text="支持 .xlsx 或 .csv；第一行为列标题。",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )


def _kind_for(request, kind_name):
    kind = get_kind(kind_name)
    if kind is None:
        raise Http404
    if not request.user.has_perm(kind.permission):
        raise PermissionDenied
    return kind


def _batch_for(request, pk) -> tuple[ImportBatch, object]:
    batch = get_object_or_404(ImportBatch, pk=pk)
    return batch, _kind_for(request, batch.kind)


@staff_required()
def import_start(request, kind_name):
    kind = _kind_for(request, kind_name)
    importer = kind.make()
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = services.import_batch_preview(
            kind_name=kind_name, kind=kind, upload=form.cleaned_data["file"], by=request.user
        )
        return redirect("core:import_batch", pk=batch.pk)
    recent = ImportBatch.objects.filter(kind=kind_name).select_related("uploaded_by")[:10]
    return render(
        request,
        "core/import_start.html",
        {
            "form": form,
            "kind": kind,
            "kind_name": kind_name,
            "importer": importer,
            "recent": recent,
        },
    )


@staff_required()
def import_template(request, kind_name):
    kind = _kind_for(request, kind_name)
    importer = kind.make()
    return xlsx_response(
        f"{importer.title}导入模板.xlsx", template_rows(importer), [], sheet_title=importer.title
    )


@staff_required()
def import_batch(request, pk):
    batch, kind = _batch_for(request, pk)
    return render(
        request,
        "core/import_batch.html",
        {
            "batch": batch,
            "kind": kind,
            "importer": kind.make(),
            "report": ImportReport.from_dict(batch.report),
            "can_apply": batch.status == ImportBatch.Status.PREVIEWED
            and batch.uploaded_by_id == request.user.pk,
        },
    )


@staff_required()
@require_POST
def import_apply(request, pk):
    batch, kind = _batch_for(request, pk)
    if batch.uploaded_by_id != request.user.pk:
        raise PermissionDenied
    try:
        report = services.import_batch_apply(batch=batch, kind=kind, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("core:import_batch", pk=batch.pk)
    if report.ok:
        messages.success(request, report.summary())
        return redirect(kind.back_url)
    messages.error(request, report.summary())
    return redirect("core:import_batch", pk=batch.pk)


@staff_required()
@require_POST
def import_discard(request, pk):
    batch, _kind = _batch_for(request, pk)
    if batch.uploaded_by_id != request.user.pk:
        raise PermissionDenied
    try:
        services.import_batch_discard(batch=batch, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.info(request, "已放弃本次导入，未保存任何数据。")
    return redirect("core:import_start", kind_name=batch.kind)

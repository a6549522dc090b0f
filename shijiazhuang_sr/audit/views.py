from django.shortcuts import render
from django.utils import timezone

from shijiazhuang_sr.audit.forms import EntryFilterForm
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.selectors import entry_list
from shijiazhuang_sr.audit.services import audit_record, field_labels
from shijiazhuang_sr.core.access import staff_required
from shijiazhuang_sr.core.exports import xlsx_response
from shijiazhuang_sr.core.pagination import paginate

EXPORT_LIMIT = 100_000


def _filtered(request):
    form = EntryFilterForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    return form, entry_list(**criteria), criteria


@staff_required("audit.view_auditentry")
def entry_list_view(request):
    form, entries, _ = _filtered(request)
    page = paginate(request, entries, per_page=50)
    for entry in page.object_list:
        entry.labelled_changes = labelled_changes(entry)
    return render(request, "audit/entry_list.html", {"filters": form, "page": page})


def labelled_changes(entry: AuditEntry) -> dict:
    """The entry's changes keyed by the fields' Chinese names (姓名, not full_name)."""
    model = entry.content_type.model_class() if entry.content_type else None
    if model is None:
        return entry.changes
    labels = field_labels(model, entry.changes)
    return {labels[name]: pair for name, pair in entry.changes.items()}


def _change_text(entry: AuditEntry) -> str:
    changes = labelled_changes(entry)
    return "；".join(f"{name}: {old} → {new}" for name, (old, new) in changes.items())


@staff_required("audit.view_auditentry", "audit.export_auditentry")
def entry_export(request):
    _form, entries, criteria = _filtered(request)
    entries = entries[:EXPORT_LIMIT]
    audit_record(
        action=AuditEntry.Action.EXPORT,
        by=request.user,
        event="audit.exported",
        data={"filters": {k: v for k, v in criteria.items() if v}},
    )
    rows = (
        (
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_label,
            entry.ip or "",
            entry.channel,
            entry.get_action_display(),
            entry.event,
            entry.content_type.name if entry.content_type else "",
            entry.object_id,
            entry.object_repr,
            _change_text(entry),
        )
        for entry in entries.iterator(chunk_size=2000)
    )
    headers = [
        "时间",
        "操作人",
        "IP 地址",
        "途径",
        "操作",
        "事件",
        "对象类型",
        "对象 ID",
        "对象",
        "变更（旧值 → 新值）",
    ]
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    return xlsx_response(f"审计日志_{stamp}.xlsx", headers, rows, sheet_title="审计日志")

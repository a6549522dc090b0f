"""Downloads of the item list (xlsx or csv), in the import's layout (see resources.py)."""

from django.utils import timezone

from checklists.resources import CheckItemResource
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.services import audit_record
from shijiazhuang_sr.core.exports import csv_response, xlsx_response


def export_items(items, *, fmt: str, by):
    dataset = CheckItemResource().export(queryset=items)
    audit_record(
        action=AuditEntry.Action.EXPORT,
        by=by,
        event="checklists.item.exported",
        data={"format": fmt, "rows": len(dataset)},
    )
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    if fmt == "csv":
        return csv_response(f"抽查事项清单_{stamp}.csv", dataset.headers, list(dataset))
    return xlsx_response(
        f"抽查事项清单_{stamp}.xlsx", dataset.headers, list(dataset), sheet_title="抽查事项清单"
    )

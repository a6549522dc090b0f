"""Imports through the web: upload and preview (a dry run), then confirm (the real run)."""

import hashlib

from django.db import transaction
from django.utils import timezone

from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.services import audit_record
from shijiazhuang_sr.core.import_registry import ImportKind
from shijiazhuang_sr.core.imports import ImportReport
from shijiazhuang_sr.core.models import ImportBatch


def _digest(upload) -> str:
    sha = hashlib.sha256()
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


def import_batch_preview(*, kind_name: str, kind: ImportKind, upload, by) -> ImportBatch:
    """Keep the uploaded file and dry-run it. Nothing but the batch record is saved."""
    digest = _digest(upload)
    report = kind.make().run(upload, filename=upload.name, size=upload.size, by=by, dry_run=True)
    batch = ImportBatch(
        kind=kind_name,
        filename=upload.name[:255],
        size=upload.size,
        sha256=digest,
        uploaded_by=by,
        status=ImportBatch.Status.PREVIEWED if report.ok else ImportBatch.Status.REJECTED,
        report=report.to_dict(),
    )
    upload.seek(0)
    batch.file.save(f"{batch.id}{_suffix(upload.name)}", upload, save=False)
    batch.save()
    return batch


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def import_batch_apply(*, batch: ImportBatch, kind: ImportKind, by) -> ImportReport:
    """Run the previewed file for real. All rows are saved, or none."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEWED:
            raise ValueError("该导入批次已处理，不能重复导入。")
        with batch.file.open("rb") as stream:
            report = kind.make().run(stream, filename=batch.filename, size=batch.size, by=by)
        batch.report = report.to_dict()
        batch.status = ImportBatch.Status.APPLIED if report.ok else ImportBatch.Status.REJECTED
        batch.applied_at = timezone.now() if report.ok else None
        batch.save(update_fields=["report", "status", "applied_at"])
        if report.ok:
            audit_record(
                action=AuditEntry.Action.OTHER,
                obj=batch,
                by=by,
                event=f"core.import.{batch.kind}.applied",
                data={
                    "file": batch.filename,
                    "sha256": batch.sha256,
                    "rows": report.total_rows,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                },
            )
    return report


@transaction.atomic
def import_batch_discard(*, batch: ImportBatch, by) -> None:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValueError("该导入批次已处理。")
    batch.status = ImportBatch.Status.DISCARDED
    batch.save(update_fields=["status"])
    batch.file.delete(save=False)

"""Celery tasks of the campaigns app. Tasks are thin: they take ids, call a service, return a
summary (architecture.md)."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import connection

from campaigns.services.draws import DrawRefused, draw_perform
from shijiazhuang_sr.audit.context import Channel, acting

# The register's tables a large import rewrites.
REGISTER_TABLES = (
    "campaigns_enterprise",
    "campaigns_enterprisesector",
    "campaigns_enterprise_responsible_sections",
    "campaigns_creditgradechange",
)


@shared_task(name="campaigns.refresh_register_statistics")
def refresh_register_statistics() -> str:
    """VACUUM (ANALYZE) the register's tables after a large import (PostgreSQL only).

    Rows written by an import are not yet "all visible", so the list's index-only scans read
    the table for them until a vacuum has run, and autovacuum does not start for an import of
    a tenth of a million-row register. Fresh statistics also keep the planner's choices right.
    """
    if connection.vendor != "postgresql":
        return "skipped"
    with connection.cursor() as cursor:
        for table in REGISTER_TABLES:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
    return "ok"


@shared_task(name="campaigns.draw_manifest", acks_late=True)
def draw_manifest(manifest_id: int, external_sources: list[str], user_id: int | None) -> dict:
    """Draw a frozen manifest. Safe to retry or run twice: the service returns the existing
    draw. The nonce is read from the database inside the service, never passed as an argument
    (task arguments are stored by the broker and may be logged)."""
    user = get_user_model().objects.get(pk=user_id) if user_id else None
    with acting(user=user, channel=Channel.TASK):
        try:
            draw = draw_perform(manifest_id=manifest_id, external_sources=external_sources, by=user)
        except DrawRefused as error:
            return {"ok": False, "error": str(error)}
    return {"ok": True, "draw_id": draw.pk, "selected": draw.selected_count}

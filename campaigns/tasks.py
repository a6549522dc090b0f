"""Celery tasks of the campaigns app. Tasks are thin: they take ids, call a service, return a
summary (architecture.md)."""

from celery import shared_task
from django.db import connection

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

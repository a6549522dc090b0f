"""Roster tasks: thin adapters around services."""

from celery import shared_task

from inspectors import services
from shijiazhuang_sr.audit.context import Channel, acting


@shared_task(name="inspectors.refresh_current_statuses")
def refresh_current_statuses() -> int:
    """Daily: a leave that starts or ends today changes the stored current status."""
    with acting(channel=Channel.TASK):
        return services.inspectors_refresh_statuses()

"""The periodic task schedule (Celery beat), defined in this one place.

Times are Asia/Shanghai (CELERY_TIMEZONE). Each entry names a task by its registered name so
that this module imports nothing from the apps.
"""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Expired sessions pile up in the database with the 30-minute idle timeout; clear them nightly.
    "clear-expired-sessions": {
        "task": "core.clear_expired_sessions",
        "schedule": crontab(hour=2, minute=30),
    },
    # The roster's stored current status follows the status periods (leave starting today …).
    "inspectors-refresh-current-statuses": {
        "task": "inspectors.refresh_current_statuses",
        "schedule": crontab(hour=0, minute=5),
    },
}

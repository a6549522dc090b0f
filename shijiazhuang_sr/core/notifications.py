"""Telling users about things that concern them: `notify(users, title, url=..., body=...)`.

Apps call this from their services (inside the transaction): the notification rows commit
with the change, and the e-mails are sent by a task after the commit.
"""

from collections.abc import Iterable

from shijiazhuang_sr.core.models import Notification
from shijiazhuang_sr.core.queue import enqueue


def notify(users: Iterable, title: str, *, url: str = "", body: str = "") -> list[Notification]:
    notifications = Notification.objects.bulk_create(
        [
            Notification(user=user, title=title[:200], body=body, url=url[:300])
            for user in {user.pk: user for user in users if user is not None}.values()
        ]
    )
    from shijiazhuang_sr.core.tasks import send_notification_emails

    ids = [notification.pk for notification in notifications if notification.user.email]
    if ids:
        enqueue(send_notification_emails, ids)
    return notifications


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()

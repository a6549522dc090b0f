"""Project-wide Celery tasks. Tasks are thin: they take ids, call a service, return a summary."""

import os
import socket

from celery import shared_task
from django.core import management


@shared_task(name="core.clear_expired_sessions")
def clear_expired_sessions() -> str:
    management.call_command("clearsessions")
    return "ok"


@shared_task(name="core.ping")
def ping(value: str) -> dict:
    """Echo `value` with the worker's identity: proves that a worker, not the caller, ran it."""
    return {"value": value, "host": socket.gethostname(), "pid": os.getpid()}


@shared_task(name="core.send_notification_emails")
def send_notification_emails(notification_ids: list[int]) -> int:
    from django.conf import settings
    from django.core.mail import send_mail

    from shijiazhuang_sr.core.models import Notification

    sent = 0
    for notification in Notification.objects.filter(pk__in=notification_ids).select_related("user"):
        if not notification.user.email:
            continue
        body = notification.body
        if notification.url:
            body = f"{body}\n\n请登录平台查看：{notification.url}".strip()
        send_mail(
            f"[双随机监管平台] {notification.title}",
            body or notification.title,
            settings.DEFAULT_FROM_EMAIL,
            [notification.user.email],
        )
        sent += 1
    return sent

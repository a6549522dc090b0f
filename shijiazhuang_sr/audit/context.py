"""Who is acting, from where, and through which channel: the context every audit entry records.

The web middleware fills it for a request; management commands and Celery tasks open it
with `acting(...)`. Services still take the acting user explicitly (`by=`); the context adds
the IP address and the channel, which a service has no business knowing about.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings


class Channel:
    WEB = "web"
    ADMIN = "admin"
    IMPORT = "import"
    TASK = "task"
    COMMAND = "command"
    SYSTEM = "system"


@dataclass(frozen=True)
class AuditContext:
    user: object | None = None
    ip: str | None = None
    channel: str = Channel.SYSTEM


_NOBODY = AuditContext()
_current: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "audit_context", default=None
)


def current() -> AuditContext:
    return _current.get() or _NOBODY


@contextmanager
def acting(*, user=None, ip: str | None = None, channel: str = Channel.SYSTEM):
    """Run a block as `user` through `channel`; nested blocks inherit the IP if not given."""
    outer = current()
    token = _current.set(AuditContext(user=user, ip=ip or outer.ip, channel=channel))
    try:
        yield
    finally:
        _current.reset(token)


def client_ip(request) -> str | None:
    """The client's address, trusting X-Forwarded-For only from our own reverse proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None

"""Authentication events go to the audit trail (等保2.0: logins, logouts and failures)."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from shijiazhuang_sr.audit.context import Channel, acting, client_ip
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.services import audit_record


def _ip(request):
    return client_ip(request) if request is not None else None


def _known_user(username):
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    with acting(user=user, ip=_ip(request), channel=Channel.WEB):
        audit_record(action=AuditEntry.Action.LOGIN, obj=user, by=user, event="accounts.login")


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is None:  # the session had already expired
        return
    with acting(user=user, ip=_ip(request), channel=Channel.WEB):
        audit_record(action=AuditEntry.Action.LOGOUT, obj=user, by=user, event="accounts.logout")


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    user = _known_user(username)
    with acting(user=None, ip=_ip(request), channel=Channel.WEB):
        audit_record(
            action=AuditEntry.Action.LOGIN_FAILED,
            obj=user,
            actor_label=f"（未登录）{username}"[:150],
            event="accounts.login_failed",
            data={"username": username},
        )


@receiver(user_locked_out)
def audit_locked_out(sender, request, username, ip_address, **kwargs):
    user = _known_user(username)
    with acting(user=None, ip=ip_address, channel=Channel.WEB):
        audit_record(
            action=AuditEntry.Action.LOCKED_OUT,
            obj=user,
            actor_label=f"（未登录）{username}"[:150],
            event="accounts.locked_out",
            data={"username": username},
        )

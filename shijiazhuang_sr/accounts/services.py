"""Account administration. Every change is audited; passwords never enter the audit trail."""

from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from shijiazhuang_sr.accounts.models import User
from shijiazhuang_sr.audit.services import audit_create, audit_record, audit_update, snapshot

PROFILE_FIELDS = ("full_name", "email", "phone", "department", "section", "is_active")


def _set_roles(user: User, roles: list[str]) -> None:
    user.groups.set(Group.objects.filter(name__in=roles))


@transaction.atomic
def user_create(*, by: User, username: str, password: str, roles: list[str], **profile) -> User:
    """Create an account whose holder must choose a new password at first login."""
    user = User(username=username, **profile)
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.full_clean()
    user.save()
    _set_roles(user, roles)
    audit_create(user, by=by, event="accounts.user.created")
    return user


@transaction.atomic
def user_update(*, by: User, user: User, roles: list[str], **profile) -> User:
    before = snapshot(user, (*PROFILE_FIELDS, "groups"))
    for name, value in profile.items():
        setattr(user, name, value)
    user.full_clean()
    user.save()
    _set_roles(user, roles)
    audit_update(user, before, by=by, event="accounts.user.changed")
    return user


@transaction.atomic
def user_reset_password(*, by: User, user: User, password: str) -> None:
    """An administrator sets a temporary password; the holder must change it at next login."""
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_record(
        action="update",
        obj=user,
        by=by,
        event="accounts.user.password_reset",
        changes={"password": ["******", "******（管理员重置）"]},
    )


@transaction.atomic
def user_change_own_password(*, user: User, password: str) -> None:
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit_record(
        action="update",
        obj=user,
        by=user,
        event="accounts.user.password_changed",
        changes={"password": ["******", "******（本人修改）"]},
    )


@transaction.atomic
def user_unlock(*, by: User, user: User) -> int:
    """Lift a lock-out from failed logins before the cool-off ends."""
    removed = axes_reset(username=user.username)
    audit_record(
        action="update",
        obj=user,
        by=by,
        event="accounts.user.unlocked",
        data={"cleared_attempts": removed},
    )
    return removed

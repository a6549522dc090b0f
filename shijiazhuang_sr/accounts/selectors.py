from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet

from shijiazhuang_sr.accounts.models import User


def locked_usernames() -> set[str]:
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    return set(attempts.values_list("username", flat=True))


def user_list(
    *,
    q: str = "",
    role: str = "",
    locked: bool = False,
    must_change: bool = False,
    inactive: bool = False,
) -> QuerySet[User]:
    users = User.objects.select_related("department", "section").prefetch_related("groups")
    if not inactive:
        users = users.filter(is_active=True)
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if role:
        users = users.filter(groups__name=role)
    if locked:
        users = users.filter(username__in=locked_usernames())
    if must_change:
        users = users.filter(must_change_password=True)
    return users.order_by("username")

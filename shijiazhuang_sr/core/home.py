"""What each role should do next: the panels of the home page.

A panel is a title, the role's purpose, and a list of next steps; a step may carry a count
(e.g. "3 张执法证 30 天内到期") and a link. Apps add their steps to `STEP_PROVIDERS` for the
roles they serve; a provider returns the steps for one user.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from campaigns.home import register_inspector_steps, register_section4_steps
from campaigns.home_plans import (
    approver_campaign_steps,
    chief_campaign_steps,
    inspector_campaign_steps,
)
from checklists.home import chief_item_steps, section4_item_steps
from inspectors.home import roster_steps
from shijiazhuang_sr.accounts.roles import ROLE_DESCRIPTIONS, Role


@dataclass(frozen=True)
class Step:
    text: str
    url: str = ""
    count: int | None = None
    urgent: bool = False


def _system_admin_steps(user) -> list[Step]:
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    locked = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    return [
        Step(
            "查看被锁定的账号并在核实后解锁",
            reverse("accounts:user_list") + "?locked=1",
            count=locked.count(),
            urgent=locked.exists(),
        ),
        Step("为新到岗人员创建账号并分配角色", reverse("accounts:user_create")),
        Step(
            "尚未修改初始密码的账号",
            reverse("accounts:user_list") + "?must_change=1",
            count=users.filter(must_change_password=True, is_active=True).count(),
        ),
    ]


def _auditor_steps(user) -> list[Step]:
    from shijiazhuang_sr.audit.models import AuditEntry

    today = timezone.localdate()
    failures = AuditEntry.objects.filter(
        action__in=[AuditEntry.Action.LOGIN_FAILED, AuditEntry.Action.LOCKED_OUT],
        at__date=today,
    )
    url = reverse("audit:entry_list")
    return [
        Step(
            "今日登录失败与账号锁定记录",
            f"{url}?action=login_failed&date_from={today}",
            count=failures.count(),
            urgent=failures.exists(),
        ),
        Step("按用户、对象类型、日期范围检索审计日志并导出", url),
    ]


# Role -> functions returning next steps for a user of that role. Apps append their own.
STEP_PROVIDERS: dict[str, list[Callable]] = {
    Role.SYSTEM_ADMIN: [_system_admin_steps],
    Role.AUDITOR: [_auditor_steps],
    Role.SECTION4: [
        roster_steps,
        register_section4_steps,
        section4_item_steps,
        approver_campaign_steps,
    ],
    Role.SECTION_CHIEF: [chief_item_steps, chief_campaign_steps],
    Role.INSPECTOR: [register_inspector_steps, inspector_campaign_steps],
    Role.LEADER: [approver_campaign_steps],
}


def panels_for(user) -> list[dict]:
    panels = []
    for role in Role:
        if not user.has_role(role):
            continue
        steps = [step for provider in STEP_PROVIDERS[role] for step in provider(user)]
        panels.append({"role": role.label, "purpose": ROLE_DESCRIPTIONS[role], "steps": steps})
    return panels

"""The roster's next steps on the home page of 综合执法四科 (core/home.py STEP_PROVIDERS)."""

from django.urls import reverse

from inspectors import selectors


def roster_steps(user) -> list:
    # Imported here: core.home imports this module while it is being loaded.
    from shijiazhuang_sr.core.home import Step

    if not user.has_perm("inspectors.view_inspector"):
        return []
    expiring = selectors.expiring_cards_count()
    roster = reverse("inspectors:inspector_list")
    steps = [
        Step(
            f"执法证 {selectors.EXPIRY_WARNING_DAYS} 天内到期或已过期的在职人员",
            f"{roster}?expiring=on&status={selectors.SERVING}",
            count=expiring,
            urgent=expiring > 0,
        )
    ]
    if user.has_perm("inspectors.view_reconciliationrun"):
        open_lines = selectors.open_reconciliation_lines().count()
        latest = selectors.reconciliation_runs().first()
        url = (
            reverse("inspectors:reconciliation_detail", args=[latest.pk]) + "?state=open"
            if latest
            else reverse("inspectors:reconciliation_list")
        )
        steps.append(
            Step("应纳尽纳核对中待处理的差异", url, count=open_lines, urgent=open_lines > 0)
        )
    if user.has_perm("inspectors.change_inspector"):
        steps.append(
            Step("导入司法局执法人员数据库的最新导出", reverse("inspectors:inspector_import"))
        )
    return steps

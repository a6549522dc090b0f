"""The register's next steps on the home page (core/home.py STEP_PROVIDERS)."""

from django.urls import reverse
from django.utils import timezone

from campaigns.models import CreditGradeChange, Recusal
from campaigns.selectors.register import pending_recusal_count


def register_section4_steps(user) -> list:
    """综合执法四科: recusals waiting for a decision; this month's credit-grade file."""
    # Imported here: core.home imports this module while it is being loaded.
    from shijiazhuang_sr.core.home import Step

    steps = []
    if user.has_perm("campaigns.approve_recusal"):
        pending = pending_recusal_count()
        steps.append(
            Step(
                "审核待批的回避申报",
                reverse("campaigns:recusal_list") + f"?status={Recusal.Status.PENDING}",
                count=pending,
                urgent=pending > 0,
            )
        )
    if user.has_perm("campaigns.add_creditgradechange"):
        last = (
            CreditGradeChange.objects.filter(import_run__isnull=False)
            .order_by("-recorded_at")
            .values_list("recorded_at", flat=True)
            .first()
        )
        since = f"（上次导入：{timezone.localtime(last):%Y-%m-%d}）" if last else "（尚未导入过）"
        steps.append(
            Step(
                f"导入本月企业信用风险分类结果{since}",
                reverse("core:import_start", args=["credit-grades"]),
            )
        )
    return steps


def register_inspector_steps(user) -> list:
    """执法人员: their own recusal declarations."""
    from shijiazhuang_sr.core.home import Step

    if not user.has_perm("campaigns.declare_recusal"):
        return []
    pending = Recusal.objects.filter(declared_by=user, status=Recusal.Status.PENDING).count()
    return [
        Step(
            "我申报的回避（待审核）",
            reverse("campaigns:recusal_list") + f"?status={Recusal.Status.PENDING}",
            count=pending,
        ),
        Step("与企业有利害关系的，申报本人回避", reverse("campaigns:recusal_declare")),
    ]

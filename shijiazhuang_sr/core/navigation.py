"""The staff navigation, by permission: each user sees only the entries their roles allow.

Apps add their pages here (one line each). `perms` lists alternatives: any one is enough.
"""

from dataclasses import dataclass, field

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perms: tuple[str, ...] = ()

    def visible_to(self, user) -> bool:
        return not self.perms or any(user.has_perm(perm) for perm in self.perms)


@dataclass(frozen=True)
class NavGroup:
    label: str
    items: tuple[NavItem, ...] = field(default_factory=tuple)


NAVIGATION: tuple[NavGroup, ...] = (
    NavGroup(
        "名录库",
        (
            NavItem("执法人员名录库", "inspectors:inspector_list", ("inspectors.view_inspector",)),
            NavItem("部门与科室", "inspectors:department_list", ("inspectors.view_department",)),
            NavItem("人员标签", "inspectors:tag_list", ("inspectors.view_tag",)),
            NavItem(
                "核对（应纳尽纳）",
                "inspectors:reconciliation_list",
                ("inspectors.view_reconciliationrun",),
            ),
            NavItem("导入", "inspectors:inspector_import", ("inspectors.change_inspector",)),
            NavItem("检查对象名录库", "campaigns:enterprise_list", ("campaigns.view_enterprise",)),
            NavItem(
                "回避登记",
                "campaigns:recusal_list",
                ("campaigns.view_recusal", "campaigns.declare_recusal"),
            ),
        ),
    ),
    NavGroup(
        "抽查事项",
        (
            NavItem("抽查事项清单", "checklists:item_list", ("checklists.view_checkitem",)),
            NavItem(
                "一业一查联合清单", "checklists:joint_list_list", ("checklists.view_jointitemlist",)
            ),
            NavItem("新增申请", "checklists:request_list", ("checklists.view_checkitemrequest",)),
            NavItem(
                "监管行业领域", "checklists:sector_list", ("checklists.view_supervisionsector",)
            ),
            NavItem("公示清单（公众页面）", "publicity:item_list", ("checklists.view_checkitem",)),
        ),
    ),
    NavGroup(
        "抽查任务",
        (
            NavItem("年度计划", "campaigns:plan_list", ("campaigns.view_annualplan",)),
            NavItem("抽查任务", "campaigns:campaign_list", ("campaigns.view_campaign",)),
            NavItem("我的检查任务", "campaigns:my_inspections", ("campaigns.view_inspection",)),
            NavItem("公示页面", "publicity:campaign_list", ("campaigns.view_campaign",)),
        ),
    ),
    NavGroup(
        "系统",
        (
            NavItem("用户管理", "accounts:user_list", ("accounts.view_user",)),
            NavItem("审计日志", "audit:entry_list", ("audit.view_auditentry",)),
        ),
    ),
)


def navigation_for(user) -> list[dict]:
    """The groups and entries `user` may see, with their URLs, in menu order."""
    if not user.is_authenticated:
        return []
    menu = []
    for group in NAVIGATION:
        items = [
            {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
            for item in group.items
            if item.visible_to(user)
        ]
        if items:
            menu.append({"label": group.label, "items": items})
    return menu

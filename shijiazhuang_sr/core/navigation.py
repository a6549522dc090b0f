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

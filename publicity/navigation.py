"""The public portal's menu (no login). Later pages (plans, draws, results) add one line each."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class PublicNavItem:
    label: str
    url_name: str


PUBLIC_NAVIGATION: tuple[PublicNavItem, ...] = (
    PublicNavItem("抽查事项清单", "publicity:item_list"),
    PublicNavItem("抽查计划与摇号", "publicity:campaign_list"),
    PublicNavItem("摇号复核", "publicity:draw_guide"),
)


def public_navigation(current_url_name: str = "") -> list[dict]:
    return [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "active": item.url_name == current_url_name,
        }
        for item in PUBLIC_NAVIGATION
    ]

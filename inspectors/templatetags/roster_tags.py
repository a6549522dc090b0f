from django import template

from inspectors.models import Inspector

register = template.Library()

STATUS_BADGES = {
    Inspector.Status.ON_DUTY: "text-bg-success",
    Inspector.Status.SECONDED: "text-bg-info",
    Inspector.Status.ON_LEAVE: "text-bg-warning",
    Inspector.Status.TRAINING: "text-bg-warning",
    Inspector.Status.TRANSFERRED: "text-bg-secondary",
    Inspector.Status.RETIRED: "text-bg-secondary",
}


@register.filter
def label_for(name: str, labels: dict) -> str:
    """The field label of an audit change key (falls back to the key)."""
    return labels.get(name, name)


@register.inclusion_tag("inspectors/_status_badge.html")
def status_badge(status):
    if not status:
        return {"label": "无状态记录", "css": "text-bg-light border"}
    return {
        "label": Inspector.Status(status).label,
        "css": STATUS_BADGES.get(status, "text-bg-light border"),
    }


@register.simple_tag
def pretty(value) -> str:
    """An audit value as text: lists joined with 、, empty as （空）."""
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return str(value)


CHANNELS = {
    "web": "网页",
    "admin": "管理后台",
    "import": "文件导入",
    "task": "后台任务",
    "command": "命令行",
    "system": "系统",
}


@register.filter
def channel_label(channel: str) -> str:
    return CHANNELS.get(channel, channel or "")

"""Reads of the item list, with the rules that decide what a user (or the public) sees.

`active_items(on=D)` is THE answer to "which items may be checked on day D" (清单之外无检查):
an item is active from its effective date (inclusive) until its retirement date (exclusive).
`checklists.rules.require_active_items` builds on it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from checklists.models import (
    CheckItem,
    CheckItemRequest,
    CheckItemVersion,
    JointItemList,
    JointListItem,
    SupervisionSector,
)
from shijiazhuang_sr.accounts.roles import Role


def today() -> dt.date:
    """The bureau's today (Asia/Shanghai)."""
    return timezone.localdate()


def active_q(on: dt.date, prefix: str = "") -> Q:
    """Items (or joint lists) in force on `on`: effective_from <= on < retired_from."""
    return Q(**{f"{prefix}effective_from__lte": on}) & (
        Q(**{f"{prefix}retired_from__isnull": True}) | Q(**{f"{prefix}retired_from__gt": on})
    )


def active_items(on: dt.date | None = None) -> QuerySet[CheckItem]:
    """The items that may be checked on `on` (default: today)."""
    return CheckItem.objects.filter(active_q(on or today()))


def _item_filters(
    items: QuerySet[CheckItem],
    *,
    q: str = "",
    section=None,
    category: str = "",
    sector=None,
) -> QuerySet[CheckItem]:
    if q:
        items = items.filter(
            Q(code__icontains=q)
            | Q(name__icontains=q)
            | Q(legal_bases__title__icontains=q)
            | Q(sub_items__content__icontains=q)
        ).distinct()
    if section:
        items = items.filter(responsible_section=section)
    if category:
        items = items.filter(category=category)
    if sector:
        # An item without sectors applies to every sector.
        items = items.filter(Q(sectors=sector) | Q(sectors__isnull=True)).distinct()
    return items


STATUS_FILTERS = {
    "current": "有效和未生效",
    "active": "有效",
    "pending": "未生效",
    "retired": "已停用",
    "all": "全部",
}


def item_list(
    *,
    q: str = "",
    section=None,
    category: str = "",
    sector=None,
    status: str = "current",
    on: dt.date | None = None,
) -> QuerySet[CheckItem]:
    """The staff list: every reader sees every item, retired ones included on request."""
    on = on or today()
    items = CheckItem.objects.select_related(
        "responsible_section__department", "required_expertise"
    )
    retired = Q(retired_from__isnull=False, retired_from__lte=on)
    if status == "active":
        items = items.filter(active_q(on))
    elif status == "pending":
        items = items.filter(effective_from__gt=on)
    elif status == "retired":
        items = items.filter(retired)
    elif status != "all":
        items = items.exclude(retired)
    items = _item_filters(items, q=q, section=section, category=category, sector=sector)
    return items.prefetch_related("sectors").order_by("code")


def item_detail(pk) -> CheckItem:
    item = (
        CheckItem.objects.select_related(
            "responsible_section__department", "required_expertise", "origin_request__section"
        )
        .prefetch_related(
            "sectors",
            "sub_items",
            "legal_bases",
            Prefetch(
                "versions",
                queryset=CheckItemVersion.objects.select_related("changed_by").order_by("-number"),
            ),
            Prefetch(
                "joint_entries",
                queryset=JointListItem.objects.select_related("joint_list", "department"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    return item


def item_version(item: CheckItem, number: int) -> CheckItemVersion:
    version = item.versions.select_related("changed_by").filter(number=number).first()
    if version is None:
        raise Http404
    return version


def items_for_export(**criteria) -> QuerySet[CheckItem]:
    return item_list(**criteria).prefetch_related("sub_items", "legal_bases")


# --- public ----------------------------------------------------------------------------------


def public_items(
    *, on: dt.date | None = None, q: str = "", section=None, category: str = "", sector=None
) -> QuerySet[CheckItem]:
    """The published list: only items active on `on` (today), by department and section."""
    items = _item_filters(active_items(on), q=q, section=section, category=category, sector=sector)
    return (
        items.select_related("responsible_section__department")
        .prefetch_related("sectors", "legal_bases")
        .order_by(
            "responsible_section__department__sort_order",
            "responsible_section__department__name",
            "responsible_section__sort_order",
            "responsible_section__name",
            "-category",  # 重点 (key) before 一般 (general)
            "code",
        )
    )


def public_item(pk, *, on: dt.date | None = None) -> CheckItem:
    item = (
        active_items(on)
        .select_related("responsible_section__department", "required_expertise")
        .prefetch_related("sectors", "sub_items", "legal_bases")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    return item


def public_sections(on: dt.date | None = None):
    """The sections that have active items (the public page's section filter)."""
    from inspectors.models import Section

    return (
        Section.objects.filter(check_items__in=active_items(on))
        .select_related("department")
        .distinct()
        .order_by("department__sort_order", "sort_order", "name")
    )


def active_joint_lists(on: dt.date | None = None) -> QuerySet[JointItemList]:
    on = on or today()
    entries = (
        JointListItem.objects.filter(item__in=active_items(on).values("pk"))
        .select_related("department", "item")
        .order_by("department__sort_order", "department__name", "position")
    )
    return (
        JointItemList.objects.filter(active_q(on))
        .select_related("lead_department")
        .prefetch_related(
            "participating_departments",
            "sectors",
            "attachments",
            Prefetch("entries", queryset=entries, to_attr="active_entries"),
        )
        .order_by("name")
    )


def public_joint_list(pk, *, on: dt.date | None = None) -> JointItemList:
    joint_list = active_joint_lists(on).filter(pk=pk).first()
    if joint_list is None:
        raise Http404
    return joint_list


# --- joint lists (staff) ---------------------------------------------------------------------


def joint_list_list(*, q: str = "", department=None, status: str = "current"):
    on = today()
    lists = (
        JointItemList.objects.select_related("lead_department")
        .prefetch_related("participating_departments")
        .annotate(item_count=Count("entries", distinct=True))
    )
    retired = Q(retired_from__isnull=False, retired_from__lte=on)
    if status == "retired":
        lists = lists.filter(retired)
    elif status != "all":
        lists = lists.exclude(retired)
    if q:
        lists = lists.filter(Q(name__icontains=q) | Q(industry__icontains=q))
    if department:
        lists = lists.filter(
            Q(lead_department=department) | Q(participating_departments=department)
        ).distinct()
    return lists.order_by("name")


def joint_list_detail(pk) -> JointItemList:
    joint_list = (
        JointItemList.objects.select_related("lead_department")
        .prefetch_related(
            "participating_departments",
            "sectors",
            Prefetch(
                "entries",
                queryset=JointListItem.objects.select_related(
                    "department", "item__responsible_section"
                ),
            ),
            "attachments__uploaded_by",
        )
        .filter(pk=pk)
        .first()
    )
    if joint_list is None:
        raise Http404
    return joint_list


# --- requests ----------------------------------------------------------------------------------


def sees_all_requests(user) -> bool:
    """Section 4 (who decides) and the leaders see every request; a chief their section's."""
    return user.has_perm("checklists.approve_checkitemrequest") or user.has_role(Role.LEADER)


def visible_requests(user) -> QuerySet[CheckItemRequest]:
    requests = CheckItemRequest.objects.select_related(
        "section", "requested_by", "decided_by", "created_item"
    )
    if sees_all_requests(user):
        return requests
    if user.section_id is None:
        return requests.none()
    return requests.filter(section_id=user.section_id)


def request_list(user, *, q: str = "", status: str = "", section=None):
    requests = visible_requests(user)
    if status:
        requests = requests.filter(status=status)
    if section:
        requests = requests.filter(section=section)
    if q:
        requests = requests.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return requests.order_by("-submitted_at", "-id")


def request_for_user(user, pk) -> CheckItemRequest:
    """A request the user may see, or 404 (another section's request does not exist for them)."""
    request = (
        visible_requests(user)
        .select_related("required_expertise")
        .prefetch_related("sectors", "sub_items", "legal_bases")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404
    return request


def pending_request_count() -> int:
    return CheckItemRequest.objects.filter(status=CheckItemRequest.Status.PENDING).count()


def open_requests_of_section(section_id) -> QuerySet[CheckItemRequest]:
    return CheckItemRequest.objects.filter(
        section_id=section_id, status=CheckItemRequest.Status.PENDING
    )


def sector_choices() -> QuerySet[SupervisionSector]:
    return SupervisionSector.objects.filter(is_active=True).order_by("sort_order", "name")

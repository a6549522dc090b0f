"""Reads of the roster. Every draw gets its inspectors from `eligible_inspectors`.

The status of an inspector on day D is that of the status period covering D that started
last (ties: the one entered last); cancelled periods do not count. An inspector with no
period covering D has no status that day and is never eligible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from inspectors.models import (
    Department,
    Inspector,
    InspectorStatusPeriod,
    ReconciliationLine,
    ReconciliationRun,
    Section,
    Tag,
)

EXPIRY_WARNING_DAYS = 30
# Statuses of officers who have left the bureau: kept on the roster, never drawn.
GONE = (Inspector.Status.TRANSFERRED, Inspector.Status.RETIRED)
SERVING = "serving"  # list filter: everyone who has not left


def _pks(items) -> list[int]:
    return [getattr(item, "pk", item) for item in items]


def periods_covering(on: dt.date) -> QuerySet[InspectorStatusPeriod]:
    return InspectorStatusPeriod.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on),
        cancelled_at__isnull=True,
        starts_on__lte=on,
    )


def _status_subquery(on: dt.date) -> Subquery:
    latest = (
        periods_covering(on)
        .filter(inspector=OuterRef("pk"))
        .order_by("-starts_on", "-id")
        .values("status")[:1]
    )
    return Subquery(latest)


def with_status_on(queryset: QuerySet[Inspector], on: dt.date) -> QuerySet[Inspector]:
    """Annotate `status_on_day`: the status on `on` from the periods (None when none covers)."""
    return queryset.annotate(status_on_day=_status_subquery(on))


def status_on(inspector: Inspector, on: dt.date) -> str | None:
    """The status of one inspector on a date (an `Inspector.Status` value), or None."""
    period = periods_covering(on).filter(inspector=inspector).order_by("-starts_on", "-id").first()
    return period.status if period else None


def statuses_on(inspectors: Iterable, on: dt.date) -> dict[int, str | None]:
    """{inspector id: status on `on`} for many inspectors, in one query."""
    ids = _pks(inspectors)
    result: dict[int, str | None] = dict.fromkeys(ids)
    rows = (
        periods_covering(on)
        .filter(inspector_id__in=ids)
        .order_by("inspector_id", "starts_on", "id")
        .values_list("inspector_id", "status")
    )
    for inspector_id, status in rows:  # ascending: the last one written wins
        result[inspector_id] = status
    return result


def eligible_inspectors(
    *,
    on: dt.date,
    departments: Iterable | None = None,
    sections: Iterable | None = None,
    tags: Iterable | None = None,
) -> QuerySet[Inspector]:
    """The inspectors a draw may pick on `on`: one query.

    Eligible means: status that day is 在岗 (so not on leave, in training, seconded, gone),
    the enforcement card is valid that day (both ends inclusive), and — when given — in one of
    `departments`, in one of `sections`, and carrying every one of `tags` (AND). Departments,
    sections and tags may be objects or ids.
    """
    queryset = with_status_on(Inspector.objects.all(), on).filter(
        status_on_day=Inspector.Status.ON_DUTY,
        card_valid_from__lte=on,
        card_valid_to__gte=on,
    )
    if departments is not None:
        queryset = queryset.filter(department_id__in=_pks(departments))
    if sections is not None:
        queryset = queryset.filter(section_id__in=_pks(sections))
    through = Inspector.tags.through
    for tag_id in dict.fromkeys(_pks(tags or ())):
        queryset = queryset.filter(
            Exists(through.objects.filter(inspector_id=OuterRef("pk"), tag_id=tag_id))
        )
    return queryset.order_by("pk")


def expiring_cutoff(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) + dt.timedelta(days=EXPIRY_WARNING_DAYS)


def card_flag(inspector: Inspector, today: dt.date | None = None) -> str:
    """ "expired", "expiring" (within 30 days) or ""."""
    today = today or timezone.localdate()
    if inspector.card_valid_to < today:
        return "expired"
    if inspector.card_valid_to <= expiring_cutoff(today):
        return "expiring"
    return ""


def inspector_list(
    *,
    q: str = "",
    department: Department | None = None,
    section: Section | None = None,
    status: str = "",
    tag: Tag | None = None,
    expiring: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Inspector]:
    """The roster page: every staff reader sees the whole roster (no section scoping).

    `current_status` is today's status from the periods (falling back to the stored one for
    a record without any period), so the list never depends on a nightly job having run.
    """
    today = today or timezone.localdate()
    queryset = (
        Inspector.objects.select_related("department", "section", "user")
        .prefetch_related("tags")
        .annotate(current_status=Coalesce(_status_subquery(today), F("status")))
    )
    if q:
        q = q.strip()
        queryset = queryset.filter(Q(name__icontains=q) | Q(cert_no__icontains=q.upper()))
    if department is not None:
        queryset = queryset.filter(department=department)
    if section is not None:
        queryset = queryset.filter(section=section)
    if status == SERVING:
        queryset = queryset.exclude(current_status__in=GONE)
    elif status:
        queryset = queryset.filter(current_status=status)
    if tag is not None:
        queryset = queryset.filter(
            Exists(Inspector.tags.through.objects.filter(inspector_id=OuterRef("pk"), tag=tag))
        )
    if expiring:
        queryset = queryset.filter(card_valid_to__lte=expiring_cutoff(today))
    return queryset.order_by("department__sort_order", "name", "cert_no")


def expiring_cards_count(today: dt.date | None = None) -> int:
    """Serving officers whose card expired or expires within 30 days (the home page step)."""
    return inspector_list(status=SERVING, expiring=True, today=today).count()


def inspectors_with_relations() -> QuerySet[Inspector]:
    return Inspector.objects.select_related("department", "section", "user").prefetch_related(
        "tags"
    )


def status_history(inspector: Inspector) -> QuerySet[InspectorStatusPeriod]:
    return inspector.status_periods.select_related("created_by", "cancelled_by").order_by(
        "-starts_on", "-id"
    )


def department_list() -> QuerySet[Department]:
    return Department.objects.annotate(
        section_count=Count("sections", distinct=True),
        inspector_count=Count("inspectors", distinct=True),
    ).order_by("sort_order", "name")


def section_list(department: Department) -> QuerySet[Section]:
    return department.sections.annotate(inspector_count=Count("inspectors")).order_by(
        "sort_order", "name"
    )


def tag_list(*, kind: str = "") -> QuerySet[Tag]:
    tags = Tag.objects.annotate(
        inspector_count=Subquery(
            Inspector.tags.through.objects.filter(tag_id=OuterRef("pk"))
            .values("tag_id")
            .annotate(n=Count("*"))
            .values("n")[:1]
        )
    )
    if kind:
        tags = tags.filter(kind=kind)
    return tags.order_by("kind", "sort_order", "name")


def reconciliation_runs() -> QuerySet[ReconciliationRun]:
    return (
        ReconciliationRun.objects.select_related("created_by")
        .annotate(
            line_count=Count("lines"),
            open_count=Count(
                "lines", filter=Q(lines__resolution=ReconciliationLine.Resolution.OPEN)
            ),
        )
        .order_by("-created_at", "-id")
    )


def reconciliation_lines(
    run: ReconciliationRun, *, state: str = "", kind: str = ""
) -> QuerySet[ReconciliationLine]:
    lines = run.lines.select_related("inspector", "resolved_by")
    if state == "open":
        lines = lines.filter(resolution=ReconciliationLine.Resolution.OPEN)
    elif state == "resolved":
        lines = lines.exclude(resolution=ReconciliationLine.Resolution.OPEN)
    if kind:
        lines = lines.filter(kind=kind)
    return lines.order_by("kind", "cert_no")


def open_reconciliation_lines() -> QuerySet[ReconciliationLine]:
    return ReconciliationLine.objects.filter(resolution=ReconciliationLine.Resolution.OPEN)

"""Reads of the enterprise register, with their rules.

The draws read three things from here, each through ONE function:

- the credit grade of enterprises on a date: `grade_on`, `grades_on`, `annotate_grade_on`;
- the approved recusals valid on a date: `active_recusal_pairs`;
- the number of checks of enterprises in a year: `annual_check_counts`,
  `annotate_annual_check_count`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property

from campaigns.models import (
    CheckVisit,
    CreditGradeChange,
    Enterprise,
    EnterpriseSector,
    Recusal,
)
from campaigns.models.register import fragment_query
from campaigns.uscc import ALPHABET, normalize_uscc

UNRATED = "none"  # the grade filter's value for enterprises without a grade
# A name search reads, counts and sorts up to this many matches; a search matching more is
# listed up to SEARCH_PAGE_CAP rows (see RegisterPaginator).
SEARCH_SORT_LIMIT = 10_000
SEARCH_PAGE_CAP = 2_500
_FULL_USCC = re.compile(f"[{ALPHABET}]{{18}}")
_PARTIAL_USCC = re.compile(f"[{ALPHABET}]{{6,17}}")


# --- The register list --------------------------------------------------------------------------


def _name_contains(text: str, *, grams: bool = True) -> Q:
    """Names containing every white-space separated term of `text` (see "Name search").

    With `grams` (PostgreSQL), a term of one or two characters is exactly one lexeme of
    `name_grams`, so the GIN index answers it alone and the planner's estimate (from the
    tsvector statistics) is right; a longer term is the AND of its character pairs, rechecked
    with a substring match. Without `grams` the terms are substring matches only, which an
    index-only scan of enterprise_name_idx (name order) can test without reading the table.
    """
    condition = Q()
    for term in text.split():
        # A plain LIKE on the column has planner statistics; UPPER() for Latin letters only.
        lookup = "name__icontains" if re.search("[A-Za-z]", term) else "name__contains"
        if connection.vendor != "postgresql":
            condition &= Q(name__icontains=term)
            continue
        if grams:
            condition &= Q(name_grams__matches=fragment_query(term))
        if len(term) > 2 or not grams:
            condition &= Q(**{lookup: term})
    return condition


def search_condition(q: str, *, grams: bool = True) -> Q:
    """What the search box means: a whole USCC, the start of one, or name fragments."""
    code = normalize_uscc(q)
    if _FULL_USCC.fullmatch(code):
        return Q(uscc=code)
    if _PARTIAL_USCC.fullmatch(code):
        return Q(uscc__startswith=code) | _name_contains(q, grams=grams)
    return _name_contains(q, grams=grams)


def enterprise_list(
    *,
    q: str = "",
    area=None,
    sector=None,
    grade: str = "",
    key_supervision: bool = False,
    status: str = "",
    grams: bool = True,
) -> QuerySet[Enterprise]:
    """The register, filtered, ordered by name. Every filter has an index (models.register).

    `grams=False` matches names by substring only; the list page uses it to walk the name
    index when a search matches too many enterprises to sort (see views.register).
    """
    enterprises = Enterprise.objects.select_related("area").defer("name_grams")
    if q and q.strip():
        enterprises = enterprises.filter(search_condition(q.strip(), grams=grams))
    if area is not None:
        enterprises = enterprises.filter(area=area)
    if sector is not None:
        # EXISTS on the through table (enterprise_sector_unique / enterprise_sector_idx);
        # a join would repeat enterprises and need DISTINCT.
        enterprises = enterprises.filter(
            Exists(EnterpriseSector.objects.filter(enterprise=OuterRef("pk"), sector=sector))
        )
    if grade == UNRATED:
        enterprises = enterprises.filter(credit_grade="")
    elif grade:
        enterprises = enterprises.filter(credit_grade=grade)
    if key_supervision:
        enterprises = enterprises.filter(is_key_supervision=True)
    if status:
        enterprises = enterprises.filter(status=status)
    return enterprises.order_by("name", "id")


class RegisterPaginator(Paginator):
    """Pages of a register of a million enterprises, each in a bounded time.

    Without a name search the list is counted exactly (from an index), and a page reads its
    25 ids first (an index-only scan of the ordering index), reading from the end when the page
    lies in the second half, then loads those rows with their joins: no page skips more than
    half of the list, and skipped rows are never joined.

    A name search must read every matching row to count or sort it (the GIN index gives row
    addresses, not names). So up to SEARCH_SORT_LIMIT matches are read (unordered: the index
    decides), counted and sorted by name here. A search matching more than that is a common
    fragment ("化工", "石家庄"): its first SEARCH_PAGE_CAP rows are found by walking the name
    index with a substring test (`search_scan`, an index-only scan that reads no table rows),
    which is cheap precisely because the fragment is common; the count says "more than".
    """

    def __init__(self, object_list, per_page, *, search_scan: QuerySet | None = None):
        super().__init__(object_list, per_page)
        self.search_scan = search_scan
        self.is_capped = False

    @cached_property
    def _matches(self) -> list[tuple[int, str]]:
        return list(self.object_list.order_by().values_list("pk", "name")[: SEARCH_SORT_LIMIT + 1])

    @cached_property
    def count(self) -> int:
        if self.search_scan is None:
            return super().count
        if len(self._matches) > SEARCH_SORT_LIMIT:
            self.is_capped = True
            return SEARCH_PAGE_CAP
        return len(self._matches)

    def _page_ids(self, bottom: int, top: int) -> list[int]:
        if self.search_scan is not None:
            if self.is_capped:
                return list(self.search_scan.values_list("pk", flat=True)[bottom:top])
            ordered = sorted(self._matches, key=lambda match: (match[1], match[0]))
            return [pk for pk, _name in ordered[bottom:top]]
        ids = self.object_list.values_list("pk", flat=True)
        if bottom > self.count // 2:
            return list(ids.reverse()[self.count - top : self.count - bottom])[::-1]
        return list(ids[bottom:top])

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self._page_ids(bottom, min(bottom + self.per_page, self.count))
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)} if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def enterprise_detail(pk: int) -> Enterprise:
    """An enterprise with what its page shows; 404 if there is none (staff see the whole
    register: the register is not scoped by section)."""
    enterprise = (
        Enterprise.objects.select_related("area")
        .prefetch_related("supervision_sectors", "responsible_sections")
        .filter(pk=pk)
        .first()
    )
    if enterprise is None:
        raise Http404
    return enterprise


def enterprise_by_uscc(text: str) -> Enterprise | None:
    return Enterprise.objects.filter(uscc=normalize_uscc(text)).first()


def grade_history(enterprise: Enterprise) -> QuerySet[CreditGradeChange]:
    return enterprise.grade_changes.select_related("recorded_by").order_by("-effective_date", "-id")


# --- Credit grade on a date ---------------------------------------------------------------------


def grade_on(enterprise: Enterprise | int, day: dt.date) -> str:
    """The credit grade an enterprise had on `day` ("" when it had none yet).

    It is the new grade of its last change effective on or before that day.
    """
    return (
        CreditGradeChange.objects.filter(enterprise=enterprise, effective_date__lte=day)
        .order_by("-effective_date", "-id")
        .values_list("new_grade", flat=True)
        .first()
        or ""
    )


def annotate_grade_on(
    enterprises: QuerySet[Enterprise], day: dt.date, *, name: str = "grade_on_date"
) -> QuerySet[Enterprise]:
    """Annotate each enterprise with its grade on `day` (what `grade_on` returns).

    For the usual case (the manifest date is on or after the enterprise's current grade date)
    the current grade is the answer and no history is read; older dates read the history
    through gradechange_lookup_idx. The services keep the current grade equal to the last
    change (no change is effective in the future, none is added before the current one).
    """
    last_change = (
        CreditGradeChange.objects.filter(enterprise=OuterRef("pk"), effective_date__lte=day)
        .order_by("-effective_date", "-id")
        .values("new_grade")[:1]
    )
    return enterprises.annotate(
        **{
            name: Case(
                When(credit_grade_date__isnull=True, then=Value("")),
                When(credit_grade_date__lte=day, then=F("credit_grade")),
                default=Coalesce(Subquery(last_change), Value("")),
                output_field=CharField(),
            )
        }
    )


def _enterprise_scope(enterprises) -> QuerySet[Enterprise]:
    if enterprises is None:
        return Enterprise.objects.all()
    if isinstance(enterprises, QuerySet):
        return enterprises
    return Enterprise.objects.filter(pk__in=[getattr(e, "pk", e) for e in enterprises])


def grades_on(day: dt.date, enterprises=None) -> dict[int, str]:
    """{enterprise id: grade on `day`} for the given enterprises (a queryset, ids or objects;
    None: the whole register). Enterprises without a grade on that day map to ""."""
    scope = annotate_grade_on(_enterprise_scope(enterprises).order_by(), day)
    return dict(scope.values_list("pk", "grade_on_date"))


# --- Recusals -----------------------------------------------------------------------------------


def _ids(objects: Iterable) -> list:
    return [getattr(item, "pk", item) for item in objects]


def active_recusals(*, on: dt.date) -> QuerySet[Recusal]:
    """Approved recusals valid on `on` (from and to dates inclusive)."""
    return Recusal.objects.filter(status=Recusal.Status.APPROVED, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def active_recusal_pairs(*, on: dt.date, enterprises=None, inspectors=None) -> set[tuple[str, str]]:
    """The (USCC, 执法证号) pairs a draw on day `on` must keep apart.

    `enterprises` / `inspectors` narrow the result (a queryset, ids or objects); None means all.
    """
    recusals = active_recusals(on=on)
    if enterprises is not None:
        recusals = recusals.filter(
            enterprise__in=enterprises if isinstance(enterprises, QuerySet) else _ids(enterprises)
        )
    if inspectors is not None:
        recusals = recusals.filter(
            inspector__in=inspectors if isinstance(inspectors, QuerySet) else _ids(inspectors)
        )
    return set(recusals.values_list("enterprise__uscc", "inspector__cert_no"))


def recusals_visible_to(user) -> QuerySet[Recusal]:
    """All recusals for those who may see them all; an inspector sees the ones about them or
    declared by them; anybody else none."""
    recusals = Recusal.objects.select_related(
        "inspector", "enterprise", "declared_by", "decided_by"
    )
    if user.has_perm("campaigns.view_recusal"):
        return recusals
    if user.has_perm("campaigns.declare_recusal"):
        return recusals.filter(Q(inspector__user=user) | Q(declared_by=user))
    return recusals.none()


def recusal_list(user, *, status: str = "", q: str = "") -> QuerySet[Recusal]:
    recusals = recusals_visible_to(user)
    if status:
        recusals = recusals.filter(status=status)
    if q and q.strip():
        text = q.strip()
        recusals = recusals.filter(
            Q(inspector__name__contains=text)
            | Q(inspector__cert_no=text.upper())
            | Q(enterprise__uscc=normalize_uscc(text))
            | Q(enterprise__name__contains=text)
        )
    return recusals.order_by("-declared_at", "-id")


def recusal_for(user, pk: int) -> Recusal:
    recusal = recusals_visible_to(user).filter(pk=pk).first()
    if recusal is None:
        raise Http404
    return recusal


def recusals_of_enterprise(enterprise: Enterprise) -> QuerySet[Recusal]:
    return (
        Recusal.objects.filter(enterprise=enterprise)
        .select_related("inspector", "declared_by", "decided_by")
        .order_by("-declared_at", "-id")
    )


def pending_recusal_count() -> int:
    return Recusal.objects.filter(status=Recusal.Status.PENDING).count()


# --- Annual check counts ------------------------------------------------------------------------


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def annual_check_counts(year: int, enterprises=None) -> Counter:
    """{enterprise id: number of visits in `year`}; a joint visit of several departments is
    one visit. Enterprises without a visit are absent (a Counter gives 0 for them)."""
    visits = CheckVisit.objects.filter(visited_on__range=_year_range(year))
    if enterprises is not None:
        visits = visits.filter(
            enterprise__in=enterprises if isinstance(enterprises, QuerySet) else _ids(enterprises)
        )
    rows = visits.order_by().values("enterprise").annotate(visits=Count("id"))
    return Counter({row["enterprise"]: row["visits"] for row in rows})


def annotate_annual_check_count(
    enterprises: QuerySet[Enterprise], year: int, *, name: str = "annual_checks"
) -> QuerySet[Enterprise]:
    """Annotate each enterprise with its visits in `year` (e.g. to leave out those at their
    annual cap: `.filter(annual_checks__lt=cap)`). Reads checkvisit_enterprise_idx."""
    count = (
        CheckVisit.objects.filter(enterprise=OuterRef("pk"), visited_on__range=_year_range(year))
        .order_by()
        .values("enterprise")
        .annotate(visits=Count("id"))
        .values("visits")
    )
    return enterprises.annotate(
        **{name: Coalesce(Subquery(count, output_field=IntegerField()), Value(0))}
    )


def check_counts_by_year(enterprise: Enterprise, *, years: int = 3) -> list[tuple[int, int]]:
    """[(year, visits)] for the current year and the `years - 1` before it, newest first."""
    this_year = timezone.localdate().year
    first = this_year - years + 1
    rows = (
        CheckVisit.objects.filter(enterprise=enterprise, visited_on__gte=dt.date(first, 1, 1))
        .order_by()
        .values_list("visited_on__year")
        .annotate(visits=Count("id"))
    )
    counts = dict(rows)
    return [(year, counts.get(year, 0)) for year in range(this_year, first - 1, -1)]


def visits_of_enterprise(enterprise: Enterprise, *, limit: int = 20) -> list[CheckVisit]:
    return list(
        CheckVisit.objects.filter(enterprise=enterprise)
        .select_related("recorded_by")
        .prefetch_related("departments")
        .order_by("-visited_on", "-id")[:limit]
    )

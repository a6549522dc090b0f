"""Reads of the register: grades on a date, active recusal pairs, annual check counts, the
list's filters and search, and its paginator."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import CreditGradeChange, Enterprise, Recusal
from campaigns.selectors import register as selectors
from campaigns.services import register as services
from tests.campaigns.factories import (
    CheckVisitFactory,
    EnterpriseFactory,
    RecusalFactory,
    SectorFactory,
    area,
)
from tests.factories import DepartmentFactory
from tests.inspectors.factories import InspectorFactory

pytestmark = pytest.mark.django_db


def _grade(user, enterprise, grade, day):
    services.enterprise_change_grade(
        by=user, enterprise=enterprise, grade=grade, effective_date=day, source="测试"
    )


# --- Grade on a date ----------------------------------------------------------------------------


def test_the_grade_on_a_date_is_the_last_change_effective_by_then(section4):
    enterprise = EnterpriseFactory()
    _grade(section4, enterprise, "B", dt.date(2024, 3, 1))
    _grade(section4, enterprise, "C", dt.date(2024, 9, 1))
    _grade(section4, enterprise, "A", dt.date(2024, 9, 1))  # same day: the later one counts
    assert selectors.grade_on(enterprise, dt.date(2024, 2, 29)) == ""
    assert selectors.grade_on(enterprise, dt.date(2024, 3, 1)) == "B"
    assert selectors.grade_on(enterprise, dt.date(2024, 8, 31)) == "B"
    assert selectors.grade_on(enterprise, dt.date(2024, 9, 1)) == "A"
    assert selectors.grade_on(enterprise.pk, dt.date(2030, 1, 1)) == "A"


def test_the_bulk_grade_agrees_with_the_single_one(section4, django_assert_num_queries):
    first, second, unrated = EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()
    _grade(section4, first, "D", dt.date(2024, 1, 1))
    _grade(section4, first, "B", dt.date(2024, 6, 1))
    _grade(section4, second, "A", dt.date(2024, 6, 1))
    for day in (
        dt.date(2023, 12, 31),
        dt.date(2024, 1, 1),
        dt.date(2024, 5, 31),
        dt.date(2025, 1, 1),
    ):
        with django_assert_num_queries(1):
            grades = selectors.grades_on(day)
        assert grades == {e.pk: selectors.grade_on(e, day) for e in (first, second, unrated)}
    assert selectors.grades_on(dt.date(2024, 3, 1), [first, second.pk]) == {
        first.pk: "D",
        second.pk: "",
    }
    annotated = selectors.annotate_grade_on(
        Enterprise.objects.filter(credit_grade="B"), dt.date(2024, 2, 1)
    )
    assert [(e.pk, e.grade_on_date) for e in annotated] == [(first.pk, "D")]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(st.sampled_from("ABCD"), st.integers(0, 400)), min_size=0, max_size=6),
    st.integers(-30, 430),
)
def test_the_annotation_equals_the_definition_for_any_history(section4, history, offset):
    start = dt.date(2024, 1, 1)
    enterprise = EnterpriseFactory()
    for grade, days in sorted(history, key=lambda item: item[1]):
        current = Enterprise.objects.get(pk=enterprise.pk)
        if grade != current.credit_grade:
            _grade(section4, enterprise, grade, start + dt.timedelta(days=days))
    day = start + dt.timedelta(days=offset)
    assert selectors.grades_on(day, [enterprise]) == {
        enterprise.pk: selectors.grade_on(enterprise, day)
    }
    Enterprise.objects.filter(pk=enterprise.pk).update(credit_grade="", credit_grade_date=None)
    CreditGradeChange.objects.filter(enterprise=enterprise).delete()


# --- Recusal pairs ------------------------------------------------------------------------------


def test_active_pairs_are_the_approved_recusals_valid_that_day():
    inspector = InspectorFactory(cert_no="13010020001")
    enterprise = EnterpriseFactory()
    RecusalFactory(
        inspector=inspector, enterprise=enterprise, valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )  # fmt: skip
    for status in (Recusal.Status.PENDING, Recusal.Status.REJECTED, Recusal.Status.WITHDRAWN):
        RecusalFactory(enterprise=enterprise, status=status)
    open_ended = RecusalFactory(valid_from=dt.date(2025, 3, 1), valid_to=None)
    pair = (enterprise.uscc, "13010020001")
    other = (open_ended.enterprise.uscc, open_ended.inspector.cert_no)
    assert selectors.active_recusal_pairs(on=dt.date(2024, 12, 31)) == set()
    assert selectors.active_recusal_pairs(on=dt.date(2025, 1, 1)) == {pair}
    assert selectors.active_recusal_pairs(on=dt.date(2025, 6, 30)) == {pair, other}
    assert selectors.active_recusal_pairs(on=dt.date(2025, 7, 1)) == {other}
    day = dt.date(2025, 5, 1)
    assert selectors.active_recusal_pairs(on=day, enterprises=[enterprise]) == {pair}
    assert selectors.active_recusal_pairs(
        on=day, enterprises=Enterprise.objects.filter(pk=open_ended.enterprise_id)
    ) == {other}
    assert selectors.active_recusal_pairs(on=day, inspectors=[inspector.pk]) == {pair}
    assert selectors.active_recusal_pairs(on=day, enterprises=[]) == set()


# --- Annual check counts ------------------------------------------------------------------------


def test_a_joint_visit_counts_once_and_years_are_separate():
    enterprise, other, never = EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()
    departments = [
        DepartmentFactory(name="石家庄市应急管理局"),
        DepartmentFactory(name="石家庄市市场监督管理局"),
    ]
    CheckVisitFactory(
        enterprise=enterprise, visited_on=dt.date(2025, 1, 1), departments=departments
    )
    CheckVisitFactory(enterprise=enterprise, visited_on=dt.date(2025, 12, 31))
    CheckVisitFactory(enterprise=enterprise, visited_on=dt.date(2024, 12, 31))
    CheckVisitFactory(enterprise=other, visited_on=dt.date(2025, 6, 1), departments=departments)
    counts = selectors.annual_check_counts(2025)
    assert counts == {enterprise.pk: 2, other.pk: 1}
    assert counts[never.pk] == 0
    assert selectors.annual_check_counts(2024) == {enterprise.pk: 1}
    assert selectors.annual_check_counts(2025, [other]) == {other.pk: 1}
    annotated = selectors.annotate_annual_check_count(Enterprise.objects.order_by("id"), 2025)
    assert [e.annual_checks for e in annotated] == [2, 1, 0]
    under_cap = selectors.annotate_annual_check_count(Enterprise.objects.all(), 2025).filter(
        annual_checks__lt=2
    )
    assert set(under_cap) == {other, never}


def test_the_counts_by_year_cover_this_year_and_two_before():
    from django.utils import timezone

    enterprise = EnterpriseFactory()
    this_year = timezone.localdate().year
    CheckVisitFactory(enterprise=enterprise, visited_on=dt.date(this_year - 1, 3, 1))
    assert selectors.check_counts_by_year(enterprise) == [
        (this_year, 0),
        (this_year - 1, 1),
        (this_year - 2, 0),
    ]


# --- The list -----------------------------------------------------------------------------------


def _names(queryset):
    return [e.name for e in queryset]


@pytest.fixture
def register():
    hazchem = SectorFactory(name="危险化学品生产")
    dust = SectorFactory(name="粉尘涉爆")
    return {
        "heng": EnterpriseFactory(name="石家庄恒达化工有限公司", sectors=[hazchem]),
        "xin": EnterpriseFactory(
            name="辛集市宏泰皮革制品有限公司", area=area("130181"), sectors=[dust],
            credit_grade="D", credit_grade_date=dt.date(2025, 1, 1),
            status=Enterprise.Status.SUSPENDED,
        ),
        "key": EnterpriseFactory(
            name="正定县恒丰木业有限公司", area=area("130123"), sectors=[dust, hazchem],
            is_key_supervision=True, key_supervision_reason="粉尘涉爆",
        ),
        "latin": EnterpriseFactory(name="河北ABC化工厂"),
        "split": EnterpriseFactory(name="石家庄家化庄园有限公司"),
        "sectors": (hazchem, dust),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("化", ["河北ABC化工厂", "石家庄家化庄园有限公司", "石家庄恒达化工有限公司"]),
        ("化工", ["河北ABC化工厂", "石家庄恒达化工有限公司"]),
        ("恒达化", ["石家庄恒达化工有限公司"]),
        ("恒达化工", ["石家庄恒达化工有限公司"]),
        ("恒 有限", ["正定县恒丰木业有限公司", "石家庄恒达化工有限公司"]),
        ("abc", ["河北ABC化工厂"]),
        ("  宏泰 ", ["辛集市宏泰皮革制品有限公司"]),
        ("不存在的企业", []),
    ],
)
def test_names_are_found_by_any_fragment(register, q, expected):
    assert _names(selectors.enterprise_list(q=q)) == expected


def test_a_longer_fragment_is_not_matched_by_its_scattered_pairs(register):
    # "石家庄家化庄园" holds the pairs 家庄 and 庄园, but not the string "家庄园".
    assert _names(selectors.enterprise_list(q="家庄园")) == []
    assert _names(selectors.enterprise_list(q="化庄园")) == ["石家庄家化庄园有限公司"]


def test_a_code_is_found_exactly_in_any_spelling_and_by_its_start(register):
    code = register["heng"].uscc
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    assert _names(selectors.enterprise_list(q=full_width)) == ["石家庄恒达化工有限公司"]
    assert _names(selectors.enterprise_list(q=code[:16])) == ["石家庄恒达化工有限公司"]
    wrong_check = code[:17] + ("0" if code[17] != "0" else "1")
    assert list(selectors.enterprise_list(q=wrong_check)) == []


def test_the_filters_combine(register):
    hazchem, dust = register["sectors"]
    assert _names(selectors.enterprise_list(area=area("130181"))) == ["辛集市宏泰皮革制品有限公司"]
    assert _names(selectors.enterprise_list(sector=dust)) == [
        "正定县恒丰木业有限公司",
        "辛集市宏泰皮革制品有限公司",
    ]
    assert _names(selectors.enterprise_list(grade="D")) == ["辛集市宏泰皮革制品有限公司"]
    assert len(selectors.enterprise_list(grade=selectors.UNRATED)) == 4
    assert _names(selectors.enterprise_list(key_supervision=True)) == ["正定县恒丰木业有限公司"]
    assert _names(selectors.enterprise_list(status="suspended")) == ["辛集市宏泰皮革制品有限公司"]
    assert _names(selectors.enterprise_list(q="恒", sector=hazchem, key_supervision=True)) == [
        "正定县恒丰木业有限公司"
    ]
    # A sector filter does not repeat an enterprise with several sectors.
    assert len(selectors.enterprise_list(sector=hazchem)) == 2


def test_recusals_are_visible_to_their_readers_only(section4, leader, inspector_user, chief):
    mine = RecusalFactory(inspector=InspectorFactory(user=inspector_user))
    declared = RecusalFactory(declared_by=inspector_user)
    other = RecusalFactory()
    assert set(selectors.recusals_visible_to(section4)) == {mine, declared, other}
    assert set(selectors.recusals_visible_to(leader)) == {mine, declared, other}
    assert set(selectors.recusals_visible_to(inspector_user)) == {mine, declared}
    assert not selectors.recusals_visible_to(chief).exists()


# --- The paginator ------------------------------------------------------------------------------


def _page_names(paginator, number):
    return [e.name for e in paginator.page(number).object_list]


def test_pages_read_from_the_end_match_pages_read_from_the_start():
    for number in range(23):
        EnterpriseFactory(name=f"企业{number:02d}")
    queryset = selectors.enterprise_list()
    paginator = selectors.RegisterPaginator(queryset, 5)
    assert paginator.count == 23
    every = [name for number in paginator.page_range for name in _page_names(paginator, number)]
    assert every == [f"企业{n:02d}" for n in range(23)]
    assert _page_names(paginator, 5) == ["企业20", "企业21", "企业22"]


def test_a_search_matching_more_than_can_be_sorted_is_capped(monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_SORT_LIMIT", 4)
    monkeypatch.setattr(selectors, "SEARCH_PAGE_CAP", 3)
    for number in range(6):
        EnterpriseFactory(name=f"恒达{number}号化工厂")
    EnterpriseFactory(name="无关企业")
    scan = selectors.enterprise_list(q="恒达", grams=False)
    paginator = selectors.RegisterPaginator(
        selectors.enterprise_list(q="恒达"), 2, search_scan=scan
    )
    assert (paginator.count, paginator.is_capped, paginator.num_pages) == (3, True, 2)
    assert _page_names(paginator, 1) == ["恒达0号化工厂", "恒达1号化工厂"]
    assert _page_names(paginator, 2) == ["恒达2号化工厂"]
    small = selectors.RegisterPaginator(
        selectors.enterprise_list(q="恒达5"),
        2,
        search_scan=selectors.enterprise_list(q="恒达5", grams=False),
    )
    assert (small.count, small.is_capped) == (1, False)
    assert _page_names(small, 1) == ["恒达5号化工厂"]


def test_a_search_under_the_limit_is_sorted_by_name():
    for name in ("恒达丙", "恒达甲", "恒达乙"):
        EnterpriseFactory(name=name)
    queryset = selectors.enterprise_list(q="恒达")
    paginator = selectors.RegisterPaginator(
        queryset, 2, search_scan=selectors.enterprise_list(q="恒达", grams=False)
    )
    assert paginator.count == 3
    assert _page_names(paginator, 1) + _page_names(paginator, 2) == sorted(
        ["恒达丙", "恒达甲", "恒达乙"]
    )

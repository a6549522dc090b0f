"""Draw eligibility: who may be drawn on a given day (one selector for every draw)."""

import datetime as dt

import pytest

from inspectors import selectors
from inspectors.models import Inspector, Tag
from tests.factories import DepartmentFactory, SectionFactory
from tests.inspectors.factories import InspectorFactory, TagFactory, add_period

S = Inspector.Status
DAY = dt.timedelta(days=1)
ON = dt.date(2025, 6, 10)

pytestmark = pytest.mark.django_db


def eligible(on=ON, **kwargs) -> set:
    return set(selectors.eligible_inspectors(on=on, **kwargs))


def test_it_includes_an_inspector_on_duty_with_a_valid_card():
    inspector = InspectorFactory()
    assert eligible() == {inspector}


def test_the_card_is_valid_on_its_first_and_last_day_only():
    inspector = InspectorFactory(card_valid_from=ON, card_valid_to=ON + 10 * DAY)
    assert inspector in eligible(ON)
    assert inspector in eligible(ON + 10 * DAY)
    assert inspector not in eligible(ON - DAY)
    assert inspector not in eligible(ON + 11 * DAY)


def test_a_leave_excludes_the_inspector_on_each_day_of_it_and_no_other():
    inspector = InspectorFactory()
    add_period(inspector, S.ON_LEAVE, ON, ON + 4 * DAY)
    assert inspector in eligible(ON - DAY)
    for offset in range(5):
        assert inspector not in eligible(ON + offset * DAY)
    assert inspector in eligible(ON + 5 * DAY)


def test_training_and_secondment_exclude_like_leave():
    trainee, seconded = InspectorFactory(), InspectorFactory()
    add_period(trainee, S.TRAINING, ON, ON)
    add_period(seconded, S.SECONDED, ON - 30 * DAY)  # open-ended
    assert eligible() == set()
    assert eligible(ON + DAY) == {trainee}
    assert eligible(ON + 400 * DAY) == {trainee}


def test_a_status_period_counts_from_its_start_day():
    inspector = InspectorFactory(on_duty_from=ON)
    assert inspector not in eligible(ON - DAY)
    assert inspector in eligible(ON)


def test_an_inspector_without_any_status_period_is_never_eligible():
    InspectorFactory(on_duty_from=False)
    assert eligible() == set()


def test_retired_and_transferred_inspectors_are_excluded_from_that_day():
    retired, transferred = InspectorFactory(), InspectorFactory()
    add_period(retired, S.RETIRED, ON)
    add_period(transferred, S.TRANSFERRED, ON + DAY)
    assert eligible(ON - DAY) == {retired, transferred}
    assert eligible(ON) == {transferred}
    assert eligible(ON + DAY) == set()


def test_a_return_after_a_transfer_makes_the_inspector_eligible_again():
    inspector = InspectorFactory()
    add_period(inspector, S.TRANSFERRED, ON)
    add_period(inspector, S.ON_DUTY, ON + 100 * DAY)
    assert inspector not in eligible(ON + 50 * DAY)
    assert inspector in eligible(ON + 100 * DAY)


def test_the_period_that_started_last_wins_when_periods_nest():
    inspector = InspectorFactory()
    add_period(inspector, S.SECONDED, ON, ON + 30 * DAY)
    add_period(inspector, S.ON_DUTY, ON + 10 * DAY, ON + 12 * DAY)  # back for three days
    assert inspector not in eligible(ON + 9 * DAY)
    assert inspector in eligible(ON + 10 * DAY)
    assert inspector in eligible(ON + 12 * DAY)
    assert inspector not in eligible(ON + 13 * DAY)
    assert inspector in eligible(ON + 31 * DAY)


def test_of_two_periods_starting_the_same_day_the_later_entry_wins():
    inspector = InspectorFactory()
    add_period(inspector, S.ON_LEAVE, ON, ON + DAY)
    add_period(inspector, S.ON_DUTY, ON, ON + DAY)
    assert inspector in eligible()
    assert selectors.status_on(inspector, ON) == S.ON_DUTY


def test_a_cancelled_period_is_ignored():
    inspector = InspectorFactory()
    leave = add_period(inspector, S.ON_LEAVE, ON, ON)
    assert inspector not in eligible()
    leave.cancelled_at = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    leave.save()
    assert inspector in eligible()


def test_it_filters_by_department_and_section():
    bureau = DepartmentFactory(name="石家庄市应急管理局")
    fire = DepartmentFactory(name="石家庄市消防救援支队")
    chem = SectionFactory(department=bureau, name="危化科")
    trade = SectionFactory(department=bureau, name="工贸科")
    a = InspectorFactory(department=bureau, section=chem)
    b = InspectorFactory(department=bureau, section=trade)
    c = InspectorFactory(department=fire, section=SectionFactory(department=fire, name="防火处"))
    assert eligible(departments=[bureau]) == {a, b}
    assert eligible(departments=[bureau.pk, fire.pk]) == {a, b, c}
    assert eligible(sections=[trade]) == {b}
    assert eligible(departments=[fire], sections=[chem]) == set()


def test_tags_combine_with_and():
    chem = TagFactory(kind=Tag.Kind.FIELD, name="危险化学品")
    process = TagFactory(name="化工工艺")
    electric = TagFactory(name="电气安全")
    both = InspectorFactory(tags=[chem, process])
    only_chem = InspectorFactory(tags=[chem])
    all_three = InspectorFactory(tags=[chem, process, electric])
    assert eligible(tags=[chem]) == {both, only_chem, all_three}
    assert eligible(tags=[chem, process]) == {both, all_three}
    assert eligible(tags=[chem.pk, process.pk, electric.pk]) == {all_three}
    assert eligible(tags=[chem, chem]) == {both, only_chem, all_three}
    assert eligible(tags=[]) == {both, only_chem, all_three}


def test_eligibility_is_one_query_for_many_inspectors(django_assert_num_queries):
    tag = TagFactory(name="粉尘防爆")
    for index in range(40):
        inspector = InspectorFactory(tags=[tag] if index % 2 else [])
        if index % 5 == 0:
            add_period(inspector, S.ON_LEAVE, ON - DAY, ON + DAY)
    with django_assert_num_queries(1):
        result = list(selectors.eligible_inspectors(on=ON, tags=[tag]))
    assert len(result) == 16  # 20 tagged, 4 of them (5, 15, 25, 35) on leave


def test_status_on_and_the_bulk_helper_agree():
    a, b, c = InspectorFactory(), InspectorFactory(), InspectorFactory(on_duty_from=False)
    add_period(b, S.TRAINING, ON, ON + DAY)
    assert selectors.status_on(a, ON) == S.ON_DUTY
    assert selectors.status_on(b, ON) == S.TRAINING
    assert selectors.status_on(c, ON) is None
    assert selectors.statuses_on([a, b, c], ON) == {
        a.pk: S.ON_DUTY,
        b.pk: S.TRAINING,
        c.pk: None,
    }


def test_card_flag_marks_expired_and_expiring_within_30_days():
    today = dt.date(2025, 1, 1)
    assert selectors.card_flag(InspectorFactory(card_valid_to=today - DAY), today) == "expired"
    assert selectors.card_flag(InspectorFactory(card_valid_to=today), today) == "expiring"
    assert selectors.card_flag(InspectorFactory(card_valid_to=today + 30 * DAY), today) == (
        "expiring"
    )
    assert selectors.card_flag(InspectorFactory(card_valid_to=today + 31 * DAY), today) == ""


def test_the_expiring_count_leaves_out_officers_who_have_left():
    today = dt.date(2025, 1, 1)
    InspectorFactory(card_valid_to=today + 5 * DAY)
    InspectorFactory(card_valid_to=today - 5 * DAY)
    gone = InspectorFactory(card_valid_to=today + 5 * DAY)
    add_period(gone, S.RETIRED, today - 10 * DAY)
    InspectorFactory(card_valid_to=today + 40 * DAY)
    assert selectors.expiring_cards_count(today) == 2


def test_the_roster_list_searches_and_filters():
    chem = TagFactory(kind=Tag.Kind.FIELD, name="危险化学品")
    zhang = InspectorFactory(name="张伟", cert_no="1301002000111", tags=[chem])
    li = InspectorFactory(name="李娜", cert_no="1301002000222")
    add_period(li, S.ON_LEAVE, dt.date(2024, 1, 1), dt.date(2999, 1, 1))
    assert list(selectors.inspector_list(q="张")) == [zhang]
    assert list(selectors.inspector_list(q="0222")) == [li]
    assert list(selectors.inspector_list(tag=chem)) == [zhang]
    assert list(selectors.inspector_list(status=S.ON_LEAVE)) == [li]
    assert set(selectors.inspector_list(status=selectors.SERVING)) == {zhang, li}

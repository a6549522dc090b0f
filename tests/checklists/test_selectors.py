import datetime as dt

import pytest
from django.http import Http404

from checklists import selectors
from checklists.models import CheckItem
from tests.checklists.factories import (
    SupervisionSectorFactory,
    bureau_section,
    make_item,
    make_request,
)

DAY = dt.date(2025, 3, 1)


def test_active_items_run_from_the_effective_date_to_the_day_before_retirement(db):
    item = make_item(effective_from=DAY, retired_from=DAY + dt.timedelta(days=10))
    active_on = lambda day: item in selectors.active_items(on=day)  # noqa: E731
    assert not active_on(DAY - dt.timedelta(days=1))
    assert active_on(DAY)
    assert active_on(DAY + dt.timedelta(days=9))
    assert not active_on(DAY + dt.timedelta(days=10))


def test_the_staff_list_hides_retired_items_unless_asked(db):
    today = selectors.today()
    current = make_item(name="现行事项")
    retired = make_item(name="停用事项", retired_from=today)
    future = make_item(name="将生效事项", effective_from=today + dt.timedelta(days=5))
    assert set(selectors.item_list()) == {current, future}
    assert set(selectors.item_list(status="retired")) == {retired}
    assert set(selectors.item_list(status="pending")) == {future}
    assert set(selectors.item_list(status="active")) == {current}
    assert set(selectors.item_list(status="all")) == {current, retired, future}


def test_the_staff_list_filters_by_text_section_category_and_sector(db):
    dust = SupervisionSectorFactory(name="粉尘涉爆")
    trade = bureau_section("工贸行业安全监督管理科")
    dust_item = make_item(
        name="粉尘防爆安全管理", responsible_section=trade, sectors=[dust], category="key"
    )
    everywhere = make_item(name="安全生产教育和培训", category="general")
    other = make_item(name="危险化学品储存", sectors=[SupervisionSectorFactory(name="烟花爆竹")])
    assert list(selectors.item_list(q="粉尘")) == [dust_item]
    assert set(selectors.item_list(q="危险化学品安全管理条例")) == {dust_item, everywhere, other}
    assert list(selectors.item_list(section=trade)) == [dust_item]
    assert list(selectors.item_list(category="general")) == [everywhere]
    # An item without sectors applies to every sector.
    assert set(selectors.item_list(sector=dust)) == {dust_item, everywhere}


def test_the_public_list_shows_only_items_in_force(db):
    today = selectors.today()
    shown = make_item(name="公示中")
    make_item(name="今日停用", retired_from=today)
    tomorrow = make_item(name="明日停用", retired_from=today + dt.timedelta(days=1))
    make_item(name="明日生效", effective_from=today + dt.timedelta(days=1))
    assert set(selectors.public_items()) == {shown, tomorrow}


def test_a_public_item_outside_its_dates_is_not_found(db):
    item = make_item(retired_from=selectors.today())
    with pytest.raises(Http404):
        selectors.public_item(item.pk)


def test_a_chief_sees_only_their_sections_requests(db, chief, other_chief, section4, leader):
    mine = make_request(chief, name="本科室申请")
    theirs = make_request(other_chief, name="工贸科申请")
    assert list(selectors.visible_requests(chief)) == [mine]
    assert list(selectors.visible_requests(other_chief)) == [theirs]
    assert set(selectors.visible_requests(section4)) == {mine, theirs}
    assert set(selectors.visible_requests(leader)) == {mine, theirs}
    with pytest.raises(Http404):
        selectors.request_for_user(chief, theirs.pk)


def test_active_items_is_a_queryset_later_issues_can_filter(db):
    make_item(code="Q-1")
    assert selectors.active_items().filter(code="Q-1").exists()
    assert isinstance(selectors.active_items().first(), CheckItem)

"""清单之外无检查: only items active on the day may be put into a campaign or a record."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from checklists.rules import require_active_items
from tests.checklists.factories import make_item

DAY = dt.date(2025, 3, 1)


@pytest.fixture
def items(db):
    return {
        "active": make_item(code="A-1", name="特殊作业安全管理"),
        "retired": make_item(code="R-1", name="旧版安全评价", retired_from=DAY),
        "pending": make_item(code="P-1", name="智能化管控平台", effective_from=dt.date(2025, 6, 1)),
    }


def test_it_returns_active_items_in_the_order_given(items):
    result = require_active_items(["A-1"], DAY)
    assert result == [items["active"]]


def test_it_accepts_items_codes_and_ids_mixed_and_drops_duplicates(items):
    active = items["active"]
    result = require_active_items([active, "A-1", active.pk], on=DAY)
    assert result == [active]


def test_it_names_a_retired_item_with_its_retirement_date(items):
    with pytest.raises(ValidationError) as error:
        require_active_items([items["retired"]], on=DAY)
    assert error.value.messages == ["抽查事项「旧版安全评价」已于2025-03-01停用，不能列入抽查任务"]


def test_an_item_retired_tomorrow_is_still_allowed_today(items):
    assert require_active_items(["R-1"], on=DAY - dt.timedelta(days=1)) == [items["retired"]]


def test_it_names_an_unknown_code(items):
    with pytest.raises(ValidationError) as error:
        require_active_items(["A-1", "NO-SUCH"], on=DAY)
    assert error.value.messages == ["抽查事项编码「NO-SUCH」不在抽查事项清单中"]


def test_it_names_an_unknown_id(items):
    with pytest.raises(ValidationError) as error:
        require_active_items([999999], on=DAY)
    assert "不在抽查事项清单中" in error.value.messages[0]


def test_it_refuses_an_item_not_yet_in_force(items):
    with pytest.raises(ValidationError) as error:
        require_active_items(["P-1"], on=DAY)
    message = error.value.messages[0]
    assert "智能化管控平台" in message and "2025-06-01" in message and "尚未生效" in message
    assert require_active_items(["P-1"], on=dt.date(2025, 6, 1)) == [items["pending"]]


def test_it_reports_every_bad_item_at_once(items):
    with pytest.raises(ValidationError) as error:
        require_active_items(["R-1", "A-1", "X-9", "P-1"], on=DAY)
    assert len(error.value.messages) == 3


def test_a_stale_instance_cannot_slip_a_retired_item_through(items):
    stale = items["active"]
    # Retired in the database after the caller loaded it.
    type(stale).objects.filter(pk=stale.pk).update(retired_from=DAY)
    with pytest.raises(ValidationError):
        require_active_items([stale], on=DAY)


def test_the_purpose_finishes_the_message(items):
    with pytest.raises(ValidationError) as error:
        require_active_items(["R-1"], on=DAY, purpose="检查记录")
    assert error.value.messages[0].endswith("不能列入检查记录")


def test_an_empty_selection_is_refused(db):
    with pytest.raises(ValidationError) as error:
        require_active_items([], on=DAY)
    assert "至少选择一项" in error.value.messages[0]

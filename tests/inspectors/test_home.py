"""Section 4's home page: expiring cards and open reconciliation lines."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.inspectors.factories import InspectorFactory, add_period

pytestmark = pytest.mark.django_db


def test_section4_sees_expiring_cards_with_a_link_to_the_same_list(section4, client_for):
    today = timezone.localdate()
    InspectorFactory(name="将到期", card_valid_to=today + dt.timedelta(days=3))
    InspectorFactory(name="已过期", card_valid_to=today - dt.timedelta(days=3))
    gone = InspectorFactory(name="已退休", card_valid_to=today)
    add_period(gone, "retired", today - dt.timedelta(days=1))
    InspectorFactory(name="有效")
    client = client_for(section4)
    html = client.get("/").content.decode()
    assert "执法证 30 天内到期或已过期的在职人员" in html
    link = "/roster/?expiring=on&amp;status=serving"
    assert link in html
    assert 'text-bg-danger">2</span>' in html
    listing = client.get(link.replace("&amp;", "&")).content.decode()
    assert "将到期" in listing and "已过期" in listing
    assert "已退休" not in listing and ">有效<" not in listing
    assert "共 2 条" in listing


def test_other_roles_do_not_get_the_roster_steps(chief, client_for):
    html = client_for(chief).get("/").content.decode()
    assert "执法证 30 天内到期" not in html


def test_the_roster_menu_follows_the_rights(section4, inspector_user, leader):
    from shijiazhuang_sr.core.navigation import navigation_for

    def roster_menu(user):
        # The group is shared with the enterprise register: only the roster's own entries.
        groups = {group["label"]: group["items"] for group in navigation_for(user)}
        items = groups.get("名录库", [])
        return [item["label"] for item in items if item["url_name"].startswith("inspectors:")]

    assert roster_menu(section4) == [
        "执法人员名录库",
        "部门与科室",
        "人员标签",
        "核对（应纳尽纳）",
        "导入",
    ]
    assert roster_menu(leader) == ["执法人员名录库", "部门与科室", "人员标签", "核对（应纳尽纳）"]
    assert roster_menu(inspector_user) == ["执法人员名录库", "部门与科室", "人员标签"]


def test_the_daily_task_refreshes_the_stored_status(db):
    from inspectors.tasks import refresh_current_statuses
    from shijiazhuang_sr.audit.models import AuditEntry

    today = timezone.localdate()
    inspector = InspectorFactory()
    add_period(inspector, "training", today, today)
    assert refresh_current_statuses.delay().get() == 1
    inspector.refresh_from_db()
    assert inspector.status == "training"
    assert AuditEntry.objects.get(event="inspectors.inspector.status_refreshed").channel == "task"

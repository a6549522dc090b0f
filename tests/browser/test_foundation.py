"""First journeys: every role signs in and sees its own navigation; five wrong passwords lock."""

import pytest
from playwright.sync_api import expect

from shijiazhuang_sr.audit.models import AuditEntry
from tests.conftest import make_persona
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

# What each role must see in its menu, and what it must not.
EXPECTED_NAV = {
    "sysadmin": (["用户管理"], ["审计日志"]),
    "auditor": (["审计日志"], ["用户管理"]),
    "section4": ([], ["用户管理", "审计日志"]),
    "chief": ([], ["用户管理", "审计日志"]),
    "inspector": ([], ["用户管理", "审计日志"]),
    "leader": ([], ["用户管理", "审计日志"]),
}


@pytest.mark.parametrize("persona", list(EXPECTED_NAV))
def test_each_role_signs_in_and_sees_its_navigation(persona, page, live_server, login, shot):
    user = make_persona(persona)
    login(page, user.username, PASSWORD)
    expect(page.get_by_role("heading", name=f"您好，{user.full_name}")).to_be_visible()
    nav = page.get_by_test_id("main-nav")
    shown, hidden = EXPECTED_NAV[persona]
    for label in shown:
        entry = page.locator("a.dropdown-item", has_text=label)
        # Open the entry's menu group; then the entry must be there for the user to click.
        nav.locator("li.dropdown", has=entry).locator("a.dropdown-toggle").click()
        expect(nav.locator("a.dropdown-item", has_text=label)).to_be_visible()
    for label in hidden:
        expect(nav.locator("a.dropdown-item", has_text=label)).to_have_count(0)
    shot(page, f"home-{persona}")


def test_the_shell_fits_a_phone(page, live_server, login, shot):
    page.set_viewport_size({"width": 375, "height": 812})
    user = make_persona("sysadmin")
    login(page, user.username, PASSWORD)
    page.get_by_label("展开导航").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    shot(page, "home-phone")


def test_five_wrong_passwords_lock_the_account(page, live_server, login, shot):
    user = make_persona("chief")
    for _ in range(5):
        login(page, user.username, "Wrong#pass1")
    expect(page.get_by_test_id("locked")).to_be_visible()
    shot(page, "locked")
    login(page, user.username, PASSWORD)
    expect(page.get_by_test_id("locked")).to_be_visible()
    assert AuditEntry.objects.filter(event="accounts.locked_out", data__username=user.username)

"""The accounts `make run` prints: each signs in with the printed password and sees its role."""

import pytest
from django.core.management import call_command

from shijiazhuang_sr.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

# A menu entry each role must see (Chinese), and one it must not.
SEES = {
    "admin": ("用户管理", "审计日志"),
    "auditor": ("审计日志", "用户管理"),
    "section4": ("执法人员名录库", "用户管理"),
    "chief": ("抽查事项清单", "审计日志"),
    "inspector": ("抽查事项清单", "用户管理"),
    "leader": ("检查对象名录库", "审计日志"),
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", enterprises=60, inspectors=40, stdout=None)


@pytest.mark.parametrize(("username", "full_name", "role", "section"), DEMO_ACCOUNTS)
def test_each_printed_demo_account_signs_in_and_sees_its_role(
    demo, client, username, full_name, role, section
):
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"{username} could not sign in"
    page = client.get("/").content.decode()
    assert f'data-role-panel="{role}"' in page
    assert f"您好，{full_name}" in page
    shown, hidden = SEES[username]
    assert f">{shown}</a>" in page
    assert f">{hidden}</a>" not in page


def test_seeding_twice_adds_nothing(demo):
    from campaigns.models import Enterprise
    from inspectors.models import Inspector
    from shijiazhuang_sr.accounts.models import User

    counts = (Enterprise.objects.count(), Inspector.objects.count(), User.objects.count())
    call_command("seed_demo", enterprises=60, inspectors=40, stdout=None)
    assert (Enterprise.objects.count(), Inspector.objects.count(), User.objects.count()) == counts

import pytest
from django.test import Client, override_settings
from django.urls import path

from shijiazhuang_sr.core.models import Notification
from shijiazhuang_sr.core.notifications import notify


@pytest.mark.parametrize(
    ("persona", "panel", "purpose"),
    [
        ("sysadmin", "系统管理员", "管理用户账号"),
        ("auditor", "安全审计员", "审计日志"),
        ("section4", "综合执法四科", "执法人员名录库"),
        ("chief", "科室负责人", "抽查任务"),
        ("inspector", "执法人员", "检查任务"),
        ("leader", "局领导", "审批"),
    ],
)
def test_each_role_gets_its_own_home_panel(db, persona, panel, purpose, client_for):
    from tests.conftest import make_persona

    page = client_for(make_persona(persona)).get("/").content.decode()
    assert f'data-role-panel="{panel}"' in page
    assert purpose in page


def test_the_admin_home_counts_locked_accounts(db, sysadmin, client_for, client):
    from tests.factories import UserFactory

    UserFactory(username="locked")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "locked", "password": "Wrong#pass1"})
    page = client_for(sysadmin).get("/").content.decode()
    assert "查看被锁定的账号" in page
    assert 'text-bg-danger">1<' in page


def test_a_user_without_a_role_is_told_to_ask_for_one(db, client_for):
    from tests.factories import UserFactory

    page = client_for(UserFactory(username="norole")).get("/").content.decode()
    assert "尚未分配角色" in page


def test_the_404_page_is_in_chinese(db, client_for, chief):
    response = client_for(chief).get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_the_403_page_is_in_chinese(db, client_for, chief):
    response = client_for(chief).get("/audit/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def _boom(request):
    raise RuntimeError("boom")


# A URLconf for the 500 test: one failing view, and the project's own 500 handler.
urlpatterns = [path("boom/", _boom)]
handler500 = "shijiazhuang_sr.core.errors.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_is_in_chinese(db):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "系统出现错误" in response.content.decode()


def test_an_expired_form_token_gets_a_chinese_explanation(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_notifications_show_in_the_bar_and_are_marked_read(db, chief, client_for):
    notify([chief], "您的申请已批准", url="/", body="抽查事项已加入清单。")
    client = client_for(chief)
    page = client.get("/").content.decode()
    assert 'text-bg-warning">1<' in page
    notification = Notification.objects.get(user=chief)
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_notifications_are_emailed_after_commit(
    db, chief, mailoutbox, django_capture_on_commit_callbacks
):
    chief.email = "chief@example.gov.cn"
    chief.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([chief], "整改期限将至")
    assert len(mailoutbox) == 1
    assert "整改期限将至" in mailoutbox[0].subject


def test_a_user_cannot_read_someone_elses_notification(db, chief, other_chief, client_for):
    notification = notify([other_chief], "别人的通知")[0]
    response = client_for(chief).post(f"/notifications/{notification.pk}/read/")
    assert response.status_code == 404

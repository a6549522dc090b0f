from django.urls import reverse

from shijiazhuang_sr.audit.models import AuditEntry
from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"


def _attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_it_logs_in_and_audits_it(db, client):
    user = UserFactory(username="wang")
    response = _attempt(client, "wang", PASSWORD)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(event="accounts.login")
    assert entry.actor == user
    assert entry.ip == "127.0.0.1"


def test_it_audits_a_failed_login_without_the_password(db, client):
    UserFactory(username="wang")
    response = _attempt(client, "wang", "Wrong#pass1")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    entry = AuditEntry.objects.get(event="accounts.login_failed")
    assert entry.data == {"username": "wang"}
    assert "Wrong#pass1" not in str(entry.data) + str(entry.changes)


def test_it_locks_the_account_after_five_failures_and_audits_the_lockout(db, client):
    UserFactory(username="wang")
    for _ in range(5):
        _attempt(client, "wang", "Wrong#pass1")
    # Even the right password is refused while the account is locked.
    response = _attempt(client, "wang", PASSWORD)
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert AuditEntry.objects.filter(event="accounts.locked_out").exists()
    assert AuditEntry.objects.filter(event="accounts.login_failed").count() >= 5
    assert not AuditEntry.objects.filter(event="accounts.login").exists()


def test_four_failures_do_not_lock(db, client):
    UserFactory(username="wang")
    for _ in range(4):
        _attempt(client, "wang", "Wrong#pass1")
    assert _attempt(client, "wang", PASSWORD).status_code == 302


def test_the_lockout_ends_after_fifteen_minutes(db, client, settings):
    import datetime as dt

    from axes.models import AccessAttempt

    UserFactory(username="wang")
    for _ in range(5):
        _attempt(client, "wang", "Wrong#pass1")
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    # Age the attempts past the cool-off instead of sleeping.
    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert _attempt(client, "wang", PASSWORD).status_code == 302


def test_it_logs_out_only_by_post_and_audits_it(db, client):
    UserFactory(username="wang")
    _attempt(client, "wang", PASSWORD)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert AuditEntry.objects.filter(event="accounts.logout").exists()


def test_sessions_expire_after_thirty_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_an_anonymous_visitor_is_sent_to_login(db, client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)

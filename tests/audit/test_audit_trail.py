import datetime as dt
import io

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone
from openpyxl import load_workbook

from shijiazhuang_sr.audit.models import AppendOnlyError, AuditEntry
from shijiazhuang_sr.audit.services import audit_record
from tests.factories import UserFactory


@pytest.fixture
def entry(db):
    return audit_record(action=AuditEntry.Action.OTHER, event="test.something")


def test_an_entry_cannot_be_changed_through_the_model(entry):
    entry.event = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_an_entry_cannot_be_changed_through_a_queryset(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(event="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_to_update_an_entry(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET event = 'tampered' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.event == "test.something"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE is refused on PostgreSQL")
def test_postgresql_refuses_to_delete_an_entry(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_ui_change_appears_with_old_and_new_values_for_the_auditor(
    db, sysadmin, auditor, client_for
):
    target = UserFactory(username="target", full_name="张三", roles=["执法人员"])
    client_for(sysadmin).post(
        f"/accounts/users/{target.pk}/",
        {"full_name": "张三丰", "roles": ["执法人员"], "is_active": "on"},
    )
    page = client_for(auditor).get("/audit/?q=张三").content.decode()
    assert "张三丰" in page
    assert '<del class="text-danger">张三</del>' in page
    entry = AuditEntry.objects.get(event="accounts.user.changed")
    assert entry.changes["full_name"] == ["张三", "张三丰"]
    assert entry.ip == "127.0.0.1" and entry.channel == "web"


def test_the_auditor_filters_by_user_object_type_and_dates(db, auditor, sysadmin, client_for):
    other = UserFactory(username="other")
    audit_record(action=AuditEntry.Action.OTHER, by=sysadmin, event="x.by_admin", obj=other)
    old = audit_record(action=AuditEntry.Action.OTHER, by=other, event="x.old")
    AuditEntry.objects.filter(pk=old.pk)  # entries are immutable; age it through SQL below
    with connection.cursor() as cursor:
        # Test-only back-dating; the trigger forbids UPDATE, so insert a back-dated copy.
        cursor.execute(
            "INSERT INTO audit_auditentry (at, actor_label, channel, action, event, object_id,"
            " object_repr, changes, data) VALUES (%s, 'old', '', 'other', 'x.last_year', '', '',"
            " '{}', '{}')",
            [timezone.now() - dt.timedelta(days=400)],
        )
    client = client_for(auditor)
    by_user = client.get(f"/audit/?actor={sysadmin.pk}").content.decode()
    assert "x.by_admin" in by_user and "x.old" not in by_user
    from django.contrib.contenttypes.models import ContentType

    user_type = ContentType.objects.get(app_label="accounts", model="user")
    by_type = client.get(f"/audit/?content_type={user_type.pk}").content.decode()
    assert "x.by_admin" in by_type and "x.old" not in by_type
    today = timezone.localdate()
    recent = client.get(f"/audit/?date_from={today - dt.timedelta(days=30)}").content.decode()
    assert "x.old" in recent and "x.last_year" not in recent


def test_the_auditor_rejects_a_date_range_that_ends_before_it_starts(db, auditor, client_for):
    page = client_for(auditor).get("/audit/?date_from=2025-05-02&date_to=2025-05-01")
    assert "截止日期不能早于起始日期" in page.content.decode()


def test_the_auditor_exports_the_filtered_log_and_the_export_is_audited(db, auditor, client_for):
    audit_record(
        action=AuditEntry.Action.OTHER, event="x.exported", object_repr="=cmd|' /C calc'!A0"
    )
    response = client_for(auditor).get("/audit/export/?q=x.exported")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "时间"
    assert any(row[5] == "x.exported" for row in rows[1:])
    # A value that starts like a formula is neutralised.
    assert any(str(row[8]).startswith("'=") for row in rows[1:])
    assert AuditEntry.objects.filter(event="audit.exported", actor=auditor).exists()


def test_admin_changes_are_audited_and_entries_are_read_only_there(db, client):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    target = UserFactory(username="target", full_name="旧名字")
    client.force_login(superuser)
    response = client.post(
        f"/admin/accounts/user/{target.pk}/change/",
        {
            "username": "target",
            "full_name": "新名字",
            "email": "",
            "phone": "",
            "is_active": "on",
            "must_change_password": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(event="accounts.user.admin_changed")
    assert entry.changes["full_name"] == ["旧名字", "新名字"]
    assert entry.channel == "admin"
    listing = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert b'name="_save"' not in listing.content
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403

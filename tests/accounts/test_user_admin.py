from django.contrib.auth.models import Group

from shijiazhuang_sr.accounts.models import User
from shijiazhuang_sr.audit.models import AuditEntry
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "Ka9#mmPq2"


def test_it_creates_an_account_that_must_change_its_password(db, sysadmin, client_for):
    client = client_for(sysadmin)
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "zhaoliu",
            "full_name": "赵六",
            "department": sysadmin.department_id,
            "section": sysadmin.section_id,
            "roles": ["执法人员"],
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="zhaoliu")
    assert user.must_change_password
    assert user.has_role("执法人员")
    entry = AuditEntry.objects.get(event="accounts.user.created")
    assert entry.actor == sysadmin
    assert entry.changes["full_name"] == [None, "赵六"]
    assert "password" not in entry.changes or entry.changes["password"][1] == "******"


def test_it_keeps_what_was_typed_when_the_password_is_weak(db, sysadmin, client_for):
    client = client_for(sysadmin)
    response = client.post(
        "/accounts/users/new/",
        {"username": "zhaoliu", "full_name": "赵六", "password1": "abc", "password2": "abc"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "zhaoliu" in page and "赵六" in page
    assert "至少" in page
    assert not User.objects.filter(username="zhaoliu").exists()


def test_a_new_account_is_sent_to_change_its_password_first(db, client):
    user = UserFactory(username="newbie")
    user.must_change_password = True
    user.save()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/"
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(event="accounts.user.password_changed").exists()


def test_editing_an_account_records_old_and_new_values(db, sysadmin, client_for):
    target = UserFactory(username="target", full_name="旧名字", roles=["执法人员"])
    client = client_for(sysadmin)
    response = client.post(
        f"/accounts/users/{target.pk}/",
        {
            "full_name": "新名字",
            "department": target.department_id,
            "section": target.section_id,
            "roles": ["执法人员", "局领导"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(event="accounts.user.changed")
    assert entry.changes["full_name"] == ["旧名字", "新名字"]
    assert entry.changes["groups"] == [["执法人员"], sorted(["执法人员", "局领导"])]


def test_an_admin_cannot_deactivate_themselves(db, sysadmin, client_for):
    client = client_for(sysadmin)
    response = client.post(
        f"/accounts/users/{sysadmin.pk}/",
        {"full_name": "x", "roles": ["系统管理员"]},
    )
    assert response.status_code == 200
    assert "不能停用自己的账号" in response.content.decode()
    sysadmin.refresh_from_db()
    assert sysadmin.is_active


def test_it_unlocks_a_locked_account(db, sysadmin, client_for, client):
    UserFactory(username="locked")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "locked", "password": "Wrong#pass1"})
    admin = client_for(sysadmin)
    listing = admin.get("/accounts/users/?locked=on").content.decode()
    assert "locked" in listing and "已锁定" in listing
    locked = User.objects.get(username="locked")
    assert admin.post(f"/accounts/users/{locked.pk}/unlock/").status_code == 302
    assert AuditEntry.objects.filter(event="accounts.user.unlocked").exists()
    response = client.post("/accounts/login/", {"username": "locked", "password": PASSWORD})
    assert response.status_code == 302


def test_the_user_list_has_a_bounded_number_of_queries(
    db, sysadmin, client_for, django_assert_max_num_queries
):
    for index in range(30):
        UserFactory(username=f"bulk{index}", roles=["执法人员"])
    client = client_for(sysadmin)
    with django_assert_max_num_queries(15):
        response = client.get("/accounts/users/")
    assert response.status_code == 200


def test_roles_exist_with_their_rights(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"系统管理员", "安全审计员", "综合执法四科", "科室负责人", "执法人员", "局领导"} <= names
    auditor = Group.objects.get(name="安全审计员")
    assert set(auditor.permissions.values_list("codename", flat=True)) == {
        "view_auditentry",
        "export_auditentry",
    }
    admin = Group.objects.get(name="系统管理员")
    assert not admin.permissions.filter(content_type__app_label="audit").exists()

"""Personas and helpers for every test.

Personas (one per role, plus a section chief and an inspector of another section) are users
created by factories; `client_for(persona)` gives a logged-in test client.
"""

import os

import pytest
from django.test import Client

from shijiazhuang_sr.accounts.roles import Role
from tests.factories import DepartmentFactory, SectionFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PERSONA_ROLES = {
    "sysadmin": Role.SYSTEM_ADMIN,
    "auditor": Role.AUDITOR,
    "section4": Role.SECTION4,
    "chief": Role.SECTION_CHIEF,
    "inspector": Role.INSPECTOR,
    "leader": Role.LEADER,
}
SECTION_OF = {
    "sysadmin": ("办公室", "other"),
    "auditor": ("政策法规科", "other"),
    "section4": ("综合执法四科", "enforcement"),
    "chief": ("危险化学品安全监督管理科", "supervision"),
    "inspector": ("危险化学品安全监督管理科", "supervision"),
    "leader": ("办公室", "other"),
    "other_chief": ("工贸行业安全监督管理科", "supervision"),
    "other_inspector": ("工贸行业安全监督管理科", "supervision"),
}
PERSONA_ROLES_EXTRA = {"other_chief": Role.SECTION_CHIEF, "other_inspector": Role.INSPECTOR}
ALL_PERSONAS = {**PERSONA_ROLES, **PERSONA_ROLES_EXTRA}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Make the post-migration snapshot visible to every connection object.

    Browser tests restore the data migrations' rows (roles above all) from the snapshot Django
    stores on the connection that created the test database. Playwright's sync API runs an
    event loop in this thread, and Django then hands out a different connection object, one
    without the snapshot; storing it on the class makes every connection object see it.
    """
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        snapshot = getattr(connection, "_test_serialized_contents", None)
        if snapshot is not None:
            type(connection)._test_serialized_contents = snapshot
    return django_db_setup


@pytest.fixture(autouse=True)
def _eager_tasks():
    # Tasks run in-process in tests, even when REDIS_URL is set for the real-worker test,
    # which switches this off for itself.
    from shijiazhuang_sr.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    # Uploads (import files, attachments) must not land in the project's media folder.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s per user; tests create many users and prove nothing by it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_persona(name: str):
    bureau = DepartmentFactory(name="石家庄市应急管理局")
    section_name, kind = SECTION_OF[name]
    section = SectionFactory(department=bureau, name=section_name, kind=kind)
    return UserFactory(
        username=name, department=bureau, section=section, roles=[ALL_PERSONAS[name]]
    )


@pytest.fixture
def persona(db):
    """`persona("chief")` returns that persona's user, creating it on first use."""
    return make_persona


@pytest.fixture
def client_for(db):
    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def sysadmin(db):
    return make_persona("sysadmin")


@pytest.fixture
def auditor(db):
    return make_persona("auditor")


@pytest.fixture
def section4(db):
    return make_persona("section4")


@pytest.fixture
def chief(db):
    return make_persona("chief")


@pytest.fixture
def inspector_user(db):
    return make_persona("inspector")


@pytest.fixture
def leader(db):
    return make_persona("leader")


@pytest.fixture
def other_chief(db):
    """A section chief of another section (工贸科)."""
    return make_persona("other_chief")

"""Roster services: each change validated, saved and audited with old → new values."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from inspectors import selectors, services
from inspectors.models import Inspector, InspectorStatusPeriod, Section, Tag
from shijiazhuang_sr.accounts.roles import Role
from shijiazhuang_sr.audit.models import AuditEntry
from tests.factories import DepartmentFactory, SectionFactory, UserFactory
from tests.inspectors.factories import InspectorFactory, TagFactory, add_period

S = Inspector.Status
DAY = dt.timedelta(days=1)

pytestmark = pytest.mark.django_db


def entry(event: str) -> AuditEntry:
    return AuditEntry.objects.get(event=event)


def test_it_creates_and_renames_a_department_with_audit(section4):
    department = services.department_create(
        by=section4, name="石家庄市住房和城乡建设局", short_name="市住建局"
    )
    assert entry("inspectors.department.created").changes["name"] == [None, department.name]
    services.department_update(by=section4, department=department, short_name="住建局")
    changed = entry("inspectors.department.changed")
    assert changed.actor == section4
    assert changed.changes == {"short_name": ["市住建局", "住建局"]}


def test_it_refuses_a_duplicate_section_name_in_one_department(section4):
    department = DepartmentFactory(name="石家庄市应急管理局")
    services.section_create(by=section4, department=department, name="危化科", kind="supervision")
    with pytest.raises(ValidationError):
        services.section_create(by=section4, department=department, name="危化科", kind="other")
    section = Section.objects.get(name="危化科")
    services.section_update(by=section4, section=section, is_active=False)
    assert entry("inspectors.section.changed").changes == {"is_active": [True, False]}


def test_it_creates_and_retires_a_tag_with_audit(section4):
    tag = services.tag_create(by=section4, kind=Tag.Kind.EXPERTISE, name="涉氨制冷")
    assert entry("inspectors.tag.created").changes["kind"] == [None, "执法专长"]
    services.tag_update(by=section4, tag=tag, is_active=False)
    assert entry("inspectors.tag.changed").changes == {"is_active": [True, False]}


def _fields(**overrides):
    department = DepartmentFactory(name="石家庄市应急管理局")
    section = SectionFactory(department=department, name="危险化学品安全监督管理科")
    return {
        "name": "王建国",
        "cert_no": " １３０１００２０２４００１ ",
        "card_type": Inspector.CardType.HEBEI_ENFORCEMENT,
        "issuing_authority": "石家庄市人民政府",
        "card_valid_from": dt.date(2024, 1, 1),
        "card_valid_to": dt.date(2029, 1, 1),
        "department": department,
        "section": section,
        "category": Inspector.Category.SUPERVISION,
        "phone": "13800000000",
        "justice_record_id": "SJZ-1",
        "user": None,
    } | overrides


def test_a_new_inspector_is_on_duty_from_the_card_start_and_audited(section4):
    tag = TagFactory(kind=Tag.Kind.FIELD, name="危险化学品")
    inspector = services.inspector_create(by=section4, tags=[tag], **_fields())
    assert inspector.cert_no == "1301002024001"  # full-width digits and spaces normalised
    period = inspector.status_periods.get()
    assert (period.status, period.starts_on, period.ends_on) == (
        S.ON_DUTY,
        dt.date(2024, 1, 1),
        None,
    )
    assert period.created_by == section4
    created = entry("inspectors.inspector.created")
    assert created.changes["name"] == [None, "王建国"]
    assert created.changes["tags"] == [None, ["危险化学品"]]
    assert created.changes["status"] == [None, "在岗"]


def test_a_card_valid_from_a_future_date_makes_the_officer_on_duty_from_today(section4):
    start = timezone.localdate() + 20 * DAY
    inspector = services.inspector_create(
        by=section4, **_fields(card_valid_from=start, card_valid_to=start + 999 * DAY)
    )
    assert inspector.status_periods.get().starts_on == timezone.localdate()


def test_it_refuses_a_section_of_another_department(section4):
    other = SectionFactory(department=DepartmentFactory(name="石家庄市消防救援支队"), name="防火处")
    with pytest.raises(ValidationError) as error:
        services.inspector_create(by=section4, **_fields(section=other))
    assert "所选科室不属于所选部门" in str(error.value)
    assert not Inspector.objects.exists()


def test_it_refuses_a_duplicate_card_number(section4):
    InspectorFactory(cert_no="1301002024001")
    with pytest.raises(ValidationError):
        services.inspector_create(by=section4, **_fields())


def test_it_links_only_an_inspector_role_account(section4):
    clerk = UserFactory(username="clerk", roles=[Role.SECTION_CHIEF])
    with pytest.raises(ValidationError) as error:
        services.inspector_create(by=section4, **_fields(user=clerk))
    assert "执法人员" in str(error.value)
    officer = UserFactory(username="officer", roles=[Role.INSPECTOR])
    inspector = InspectorFactory()
    services.inspector_update(by=section4, inspector=inspector, user=officer)
    assert Inspector.objects.get(pk=inspector.pk).user == officer
    assert entry("inspectors.inspector.changed").changes["user"][1] == str(officer)


def test_an_update_records_old_and_new_values(section4):
    old_tag = TagFactory(name="电气安全")
    new_tag = TagFactory(name="粉尘防爆")
    inspector = InspectorFactory(name="赵六", tags=[old_tag], card_valid_to=dt.date(2026, 1, 1))
    services.inspector_update(
        by=section4,
        inspector=inspector,
        tags=[new_tag],
        name="赵六六",
        card_valid_to=dt.date(2031, 1, 1),
    )
    changes = entry("inspectors.inspector.changed").changes
    assert changes["name"] == ["赵六", "赵六六"]
    assert changes["card_valid_to"] == ["2026-01-01", "2031-01-01"]
    assert changes["tags"] == [["电气安全"], ["粉尘防爆"]]


def test_an_update_that_changes_nothing_writes_no_entry(section4):
    inspector = InspectorFactory(name="赵六")
    services.inspector_update(by=section4, inspector=inspector, name="赵六")
    assert not AuditEntry.objects.filter(event="inspectors.inspector.changed").exists()


def test_an_update_cannot_touch_the_status(section4):
    with pytest.raises(ValueError):
        services.inspector_update(by=section4, inspector=InspectorFactory(), status=S.RETIRED)


# --- status ---------------------------------------------------------------------------------


def change(inspector, by, status, starts_on, ends_on=None, reason="测试原因"):
    return services.inspector_change_status(
        by=by,
        inspector=inspector,
        status=status,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
    )


def test_a_leave_today_changes_the_current_status_and_is_audited(section4):
    today = timezone.localdate()
    inspector = InspectorFactory()
    period = change(inspector, section4, S.ON_LEAVE, today, today + 4 * DAY, "年休假")
    inspector.refresh_from_db()
    assert inspector.status == S.ON_LEAVE
    assert period.created_by == section4
    changed = entry("inspectors.inspector.status_changed")
    assert changed.changes["status"] == ["在岗", "休假"]
    assert "休假" in changed.changes["status_periods"][1]
    assert "年休假" in changed.changes["status_periods"][1]
    assert changed.object_id == str(inspector.pk)


def test_a_future_leave_keeps_the_current_status(section4):
    today = timezone.localdate()
    inspector = InspectorFactory()
    change(inspector, section4, S.TRAINING, today + 7 * DAY, today + 9 * DAY)
    inspector.refresh_from_db()
    assert inspector.status == S.ON_DUTY
    assert "status" not in entry("inspectors.inspector.status_changed").changes
    assert selectors.status_on(inspector, today + 8 * DAY) == S.TRAINING


@pytest.mark.parametrize(
    ("status", "ends_on", "field", "message"),
    [
        (S.ON_LEAVE, None, "ends_on", "休假、培训须填写截止日期"),
        (S.TRAINING, None, "ends_on", "休假、培训须填写截止日期"),
        (S.ON_LEAVE, dt.date(2025, 5, 1), "ends_on", "截止日期不能早于生效日期"),
        (S.RETIRED, dt.date(2025, 7, 1), "ends_on", "不填写截止日期"),
        (S.ON_DUTY, None, "status", "已是“在岗”状态"),
    ],
)
def test_it_refuses_contradictory_dates(section4, status, ends_on, field, message):
    inspector = InspectorFactory()
    with pytest.raises(ValidationError) as error:
        change(inspector, section4, status, dt.date(2025, 6, 1), ends_on)
    assert message in " ".join(error.value.message_dict[field])
    assert inspector.status_periods.count() == 1


def test_it_requires_a_reason(section4):
    with pytest.raises(ValidationError) as error:
        change(
            InspectorFactory(), section4, S.ON_LEAVE, dt.date(2025, 6, 1), dt.date(2025, 6, 2), " "
        )
    assert "reason" in error.value.message_dict


def test_it_refuses_a_leave_for_a_retired_inspector(section4):
    inspector = InspectorFactory()
    add_period(inspector, S.RETIRED, dt.date(2025, 1, 1))
    with pytest.raises(ValidationError) as error:
        change(inspector, section4, S.ON_LEAVE, dt.date(2025, 6, 1), dt.date(2025, 6, 3))
    assert "已于 2025-01-01 退休" in str(error.value)
    # A leave that ended before the retirement can still be recorded (back-filling history).
    change(inspector, section4, S.ON_LEAVE, dt.date(2024, 6, 1), dt.date(2024, 6, 3))


def test_after_a_transfer_only_a_return_is_accepted(section4):
    inspector = InspectorFactory()
    add_period(inspector, S.TRANSFERRED, dt.date(2025, 1, 1))
    with pytest.raises(ValidationError) as error:
        change(inspector, section4, S.TRAINING, dt.date(2025, 6, 1), dt.date(2025, 6, 3))
    assert "已调离" in str(error.value)
    change(inspector, section4, S.ON_DUTY, dt.date(2025, 6, 1))
    assert selectors.status_on(inspector, dt.date(2025, 6, 2)) == S.ON_DUTY


def test_it_refuses_overlapping_leave_and_training(section4):
    inspector = InspectorFactory()
    change(inspector, section4, S.ON_LEAVE, dt.date(2025, 6, 1), dt.date(2025, 6, 5))
    with pytest.raises(ValidationError) as error:
        change(inspector, section4, S.TRAINING, dt.date(2025, 6, 5), dt.date(2025, 6, 8))
    assert "重叠" in str(error.value)
    change(inspector, section4, S.TRAINING, dt.date(2025, 6, 6), dt.date(2025, 6, 8))


def test_it_refuses_a_retirement_before_periods_already_recorded_later(section4):
    inspector = InspectorFactory()
    change(inspector, section4, S.ON_LEAVE, dt.date(2025, 6, 10), dt.date(2025, 6, 12))
    with pytest.raises(ValidationError) as error:
        change(inspector, section4, S.RETIRED, dt.date(2025, 6, 1))
    assert "请先撤销" in str(error.value)


def test_a_return_from_secondment_ends_it(section4):
    inspector = InspectorFactory()
    change(inspector, section4, S.SECONDED, dt.date(2025, 1, 1))
    change(inspector, section4, S.ON_DUTY, dt.date(2025, 4, 1), reason="借调结束返岗")
    assert selectors.status_on(inspector, dt.date(2025, 3, 31)) == S.SECONDED
    assert selectors.status_on(inspector, dt.date(2025, 4, 1)) == S.ON_DUTY


def test_cancelling_a_period_keeps_it_in_the_history_and_is_audited(section4):
    today = timezone.localdate()
    inspector = InspectorFactory()
    leave = change(inspector, section4, S.ON_LEAVE, today, today + DAY)
    services.status_period_cancel(by=section4, period=leave, reason="录入错误")
    leave.refresh_from_db()
    inspector.refresh_from_db()
    assert leave.is_cancelled and leave.cancelled_by == section4
    assert inspector.status == S.ON_DUTY
    assert InspectorStatusPeriod.objects.filter(pk=leave.pk).exists()
    cancelled = entry("inspectors.inspector.status_cancelled")
    assert cancelled.changes["status"] == ["休假", "在岗"]
    assert cancelled.changes["status_periods"][1] == "已撤销，原因：录入错误"
    with pytest.raises(ValidationError):
        services.status_period_cancel(by=section4, period=leave, reason="再次")


def test_the_only_period_cannot_be_cancelled(section4):
    inspector = InspectorFactory()
    with pytest.raises(ValidationError) as error:
        services.status_period_cancel(
            by=section4, period=inspector.status_periods.get(), reason="误操作"
        )
    assert "唯一" in str(error.value)


def test_the_daily_refresh_follows_the_periods_and_audits(section4):
    today = timezone.localdate()
    starts_today = InspectorFactory()
    add_period(starts_today, S.ON_LEAVE, today, today + DAY)
    unchanged = InspectorFactory()
    assert services.inspectors_refresh_statuses(on=today) == 1
    assert Inspector.objects.get(pk=starts_today.pk).status == S.ON_LEAVE
    assert Inspector.objects.get(pk=unchanged.pk).status == S.ON_DUTY
    assert entry("inspectors.inspector.status_refreshed").changes == {"status": ["在岗", "休假"]}
    assert services.inspectors_refresh_statuses(on=today) == 0


# --- bulk tagging ---------------------------------------------------------------------------


def test_bulk_tagging_writes_one_entry_per_changed_inspector(section4):
    dust = TagFactory(name="粉尘防爆")
    space = TagFactory(name="有限空间")
    a = InspectorFactory(tags=[space])
    b = InspectorFactory(tags=[dust])  # already has it: unchanged
    c = InspectorFactory()
    changed = services.inspectors_tag(by=section4, inspectors=[a, b, c], add=[dust])
    assert changed == 2
    assert set(a.tags.all()) == {dust, space} and set(c.tags.all()) == {dust}
    entries = AuditEntry.objects.filter(event="inspectors.inspector.tagged")
    assert {e.object_id for e in entries} == {str(a.pk), str(c.pk)}
    assert entries.get(object_id=str(a.pk)).changes == {
        "tags": [["有限空间"], ["有限空间", "粉尘防爆"]]
    }
    assert all(e.actor == section4 for e in entries)


def test_bulk_tagging_removes_tags(section4):
    dust = TagFactory(name="粉尘防爆")
    a = InspectorFactory(tags=[dust])
    assert services.inspectors_tag(by=section4, inspectors=[a], remove=[dust]) == 1
    assert not a.tags.exists()
    assert entry("inspectors.inspector.tagged").changes == {"tags": [["粉尘防爆"], []]}


def test_bulk_tagging_needs_tags_and_inspectors(section4):
    dust = TagFactory(name="粉尘防爆")
    with pytest.raises(ValidationError):
        services.inspectors_tag(by=section4, inspectors=[InspectorFactory()])
    with pytest.raises(ValidationError):
        services.inspectors_tag(by=section4, inspectors=[], add=[dust])
    with pytest.raises(ValidationError):
        services.inspectors_tag(
            by=section4, inspectors=[InspectorFactory()], add=[dust], remove=[dust]
        )

"""Services of the register: each change is validated, saved whole and audited old → new."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns.models import CheckVisit, CreditGradeChange, Enterprise, Recusal
from campaigns.services import register as services
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.core.models import Notification
from tests.campaigns.factories import (
    CheckVisitFactory,
    EnterpriseFactory,
    RecusalFactory,
    SectorFactory,
    area,
    new_uscc,
)
from tests.factories import DepartmentFactory, SectionFactory
from tests.inspectors.factories import InspectorFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def entries(obj, event):
    return AuditEntry.objects.filter(event=event, object_id=str(obj.pk))


def _profile(**overrides):
    values = {"name": "石家庄恒达化工有限公司", "area": area("130104")}
    return values | overrides


# --- Enterprises --------------------------------------------------------------------------------


def test_it_registers_an_enterprise_with_a_normalised_code(section4):
    code = new_uscc("130104")
    sector = SectorFactory(name="危险化学品生产")
    section = SectionFactory(name="危险化学品安全监督管理科")
    enterprise = services.enterprise_create(
        by=section4,
        uscc=" " + code.lower()[:9] + " " + code[9:] + " ",
        sectors=[sector],
        sections=[section],
        **_profile(industry_code="2614", legal_representative=" 王  伟 "),
    )
    assert enterprise.uscc == code
    assert enterprise.industry_code == "C2614"
    assert enterprise.legal_representative == "王 伟"
    assert "'恒达'" in enterprise.name_grams
    assert list(enterprise.supervision_sectors.all()) == [sector]
    entry = entries(enterprise, "campaigns.enterprise.created").get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == section4
    assert entry.changes["uscc"] == [None, code]
    assert entry.changes["supervision_sectors"] == [None, ["危险化学品生产"]]
    assert entry.changes["area"] == [None, "桥西区"]


def test_it_gives_a_new_enterprise_its_first_grade_with_history(section4):
    enterprise = services.enterprise_create(
        by=section4,
        uscc=new_uscc(),
        grade="C",
        grade_date=dt.date(2025, 3, 1),
        grade_source="省平台 2025年3月",
        **_profile(),
    )
    assert (enterprise.credit_grade, enterprise.credit_grade_date) == ("C", dt.date(2025, 3, 1))
    change = CreditGradeChange.objects.get(enterprise=enterprise)
    assert (change.old_grade, change.new_grade, change.source) == ("", "C", "省平台 2025年3月")


def test_it_refuses_a_code_already_in_the_register(section4):
    existing = EnterpriseFactory(name="已有企业")
    with pytest.raises(ValidationError) as error:
        services.enterprise_create(by=section4, uscc=existing.uscc.lower(), **_profile())
    assert error.value.message_dict["uscc"] == ["名录库中已有该统一社会信用代码的企业：已有企业。"]
    assert Enterprise.objects.count() == 1


def test_it_refuses_an_invalid_code(section4):
    with pytest.raises(ValidationError) as error:
        services.enterprise_create(by=section4, uscc="91440300708461136A", **_profile())
    assert "第 18 位应为“T”" in error.value.message_dict["uscc"][0]
    assert not Enterprise.objects.exists()


def test_key_supervision_needs_a_reason(section4):
    with pytest.raises(ValidationError) as error:
        services.enterprise_create(
            by=section4, uscc=new_uscc(), **_profile(is_key_supervision=True)
        )
    assert "须填写重点监管原因" in error.value.message_dict["key_supervision_reason"][0]


def test_it_updates_a_profile_and_audits_old_and_new(section4):
    enterprise = EnterpriseFactory(name="石家庄恒达化工有限公司")
    updated = services.enterprise_update(
        by=section4,
        enterprise=enterprise,
        **_profile(name="石家庄恒达精细化工有限公司", status=Enterprise.Status.SUSPENDED),
    )
    assert updated.name == "石家庄恒达精细化工有限公司"
    assert "'精细'" in updated.name_grams
    entry = entries(enterprise, "campaigns.enterprise.changed").get()
    assert entry.changes["name"] == ["石家庄恒达化工有限公司", "石家庄恒达精细化工有限公司"]
    assert entry.changes["status"] == ["在业", "停业"]
    assert entry.changes["area"] == ["长安区", "桥西区"]


def test_an_update_that_changes_nothing_writes_nothing(section4):
    enterprise = EnterpriseFactory(name="石家庄恒达化工有限公司", area=area("130104"))
    services.enterprise_update(
        by=section4,
        enterprise=enterprise,
        sectors=[],
        sections=[],
        **_profile(
            legal_representative=enterprise.legal_representative, address=enterprise.address
        ),
    )
    assert not entries(enterprise, "campaigns.enterprise.changed").exists()


def test_clearing_the_key_flag_clears_its_reason(section4):
    enterprise = EnterpriseFactory(is_key_supervision=True, key_supervision_reason="重大危险源")
    services.enterprise_update(
        by=section4, enterprise=enterprise, is_key_supervision=False, key_supervision_reason="x"
    )
    enterprise.refresh_from_db()
    assert (enterprise.is_key_supervision, enterprise.key_supervision_reason) == (False, "")


def test_unknown_profile_fields_are_a_programming_error(section4):
    with pytest.raises(TypeError):
        services.enterprise_update(by=section4, enterprise=EnterpriseFactory(), uscc="x")


# --- Grades -------------------------------------------------------------------------------------


def test_a_grade_change_is_kept_in_history_and_audited(section4):
    enterprise = EnterpriseFactory()
    services.enterprise_change_grade(
        by=section4, enterprise=enterprise, grade="B", effective_date=dt.date(2025, 1, 1),
        source="省平台 2025年1月",
    )  # fmt: skip
    change = services.enterprise_change_grade(
        by=section4, enterprise=enterprise, grade="D", effective_date=dt.date(2025, 6, 1),
        source="发生较大事故后调整",
    )  # fmt: skip
    enterprise.refresh_from_db()
    assert enterprise.credit_grade == "D"
    assert enterprise.credit_grade_date == dt.date(2025, 6, 1)
    assert enterprise.credit_grade_source == "发生较大事故后调整"
    assert (change.old_grade, change.new_grade, change.recorded_by) == ("B", "D", section4)
    assert enterprise.grade_changes.count() == 2
    entry = entries(enterprise, "campaigns.enterprise.grade_changed").latest("id")
    assert entry.changes["credit_grade"] == ["B 一般风险", "D 高风险"]
    assert entry.changes["credit_grade_date"] == ["2025-01-01", "2025-06-01"]


@pytest.mark.parametrize(
    ("grade", "day", "message"),
    [
        ("B", TODAY + dt.timedelta(days=1), "晚于今天"),
        ("C", dt.date(2024, 12, 31), "早于现有等级 B（2025-01-01 起）的生效日期"),
        ("B", dt.date(2025, 2, 1), "现在就是 B 级"),
        ("E", dt.date(2025, 2, 1), "应为 A、B、C、D 之一"),
    ],
)
def test_a_grade_change_is_refused_when_it_cannot_be_current(section4, grade, day, message):
    enterprise = EnterpriseFactory()
    services.enterprise_change_grade(
        by=section4, enterprise=enterprise, grade="B", effective_date=dt.date(2025, 1, 1),
        source="省平台",
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.enterprise_change_grade(
            by=section4, enterprise=enterprise, grade=grade, effective_date=day, source="x"
        )
    assert message in error.value.message_dict["grade"][0]
    assert enterprise.grade_changes.count() == 1


def test_a_grade_change_needs_a_source(section4):
    with pytest.raises(ValidationError) as error:
        services.enterprise_change_grade(
            by=section4, enterprise=EnterpriseFactory(), grade="A", effective_date=TODAY, source=" "
        )
    assert error.value.message_dict["source"] == ["请填写等级来源或调整依据。"]


# --- Recusals -----------------------------------------------------------------------------------


def _declare(user, inspector, enterprise, **overrides):
    values = {
        "reason": Recusal.Reason.KINSHIP,
        "description": "配偶在该企业任安全总监。",
        "valid_from": TODAY,
    }
    return services.recusal_create(
        by=user, inspector=inspector, enterprise=enterprise, **(values | overrides)
    )


def test_an_inspector_declares_a_recusal_and_the_approvers_are_told(inspector_user, section4):
    inspector = InspectorFactory(user=inspector_user, name="陈晓明")
    enterprise = EnterpriseFactory(name="石家庄恒达化工有限公司")
    recusal = _declare(inspector_user, inspector, enterprise)
    assert recusal.status == Recusal.Status.PENDING
    assert recusal.declared_by == inspector_user
    entry = entries(recusal, "campaigns.recusal.declared").get()
    assert entry.changes["reason"] == [None, "亲属关系"]
    note = Notification.objects.get(user=section4)
    assert "陈晓明与石家庄恒达化工有限公司的回避申请待审核" in note.title
    assert not Notification.objects.filter(user=inspector_user).exists()


def test_staff_record_an_enterprise_request(section4):
    recusal = _declare(
        section4, InspectorFactory(), EnterpriseFactory(), reason=Recusal.Reason.ENTERPRISE_REQUEST
    )
    assert entries(recusal, "campaigns.recusal.recorded").exists()
    assert not Notification.objects.filter(user=section4).exists()  # not told about their own


def test_an_overlapping_declaration_is_refused(section4):
    existing = RecusalFactory(valid_from=dt.date(2024, 1, 1), valid_to=None)
    with pytest.raises(ValidationError) as error:
        _declare(section4, existing.inspector, existing.enterprise)
    assert "已有已批准的回避登记" in error.value.messages[0]


def test_a_declaration_after_an_expired_one_is_accepted(section4):
    existing = RecusalFactory(valid_from=dt.date(2023, 1, 1), valid_to=dt.date(2023, 12, 31))
    recusal = _declare(section4, existing.inspector, existing.enterprise)
    assert recusal.pk != existing.pk


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "message"),
    [
        (TODAY, TODAY - dt.timedelta(days=1), "有效期至不能早于有效期自"),
        (TODAY - dt.timedelta(days=10), TODAY - dt.timedelta(days=1), "有效期已过"),
    ],
)
def test_a_declaration_needs_a_sensible_period(section4, valid_from, valid_to, message):
    with pytest.raises(ValidationError) as error:
        _declare(
            section4, InspectorFactory(), EnterpriseFactory(), valid_from=valid_from,
            valid_to=valid_to,
        )  # fmt: skip
    assert message in error.value.messages[0]


def test_approving_tells_the_declarer_and_is_audited(section4, inspector_user):
    inspector = InspectorFactory(user=inspector_user)
    recusal = _declare(inspector_user, inspector, EnterpriseFactory())
    services.recusal_approve(by=section4, recusal=recusal, note="属实")
    recusal.refresh_from_db()
    assert (recusal.status, recusal.decided_by, recusal.decision_note) == (
        Recusal.Status.APPROVED,
        section4,
        "属实",
    )
    entry = entries(recusal, "campaigns.recusal.approved").get()
    assert entry.changes["status"] == ["待审核", "已批准"]
    assert Notification.objects.filter(user=inspector_user, title__contains="已批准").exists()
    with pytest.raises(ValidationError, match="已批准，不能再审核"):
        services.recusal_reject(by=section4, recusal=recusal, note="x")


def test_rejecting_needs_a_reason(section4):
    recusal = _declare(section4, InspectorFactory(), EnterpriseFactory())
    with pytest.raises(ValidationError) as error:
        services.recusal_reject(by=section4, recusal=recusal, note="  ")
    assert error.value.message_dict["note"] == ["驳回须说明理由。"]
    services.recusal_reject(by=section4, recusal=recusal, note="无利害关系")
    recusal.refresh_from_db()
    assert recusal.status == Recusal.Status.REJECTED
    entry = entries(recusal, "campaigns.recusal.rejected").get()
    assert entry.changes["decision_note"] == ["", "无利害关系"]


def test_a_declarer_withdraws_a_pending_recusal_only(inspector_user, section4):
    inspector = InspectorFactory(user=inspector_user)
    recusal = _declare(inspector_user, inspector, EnterpriseFactory())
    services.recusal_withdraw(by=inspector_user, recusal=recusal, reason="填错企业")
    recusal.refresh_from_db()
    assert recusal.status == Recusal.Status.WITHDRAWN
    assert entries(recusal, "campaigns.recusal.withdrawn").get().changes["withdraw_reason"] == [
        "",
        "填错企业",
    ]
    approved = RecusalFactory(inspector=inspector, declared_by=inspector_user)
    assert not services.can_withdraw(inspector_user, approved)
    with pytest.raises(ValidationError, match="您不能撤销"):
        services.recusal_withdraw(by=inspector_user, recusal=approved, reason="x")


def test_an_approver_revokes_an_approved_recusal_and_the_declarer_is_told(section4, inspector_user):
    recusal = RecusalFactory(declared_by=inspector_user)
    with pytest.raises(ValidationError):
        services.recusal_withdraw(by=section4, recusal=recusal, reason="")
    services.recusal_withdraw(by=section4, recusal=recusal, reason="当事人已离职")
    recusal.refresh_from_db()
    assert recusal.status == Recusal.Status.WITHDRAWN
    assert Notification.objects.filter(user=inspector_user, title__contains="已撤销").exists()


# --- Check visits -------------------------------------------------------------------------------


def test_a_visit_is_recorded_and_audited(section4):
    enterprise = EnterpriseFactory()
    bureau = DepartmentFactory(name="石家庄市应急管理局")
    visit = services.check_visit_record(
        by=section4, enterprise=enterprise, visited_on=dt.date(2025, 4, 2), departments=[bureau],
        reference="石应急检记〔2025〕0012号",
    )  # fmt: skip
    assert visit.source == CheckVisit.Source.MANUAL
    assert entries(visit, "campaigns.check_visit.recorded").get().changes["departments"] == [
        None,
        ["石家庄市应急管理局"],
    ]


def test_the_same_joint_visit_recorded_twice_counts_once(section4):
    enterprise = EnterpriseFactory()
    bureau = DepartmentFactory(name="石家庄市应急管理局")
    market = DepartmentFactory(name="石家庄市市场监督管理局")
    first = services.check_visit_record(
        by=section4, enterprise=enterprise, visited_on=dt.date(2025, 4, 2), departments=[bureau],
        reference="联合检查〔2025〕3号",
    )  # fmt: skip
    second = services.check_visit_record(
        by=section4, enterprise=enterprise, visited_on=dt.date(2025, 4, 2), departments=[market],
        reference=" 联合检查〔2025〕3号 ",
    )  # fmt: skip
    assert first.pk == second.pk
    assert CheckVisit.objects.count() == 1
    assert set(first.departments.values_list("name", flat=True)) == {bureau.name, market.name}
    assert entries(first, "campaigns.check_visit.joined").get().changes["departments"] == [
        ["石家庄市应急管理局"],
        ["石家庄市市场监督管理局", "石家庄市应急管理局"],
    ]


def test_a_visit_needs_departments_and_a_past_date(section4):
    enterprise = EnterpriseFactory()
    with pytest.raises(ValidationError) as error:
        services.check_visit_record(
            by=section4, enterprise=enterprise, visited_on=TODAY, departments=[]
        )
    assert error.value.message_dict["departments"] == ["请选择参与检查的部门。"]
    with pytest.raises(ValidationError) as error:
        services.check_visit_record(
            by=section4, enterprise=enterprise, visited_on=TODAY + dt.timedelta(days=1),
            departments=[DepartmentFactory()],
        )  # fmt: skip
    assert error.value.message_dict["visited_on"] == ["检查日期不能晚于今天。"]
    assert not CheckVisit.objects.exists()
    CheckVisitFactory(enterprise=enterprise)  # the factory works for the selector tests

"""The "应纳尽纳" reconciliation: the roster against the justice bureau's latest export."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inspectors import selectors, services
from inspectors.models import Inspector, ReconciliationLine, ReconciliationRun
from shijiazhuang_sr.audit.models import AuditEntry
from tests.factories import DepartmentFactory
from tests.inspectors.factories import InspectorFactory, add_period
from tests.inspectors.files import person, run, setup_roster, xlsx

pytestmark = pytest.mark.django_db
Kind = ReconciliationLine.Kind


@pytest.fixture
def roster(section4):
    """On the roster: 1 (matches), 2 (differs), 3 (serving, missing from the export),
    4 (retired, missing), 5 (fire brigade: outside the export's departments)."""
    setup_roster()
    run(xlsx([person(n) for n in (1, 2, 3, 4)]), by=section4)
    add_period(Inspector.objects.get(cert_no="1301002000004"), "retired", dt.date(2024, 1, 1))
    InspectorFactory(
        cert_no="1301002000005", department=DepartmentFactory(name="石家庄市消防救援支队")
    )


def export(rows, name="司法局导出.xlsx"):
    return SimpleUploadedFile(name, xlsx(rows))


def latest_export():
    return export(
        [
            person(1),
            person(2, 姓名="测试员二", 有效期至="2030-01-01", 执法专长="粉尘防爆"),
            person(6, 所属科室="工贸科", 执法领域="工贸"),
        ]
    )


def lines_by_cert(run_):
    return {line.cert_no: line for line in run_.lines.all()}


def test_it_lists_missing_extra_and_differing_officers(roster, section4):
    run_, report = services.reconciliation_run_create(by=section4, upload=latest_export())
    assert report.ok and run_.export_rows == 3
    lines = lines_by_cert(run_)
    assert {cert: line.kind for cert, line in lines.items()} == {
        "1301002000002": Kind.DIFFERS,
        "1301002000003": Kind.NOT_IN_EXPORT,
        "1301002000006": Kind.NOT_ON_ROSTER,
    }
    differs = lines["1301002000002"].differences
    assert differs["name"] == ["测试员2", "测试员二"]
    assert differs["card_valid_to"] == ["2028-01-01", "2030-01-01"]
    assert differs["tags"] == [["化工工艺", "危险化学品", "电气安全"], ["危险化学品", "粉尘防爆"]]
    assert lines["1301002000006"].export_values["section"] == "工贸行业安全监督管理科"
    assert all(line.is_open for line in lines.values())
    created = AuditEntry.objects.get(event="inspectors.reconciliation.created")
    assert created.data["司法局库有、名录库无"] == 1
    # The reconciliation itself changes nothing on the roster.
    assert Inspector.objects.get(cert_no="1301002000002").name == "测试员2"
    assert not AuditEntry.objects.filter(event="inspectors.inspector.imported", at__gt=created.at)


def test_a_file_with_errors_creates_no_run(roster, section4):
    run_, report = services.reconciliation_run_create(
        by=section4, upload=export([person(1), person(2, 所属部门="无此部门")])
    )
    assert run_ is None and not report.ok
    assert report.errors[0].row == 3
    assert not ReconciliationRun.objects.exists()


def resolve(line, by, action, note="", effective_on=None):
    return services.reconciliation_line_resolve(
        by=by, line=line, action=action, note=note, effective_on=effective_on
    )


def test_adding_an_officer_from_the_export(roster, section4):
    run_, _ = services.reconciliation_run_create(by=section4, upload=latest_export())
    line = resolve(lines_by_cert(run_)["1301002000006"], section4, "add")
    inspector = Inspector.objects.get(cert_no="1301002000006")
    assert line.inspector == inspector and line.resolution == "added"
    assert inspector.section.name == "工贸行业安全监督管理科"
    assert sorted(inspector.tags.values_list("name", flat=True)) == [
        "化工工艺",
        "工贸",
        "电气安全",
    ]
    assert inspector in selectors.eligible_inspectors(on=timezone.localdate())
    assert AuditEntry.objects.filter(event="inspectors.inspector.created").count() == 1
    resolved = AuditEntry.objects.get(event="inspectors.reconciliation.line_resolved")
    assert resolved.changes["resolution"] == ["待处理", "已加入名录库"]
    assert resolved.actor == section4


def test_marking_a_missing_officer_retired(roster, section4):
    run_, _ = services.reconciliation_run_create(by=section4, upload=latest_export())
    line = lines_by_cert(run_)["1301002000003"]
    with pytest.raises(ValidationError):
        resolve(line, section4, "retire")  # the date is required
    day = timezone.localdate() - dt.timedelta(days=3)
    resolve(line, section4, "retire", "已办理退休", effective_on=day)
    inspector = Inspector.objects.get(cert_no="1301002000003")
    assert inspector.status == "retired"
    assert selectors.status_on(inspector, day) == "retired"
    period = inspector.status_periods.get(status="retired")
    assert period.reason == "应纳尽纳核对：已办理退休"
    line.refresh_from_db()
    assert (line.resolution, line.effective_on) == ("retired", day)


def test_accepting_the_exports_values(roster, section4):
    run_, _ = services.reconciliation_run_create(by=section4, upload=latest_export())
    resolve(lines_by_cert(run_)["1301002000002"], section4, "accept")
    inspector = Inspector.objects.get(cert_no="1301002000002")
    assert inspector.name == "测试员二"
    assert inspector.card_valid_to == dt.date(2030, 1, 1)
    assert sorted(inspector.tags.values_list("name", flat=True)) == ["危险化学品", "粉尘防爆"]
    changed = AuditEntry.objects.get(event="inspectors.inspector.changed")
    assert changed.changes["name"] == ["测试员2", "测试员二"]


def test_dismissing_needs_a_reason_and_a_line_is_resolved_once(roster, section4):
    run_, _ = services.reconciliation_run_create(by=section4, upload=latest_export())
    line = lines_by_cert(run_)["1301002000003"]
    with pytest.raises(ValidationError) as error:
        resolve(line, section4, "dismiss")
    assert "理由" in str(error.value)
    resolve(line, section4, "dismiss", "新调入，司法局库尚未更新")
    with pytest.raises(ValidationError):
        resolve(line, section4, "dismiss", "again")
    with pytest.raises(ValidationError):
        resolve(lines_by_cert(run_)["1301002000006"], section4, "retire", "x", timezone.localdate())


def test_a_new_run_supersedes_the_open_lines_of_older_runs(roster, section4):
    first, _ = services.reconciliation_run_create(by=section4, upload=latest_export())
    resolve(lines_by_cert(first)["1301002000003"], section4, "dismiss", "已核实")
    second, _ = services.reconciliation_run_create(by=section4, upload=latest_export())
    states = dict(first.lines.values_list("cert_no", "resolution"))
    assert states == {
        "1301002000002": "superseded",
        "1301002000003": "dismissed",
        "1301002000006": "superseded",
    }
    assert selectors.open_reconciliation_lines().count() == second.lines.count() == 3


# --- pages ----------------------------------------------------------------------------------


def test_the_upload_page_runs_a_check_and_shows_its_lines(roster, section4, client_for):
    client = client_for(section4)
    response = client.post("/roster/reconciliation/new/", {"file": latest_export()})
    run_ = ReconciliationRun.objects.get()
    assert response["Location"] == f"/roster/reconciliation/{run_.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "测试员二" in html and "信息不一致" in html and "名录库有、司法局库无" in html
    html = client.get(response["Location"] + "?kind=not_on_roster").content.decode()
    assert "1301002000006" in html and "1301002000003" not in html


def test_the_upload_page_shows_row_errors_in_chinese(roster, section4, client_for):
    response = client_for(section4).post(
        "/roster/reconciliation/new/", {"file": export([person(1, 有效期至="2000-01-01")])}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "文件有错误，未进行核对" in html and "第 2 行「有效期至」" in html
    assert not ReconciliationRun.objects.exists()


def test_the_resolve_page_offers_the_actions_of_the_line_kind(roster, section4, client_for):
    run_, _ = services.reconciliation_run_create(by=section4, upload=latest_export())
    line = lines_by_cert(run_)["1301002000003"]
    client = client_for(section4)
    html = client.get(f"/roster/reconciliation/lines/{line.pk}/resolve/").content.decode()
    assert "登记为调离" in html and "登记为退休" in html and "加入名录库" not in html
    html = client.post(
        f"/roster/reconciliation/lines/{line.pk}/resolve/", {"action": "dismiss"}
    ).content.decode()
    assert "请填写不需处理的理由" in html
    response = client.post(
        f"/roster/reconciliation/lines/{line.pk}/resolve/",
        {"action": "transfer", "effective_on": "2025-01-01", "note": "调任他局"},
    )
    assert response.status_code == 302
    assert Inspector.objects.get(cert_no="1301002000003").status == "transferred"
    detail = client.get(f"/roster/reconciliation/{run_.pk}/?state=resolved").content.decode()
    assert "已登记调离" in detail and "调任他局" in detail


def test_leaders_read_the_reconciliation_but_cannot_resolve(roster, section4, leader, client_for):
    run_, _ = services.reconciliation_run_create(by=section4, upload=latest_export())
    client = client_for(leader)
    html = client.get(f"/roster/reconciliation/{run_.pk}/").content.decode()
    assert "测试员二" in html and "上传并核对" not in html and ">处理</a>" not in html


def test_the_resolve_page_shows_the_export_values_or_the_differences(roster, section4, client_for):
    run_, _ = services.reconciliation_run_create(by=section4, upload=latest_export())
    lines = lines_by_cert(run_)
    client = client_for(section4)
    html = client.get(
        f"/roster/reconciliation/lines/{lines['1301002000006'].pk}/resolve/"
    ).content.decode()
    assert "司法局库中的信息" in html and "工贸行业安全监督管理科" in html
    assert "河北省行政执法证" in html and "执法专长" in html and "expertise_tags" not in html
    assert "加入名录库" in html and "登记为退休" not in html
    html = client.get(
        f"/roster/reconciliation/lines/{lines['1301002000002'].pk}/resolve/"
    ).content.decode()
    assert "姓名" in html and "测试员2" in html and "测试员二" in html
    assert "采用司法局库信息更新名录库" in html


def test_section4_home_counts_open_reconciliation_lines(roster, section4, client_for):
    run_, _ = services.reconciliation_run_create(by=section4, upload=latest_export())
    html = client_for(section4).get("/").content.decode()
    assert "应纳尽纳核对中待处理的差异" in html
    assert f"/roster/reconciliation/{run_.pk}/?state=open" in html

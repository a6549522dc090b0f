"""Import of the justice bureau's export: upsert by card number, all or nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from inspectors import selectors
from inspectors.imports import InspectorImport
from inspectors.models import Inspector, InspectorStatusPeriod
from shijiazhuang_sr.audit.models import AuditEntry
from tests.inspectors.files import HEADERS, csv_bytes, person, run, setup_roster, xlsx

pytestmark = pytest.mark.django_db
EVENT = "inspectors.inspector.imported"


@pytest.fixture(autouse=True)
def roster(db):
    setup_roster()


def tags_of(cert_no):
    return sorted(Inspector.objects.get(cert_no=cert_no).tags.values_list("name", flat=True))


def test_it_imports_a_good_file_with_one_audit_entry_per_row(section4):
    report = run(xlsx([person(1), person(2, 所属科室="工贸科", 执法领域="工贸")]), by=section4)
    assert report.ok and report.saved
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    first = Inspector.objects.get(cert_no="1301002000001")
    assert first.name == "测试员1"
    assert first.section.name == "危险化学品安全监督管理科"
    assert first.card_valid_to == dt.date(2028, 1, 1)
    assert first.get_card_type_display() == "河北省行政执法证"
    assert tags_of("1301002000001") == ["化工工艺", "危险化学品", "电气安全"]
    period = first.status_periods.get()
    assert (period.status, period.starts_on, period.ends_on) == (
        "on_duty",
        dt.date(2023, 1, 1),
        None,
    )
    assert first in selectors.eligible_inspectors(on=timezone.localdate())
    entries = AuditEntry.objects.filter(event=EVENT)
    assert entries.count() == 2
    created = entries.get(object_id=str(first.pk))
    assert created.actor == section4 and created.channel == "import"
    assert created.changes["name"] == [None, "测试员1"]
    assert created.data == {"file": "export.xlsx", "row": 2}


def test_reimporting_the_same_file_changes_nothing_and_writes_no_audit(section4):
    data = xlsx([person(n) for n in range(1, 6)])
    run(data, by=section4)
    before = AuditEntry.objects.count()
    report = run(data, by=section4)
    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert AuditEntry.objects.count() == before
    assert InspectorStatusPeriod.objects.count() == 5


def test_it_updates_by_card_number_and_records_old_and_new(section4):
    run(xlsx([person(1)]), by=section4)
    report = run(
        xlsx([person(1, 姓名="测试员一", 有效期至="2030/6/30", 执法专长="粉尘防爆")]), by=section4
    )
    assert (report.created, report.updated) == (0, 1)
    changes = AuditEntry.objects.filter(event=EVENT, action="update").get().changes
    assert changes["name"] == ["测试员1", "测试员一"]
    assert changes["card_valid_to"] == ["2028-01-01", "2030-06-30"]
    assert changes["tags"] == [["化工工艺", "危险化学品", "电气安全"], ["危险化学品", "粉尘防爆"]]
    # The preview names the columns as the spreadsheet does.
    assert report.preview[0]["changes"]["姓名"] == ["测试员1", "测试员一"]


def test_empty_optional_cells_keep_the_roster_values(section4):
    run(xlsx([person(1)]), by=section4)
    report = run(xlsx([person(1, 联系电话="", 执法领域="", 执法专长="", 发证机关="")]), by=section4)
    assert report.unchanged == 1
    inspector = Inspector.objects.get(cert_no="1301002000001")
    assert inspector.phone == "13800000000"
    assert inspector.issuing_authority == "石家庄市人民政府"
    assert tags_of("1301002000001") == ["化工工艺", "危险化学品", "电气安全"]


def test_it_accepts_short_names_aliases_and_other_separators(section4):
    headers = [
        "执法人员姓名",
        "执法证件号码",
        "有效期开始日期",
        "有效期截止日期",
        "执法部门",
        "科室",
        "人员类别",
        "专长",
    ]
    row = {
        "执法人员姓名": "别名员",
        "执法证件号码": "ａｂ-１２３４５",
        "有效期开始日期": "2024年1月1日",
        "有效期截止日期": "2029.1.1",
        "执法部门": "市应急管理局",
        "科室": "工贸行业安全监督管理科",
        "人员类别": "综合执法",
        "专长": "粉尘防爆；电气安全,化工工艺",
    }
    report = run(xlsx([row], headers=headers), by=section4)
    assert report.ok, report.lines()
    inspector = Inspector.objects.get(cert_no="AB-12345")
    assert inspector.category == Inspector.Category.COMPREHENSIVE
    assert inspector.card_valid_to == dt.date(2029, 1, 1)
    assert tags_of("AB-12345") == ["化工工艺", "电气安全", "粉尘防爆"]


def test_a_gbk_encoded_csv_imports(section4):
    report = run(csv_bytes([person(1), person(2)], encoding="gbk"), "导出.csv", by=section4)
    assert report.ok, report.lines()
    assert Inspector.objects.get(cert_no="1301002000002").name == "测试员2"


BAD_ROWS = [
    ({"执法证号": ""}, "执法证号", "不能为空"),
    ({"执法证号": "13-01/002"}, "执法证号", "只能由字母、数字"),
    ({"姓名": ""}, "姓名", "不能为空"),
    ({"所属部门": "石家庄市教育局"}, "所属部门", "部门不存在"),
    ({"所属科室": "办公室"}, "所属科室", "科室不存在"),
    ({"所属科室": "防火监督处"}, "所属科室", "科室不属于“石家庄市应急管理局”"),
    ({"有效期自": "2028-01-01", "有效期至": "2027-12-31"}, "有效期至", "早于有效期自"),
    ({"有效期至": "明年"}, "有效期至", "日期格式不正确"),
    ({"证件类型": "工作证"}, "证件类型", "不在可选范围内"),
    ({"执法人员种类": "临时工"}, "执法人员种类", "不在可选范围内"),
    ({"执法领域": "危险化学品、矿山"}, "执法领域", "没有这个执法领域标签"),
    ({"执法专长": "消防"}, "执法专长", "没有这个执法专长标签"),  # a field tag, not expertise
    ({"联系电话": "打电话找我"}, "联系电话", "电话号码只能包含"),
]


@pytest.mark.parametrize(("overrides", "column", "message"), BAD_ROWS)
def test_a_bad_row_is_reported_in_chinese_and_nothing_is_saved(
    section4, overrides, column, message
):
    report = run(xlsx([person(1), person(2, **overrides), person(3)]), by=section4)
    assert not report.ok and not report.saved
    assert [(e.row, e.column) for e in report.errors] == [(3, column)]
    assert message in report.errors[0].message
    assert "未保存" in report.summary()
    assert not Inspector.objects.exists()
    assert not AuditEntry.objects.filter(event=EVENT).exists()


def test_a_duplicate_card_number_in_the_file_names_both_rows(section4):
    report = run(xlsx([person(1), person(2), person(3, 执法证号="1301002000001")]), by=section4)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (4, "执法证号", "与第 2 行重复")
    ]
    assert not Inspector.objects.exists()


def test_one_bad_row_among_many_saves_nothing_and_names_that_row(section4):
    rows = [person(n) for n in range(1, 501)]
    rows[436] = person(437, 所属科室="不存在的科室")
    importer = InspectorImport()
    importer.batch_size = 100  # the bad row is in the fifth batch, after four were written
    report = run(xlsx(rows), by=section4, importer=importer)
    assert report.total_rows == 500
    assert [(e.row, e.column) for e in report.errors] == [(438, "所属科室")]
    assert not Inspector.objects.exists()
    assert not InspectorStatusPeriod.objects.exists()
    assert not AuditEntry.objects.filter(event=EVENT).exists()


def test_a_bad_row_does_not_undo_an_earlier_import(section4):
    run(xlsx([person(1)]), by=section4)
    report = run(xlsx([person(1, 姓名="改名"), person(2, 所属部门="无")]), by=section4)
    assert not report.ok
    assert Inspector.objects.get().name == "测试员1"


def test_a_dry_run_reports_but_saves_nothing(section4):
    report = run(xlsx([person(1), person(2)]), by=section4, dry_run=True)
    assert report.ok and not report.saved and report.created == 2
    assert not Inspector.objects.exists()


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("export.xls", b"\xd0\xcf\x11\xe0 old excel", "仅支持 .xlsx 或 .csv"),
        ("export.txt", b"hello", "仅支持 .xlsx 或 .csv"),
        ("export.xlsx", "姓名,执法证号\n".encode(), "内容不是 Excel 工作簿"),
        ("export.csv", b"", "文件是空的"),
    ],
)
def test_a_wrong_file_is_a_file_level_error(section4, filename, data, message):
    report = run(data, filename, by=section4)
    assert not report.ok
    assert report.errors[0].row == 0 and message in report.errors[0].message


def test_a_file_over_the_size_limit_is_refused_before_parsing(section4, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    data = xlsx([person(1)]) + b"\0" * (1024 * 1024)
    report = run(data, by=section4)
    assert not report.ok
    assert "超过 1 MB 的上限" in report.errors[0].message
    assert not Inspector.objects.exists()


def test_a_file_without_a_required_column_is_refused(section4):
    headers = [h for h in HEADERS if h != "执法证号"]
    report = run(xlsx([person(1)], headers=headers), by=section4)
    assert "缺少必需的列：执法证号" in report.errors[0].message


def test_a_move_to_another_department_without_a_section_clears_the_old_section(section4):
    run(xlsx([person(1)]), by=section4)
    report = run(xlsx([person(1, 所属部门="石家庄市消防救援支队", 所属科室="")]), by=section4)
    assert report.ok and report.updated == 1
    inspector = Inspector.objects.get()
    assert inspector.department.name == "石家庄市消防救援支队" and inspector.section is None
    changes = AuditEntry.objects.get(event=EVENT, action="update").changes
    assert changes["section"] == ["危化科", None]

"""The register's imports: all or nothing, every bad row named, re-imports change nothing."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from campaigns.imports.register import CreditGradeImport, EnterpriseImport, parse_grade
from campaigns.models import CreditGradeChange, Enterprise, EnterpriseSector
from shijiazhuang_sr.audit.models import AuditEntry
from tests.campaigns.factories import (
    EnterpriseFactory,
    SectorFactory,
    csv_file,
    new_uscc,
    xlsx_file,
)
from tests.factories import DepartmentFactory, SectionFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
HEADER = [
    "统一社会信用代码", "企业名称", "法定代表人", "注册地址", "所属区县", "行业代码",
    "监管行业领域", "企业规模", "信用等级", "等级生效日期", "重点监管", "重点监管原因",
    "安全生产标准化等级", "经营状态", "负责科室", "联系人", "联系电话",
]  # fmt: skip


def run(importer, stream: io.BytesIO, name="名录.xlsx", dry_run=False, by=None):
    data = stream.getvalue()
    return importer.run(io.BytesIO(data), filename=name, size=len(data), dry_run=dry_run, by=by)


@pytest.fixture
def vocabulary():
    bureau = DepartmentFactory(name="石家庄市应急管理局")
    return {
        "hazchem": SectorFactory(name="危险化学品生产", code="hazchem_production"),
        "dust": SectorFactory(name="粉尘涉爆", code="dust"),
        "section": SectionFactory(
            department=bureau, name="危险化学品安全监督管理科", short_name="危化科"
        ),
    }


def row(code, name="石家庄恒达化工有限公司", **cells):
    values = {
        "所属区县": "长安区", "法定代表人": "王伟", "注册地址": "中山东路 1 号", "行业代码": "2614",
        "监管行业领域": "危险化学品生产", "企业规模": "规上", "信用等级": "B",
        "等级生效日期": "2025-05-01", "重点监管": "否", "重点监管原因": "",
        "安全生产标准化等级": "三级", "经营状态": "在业", "负责科室": "危化科", "联系人": "李娜",
        "联系电话": "13800000000",
    } | cells  # fmt: skip
    return [code, name, *[values[h] for h in HEADER[2:]]]


def test_it_creates_enterprises_with_their_sectors_sections_and_first_grade(vocabulary, section4):
    codes = [new_uscc("130102"), new_uscc("130181")]
    report = run(
        EnterpriseImport(),
        xlsx_file(
            [
                HEADER,
                row(codes[0]),
                row(
                    codes[1],
                    "辛集市宏泰皮革制品有限公司",
                    所属区县="130181",
                    监管行业领域="粉尘涉爆、危险化学品生产",
                    信用等级="D级（高风险）",
                    重点监管="是",
                    重点监管原因="粉尘涉爆企业",
                ),
            ]
        ),
        by=section4,
    )
    assert report.ok, report.lines()
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    heng = Enterprise.objects.get(uscc=codes[0])
    assert heng.area.name == "长安区"
    assert heng.industry_code == "C2614"
    assert (heng.credit_grade, heng.credit_grade_date) == ("B", dt.date(2025, 5, 1))
    assert heng.credit_grade_source == "名录.xlsx"
    assert "'恒达'" in heng.name_grams
    assert list(heng.responsible_sections.all()) == [vocabulary["section"]]
    xin = Enterprise.objects.get(uscc=codes[1])
    assert set(xin.supervision_sectors.all()) == {vocabulary["hazchem"], vocabulary["dust"]}
    assert (xin.credit_grade, xin.is_key_supervision) == ("D", True)
    change = CreditGradeChange.objects.get(enterprise=xin)
    assert (change.old_grade, change.new_grade, change.source) == ("", "D", "名录.xlsx")
    assert change.recorded_by == section4
    entry = AuditEntry.objects.get(event="campaigns.enterprise.imported", object_id=str(heng.pk))
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["credit_grade"] == [None, "B 一般风险"]
    assert entry.changes["supervision_sectors"] == [None, ["危险化学品生产"]]
    assert entry.data == {"file": "名录.xlsx", "row": 2}


def test_a_file_with_bad_rows_saves_nothing_and_names_every_bad_row(vocabulary):
    good = new_uscc()
    existing = EnterpriseFactory(name="原有企业")
    valid = new_uscc()
    report = run(
        EnterpriseImport(),
        xlsx_file(
            [
                HEADER,
                row(good),
                row("91440300708461136A"),  # row 3: wrong check character
                row(valid, 所属区县="石家庄东区"),  # row 4: unknown area
                row(good.lower()),  # row 5: the same code as row 2
                row(new_uscc(), 信用等级="E"),  # row 6: unknown grade
                row(new_uscc(), 监管行业领域="航天"),  # row 7: unknown sector
                row(new_uscc(), 重点监管="是"),  # row 8: key supervision without reason
                row("9144030070846113IT"),  # row 9: letter I
                row(existing.uscc, name="原有企业改名"),  # row 10: fine on its own
            ]
        ),
    )
    assert not report.ok
    assert not report.saved
    messages = {(error.row, error.column): error.message for error in report.errors}
    assert "第 18 位应为“T”" in messages[(3, "统一社会信用代码")]
    assert "不是名录库的区县" in messages[(4, "所属区县")]
    assert messages[(5, "统一社会信用代码")] == "与第 2 行重复"
    assert "应为 A、B、C、D" in messages[(6, "信用等级")]
    assert messages[(7, "监管行业领域")] == "没有这个监管行业领域"
    assert "须填写重点监管原因" in messages[(8, "重点监管原因")]
    assert "不使用字母 I、O、S、V、Z" in messages[(9, "统一社会信用代码")]
    assert {error.row for error in report.errors} == {3, 4, 5, 6, 7, 8, 9}
    assert Enterprise.objects.count() == 1
    assert Enterprise.objects.get().name == "原有企业"
    assert not CreditGradeChange.objects.exists()
    assert not AuditEntry.objects.filter(event="campaigns.enterprise.imported").exists()
    assert "第 3 行「统一社会信用代码」" in "\n".join(report.lines())


def test_reimporting_the_same_file_changes_nothing_and_writes_no_history(vocabulary):
    stream = xlsx_file([HEADER, row(new_uscc()), row(new_uscc(), "石家庄恒达精细化工有限公司")])
    assert run(EnterpriseImport(), stream).created == 2
    changes, entries = CreditGradeChange.objects.count(), AuditEntry.objects.count()
    updated_at = list(Enterprise.objects.order_by("pk").values_list("updated_at", flat=True))
    again = run(EnterpriseImport(), stream)
    assert again.ok
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert CreditGradeChange.objects.count() == changes
    assert AuditEntry.objects.count() == entries
    assert (
        list(Enterprise.objects.order_by("pk").values_list("updated_at", flat=True)) == updated_at
    )


def test_it_updates_only_what_the_file_changes_and_keeps_blank_cells(vocabulary, section4):
    code = new_uscc()
    run(EnterpriseImport(), xlsx_file([HEADER, row(code)]))
    enterprise = Enterprise.objects.get(uscc=code)
    report = run(
        EnterpriseImport(),
        csv_file(
            [
                HEADER,
                row(
                    code,
                    "石家庄恒达新材料有限公司",
                    法定代表人="",
                    联系电话="",
                    信用等级="C",
                    等级生效日期="2025/6/1",
                    监管行业领域="粉尘涉爆",
                    经营状态="停业",
                ),
            ],
            encoding="gb18030",
        ),
        name="名录更新.csv",
        by=section4,
    )
    assert report.ok, report.lines()
    assert report.updated == 1
    enterprise.refresh_from_db()
    assert enterprise.name == "石家庄恒达新材料有限公司"
    assert "'化工'" not in enterprise.name_grams and "'新材'" in enterprise.name_grams
    assert enterprise.legal_representative == "王伟"  # blank cell: kept
    assert enterprise.contact_phone == "13800000000"
    assert enterprise.status == Enterprise.Status.SUSPENDED
    assert list(enterprise.supervision_sectors.all()) == [vocabulary["dust"]]
    assert enterprise.credit_grade == "C"
    change = enterprise.grade_changes.order_by("-id").first()
    assert (change.old_grade, change.new_grade, change.effective_date) == (
        "B",
        "C",
        dt.date(2025, 6, 1),
    )
    entry = AuditEntry.objects.filter(
        event="campaigns.enterprise.imported", action=AuditEntry.Action.UPDATE
    ).get()
    assert entry.changes == {
        "name": ["石家庄恒达化工有限公司", "石家庄恒达新材料有限公司"],
        "status": ["在业", "停业"],
        "supervision_sectors": [["危险化学品生产"], ["粉尘涉爆"]],
        "credit_grade": ["B 一般风险", "C 较高风险"],
        "credit_grade_date": ["2025-05-01", "2025-06-01"],
        "credit_grade_source": ["名录.xlsx", "名录更新.csv"],
    }
    assert report.preview[0]["changes"]["经营状态"] == ["在业", "停业"]


def test_odd_characters_survive_the_bulk_writes(vocabulary):
    # Quotes, commas, backslashes and "\\N" go through COPY (PostgreSQL) as they are.
    code = new_uscc()
    name = '石家庄"A,B"\\N化工厂'
    report = run(EnterpriseImport(), xlsx_file([HEADER, row(code, name, 注册地址="\\N")]))
    assert report.ok, report.lines()
    enterprise = Enterprise.objects.get(uscc=code)
    assert (enterprise.name, enterprise.address) == (name, "\\N")
    entry = AuditEntry.objects.get(event="campaigns.enterprise.imported")
    assert entry.object_repr == str(enterprise)
    assert entry.changes["name"] == [None, name]
    assert entry.ip is None


def test_a_dry_run_reports_but_saves_nothing(vocabulary):
    report = run(EnterpriseImport(), xlsx_file([HEADER, row(new_uscc())]), dry_run=True)
    assert report.ok and report.created == 1 and not report.saved
    assert not Enterprise.objects.exists()


def test_missing_required_columns_are_reported():
    report = run(EnterpriseImport(), xlsx_file([["企业名称"], ["某企业"]]))
    assert "缺少必需的列：统一社会信用代码、所属区县" in report.errors[0].message


def test_areas_are_found_by_name_code_or_full_name(vocabulary):
    codes = [new_uscc() for _ in range(3)]
    report = run(
        EnterpriseImport(),
        xlsx_file(
            [
                HEADER,
                row(codes[0], 所属区县="石家庄高新技术产业开发区"),
                row(codes[1], 所属区县="石家庄市正定县"),
                row(codes[2], 所属区县="130172"),
            ]
        ),
    )
    assert report.ok, report.lines()
    assert [Enterprise.objects.get(uscc=code).area.name for code in codes] == [
        "高新区",
        "正定县",
        "循环化工园区",
    ]


@pytest.mark.parametrize(
    ("text", "grade"),
    [("A", "A"), ("b", "B"), ("C级", "C"), ("D类", "D"), ("低风险", "A"), ("B级（一般风险）", "B"),
     ("B级(一般风险)", "B"), ("A级（高风险）", None), ("E", None), ("", None), ("优", None)],
)  # fmt: skip
def test_grades_are_read_in_their_usual_spellings(text, grade):
    assert parse_grade(text) == grade


# --- The monthly grade file ---------------------------------------------------------------------

GRADE_HEADER = ["统一社会信用代码", "信用等级", "生效日期"]


@pytest.fixture
def graded():
    return [
        EnterpriseFactory(name=f"企业{n}", credit_grade=g, credit_grade_date=dt.date(2025, 5, 1))
        for n, g in enumerate("ABC")
    ]


def test_the_grade_file_changes_grades_and_keeps_their_history(graded, section4):
    a, b, c = graded
    report = run(
        CreditGradeImport(),
        xlsx_file(
            [
                GRADE_HEADER,
                [a.uscc, "A", "2025-06-01"],  # the same grade: nothing to record
                [b.uscc.lower(), "D级", "2025-06-01"],
                [c.uscc, "较高风险", "2025年6月1日"],  # the same grade in words
            ]
        ),
        name="2025年6月信用风险分类.xlsx",
        by=section4,
    )
    assert report.ok, report.lines()
    assert (report.updated, report.unchanged) == (1, 2)
    b.refresh_from_db()
    assert (b.credit_grade, b.credit_grade_date) == ("D", dt.date(2025, 6, 1))
    assert b.credit_grade_source == "2025年6月信用风险分类.xlsx"
    change = CreditGradeChange.objects.get()
    assert (change.enterprise, change.old_grade, change.new_grade) == (b, "B", "D")
    assert change.import_run is not None and change.recorded_by == section4
    entry = AuditEntry.objects.get(event="campaigns.enterprise.grade_imported")
    assert entry.object_id == str(b.pk)
    assert entry.changes["credit_grade"] == ["B 一般风险", "D 高风险"]
    a.refresh_from_db()
    assert a.credit_grade_date == dt.date(2025, 5, 1)


def test_reimporting_a_grade_file_changes_nothing(graded):
    stream = xlsx_file([GRADE_HEADER, *[[e.uscc, "D", "2025-06-01"] for e in graded]])
    assert run(CreditGradeImport(), stream).updated == 3
    entries, changes = AuditEntry.objects.count(), CreditGradeChange.objects.count()
    again = run(CreditGradeImport(), stream)
    assert (again.updated, again.unchanged) == (0, 3)
    assert (AuditEntry.objects.count(), CreditGradeChange.objects.count()) == (entries, changes)


def test_a_grade_file_with_bad_rows_saves_nothing(graded):
    a, b, c = graded
    unknown = new_uscc()
    report = run(
        CreditGradeImport(),
        xlsx_file(
            [
                GRADE_HEADER,
                [a.uscc, "D", "2025-06-01"],  # row 2: fine
                [unknown, "B", "2025-06-01"],  # row 3: not in the register
                [b.uscc, "E", "2025-06-01"],  # row 4: unknown grade
                [c.uscc, "A", "2025-04-01"],  # row 5: before the current grade's date
                [a.uscc, "C", "2025-06-01"],  # row 6: a duplicate of row 2
                ["91130102", "A", "2025-06-01"],  # row 7: too short
                ["９１１３０１０２ＯＯ", "A", "2025-06-01"],  # row 8: full-width, too short
                [EnterpriseFactory().uscc, "A", "明天"],  # row 9: not a date
            ]
        ),
    )
    assert not report.ok
    messages = {error.row: error.message for error in report.errors}
    assert messages[3] == "检查对象名录库中没有该企业，请先导入或登记该企业"
    assert "应为 A、B、C、D" in messages[4]
    assert "早于现有等级 C（2025-05-01 起）的生效日期" in messages[5]
    assert messages[6] == "与第 2 行重复"
    assert "当前为 8 位" in messages[7]
    assert "当前为 10 位" in messages[8]
    assert "日期格式不正确" in messages[9]
    assert 2 not in messages
    assert not CreditGradeChange.objects.exists()
    a.refresh_from_db()
    assert a.credit_grade == "A"


def test_a_grade_cannot_take_effect_in_the_future(graded):
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    report = run(CreditGradeImport(), xlsx_file([GRADE_HEADER, [graded[0].uscc, "A", tomorrow]]))
    assert "晚于今天" in report.errors[0].message


def test_a_grade_file_reaches_unrated_enterprises(section4):
    enterprise = EnterpriseFactory()
    report = run(
        CreditGradeImport(),
        csv_file([GRADE_HEADER, [enterprise.uscc, "B", "2025-06-01"]]),
        name="g.csv",
    )
    assert report.updated == 1
    assert CreditGradeChange.objects.get().old_grade == ""


def test_a_new_enterprise_file_never_writes_through_to_sectors_of_others(vocabulary):
    first, second = new_uscc(), new_uscc()
    run(EnterpriseImport(), xlsx_file([HEADER, row(first), row(second, 监管行业领域="粉尘涉爆")]))
    run(EnterpriseImport(), xlsx_file([HEADER, row(first, 监管行业领域="粉尘涉爆")]))
    pairs = set(EnterpriseSector.objects.values_list("enterprise__uscc", "sector__name"))
    assert pairs == {(first, "粉尘涉爆"), (second, "粉尘涉爆")}


def test_a_large_import_refreshes_the_register_statistics_after_it_commits(
    vocabulary, monkeypatch, django_capture_on_commit_callbacks
):
    from campaigns.imports import register as imports

    monkeypatch.setattr(imports, "REFRESH_ABOVE", 2)
    calls = []
    monkeypatch.setattr(
        imports.refresh_register_statistics, "apply_async", lambda **k: calls.append(k)
    )
    with django_capture_on_commit_callbacks(execute=True):
        run(EnterpriseImport(), xlsx_file([HEADER, row(new_uscc())]))
    assert calls == []  # one row: below the threshold
    with django_capture_on_commit_callbacks(execute=True):
        run(EnterpriseImport(), xlsx_file([HEADER, row(new_uscc()), row(new_uscc())]), dry_run=True)
    assert calls == []  # a dry run commits nothing
    with django_capture_on_commit_callbacks(execute=True):
        run(EnterpriseImport(), xlsx_file([HEADER, row(new_uscc()), row(new_uscc())]))
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_the_statistics_task_vacuums_on_postgresql_only():
    from django.db import connection

    from campaigns.tasks import refresh_register_statistics

    expected = "ok" if connection.vendor == "postgresql" else "skipped"
    assert refresh_register_statistics() == expected

"""The import driver itself, exercised with a small importer of departments."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from import_export import widgets
from openpyxl import Workbook

from inspectors.models import Department
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.services import snapshot
from shijiazhuang_sr.core.imports import Column, TabularImport


class DepartmentImport(TabularImport):
    title = "部门"
    event = "inspectors.department.imported"
    key = "name"
    batch_size = 3  # small, so that tests cross batch boundaries
    columns = (
        Column("部门名称", "name", required=True, aliases=("名称",)),
        Column("简称", "short_name"),
        Column("排序", "sort_order", widgets.IntegerWidget()),
    )

    def clean_row(self, row):
        if row.values["name"].startswith("坏"):
            row.error("部门名称", "名称不能以“坏”开头", row.values["name"])

    def write_batch(self, rows, *, by):
        existing = {
            d.name: d for d in Department.objects.filter(name__in=[r.values["name"] for r in rows])
        }
        for row in rows:
            department = existing.get(row.values["name"]) or Department(name=row.values["name"])
            before = snapshot(department, ["short_name", "sort_order"]) if department.pk else {}
            department.short_name = row.values.get("short_name") or ""
            department.sort_order = row.values.get("sort_order") or 100
            after = snapshot(department, ["short_name", "sort_order"])
            row.label = department.name
            row.instance = department
            if department.pk and before == after:
                row.outcome = "unchanged"
                continue
            row.changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
            row.outcome = "updated" if department.pk else "created"
            department.save()


def _csv(text: str, encoding="utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def _run(stream, name="部门.csv", dry_run=False):
    data = stream.getvalue()
    return DepartmentImport().run(io.BytesIO(data), filename=name, size=len(data), dry_run=dry_run)


def _xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer


GOOD = "部门名称,简称,排序\n甲局,甲,1\n乙局,乙,2\n丙局,丙,3\n丁局,丁,4\n"


def test_it_imports_a_good_file_and_audits_each_row(db):
    report = _run(_csv(GOOD))
    assert report.ok and report.saved
    assert (report.total_rows, report.created) == (4, 4)
    assert Department.objects.filter(name__in=["甲局", "丁局"]).count() == 2
    entries = AuditEntry.objects.filter(event="inspectors.department.imported")
    assert entries.count() == 4
    assert entries.filter(data__row=5).exists()


def test_reimporting_the_same_file_changes_nothing_and_writes_no_audit(db):
    _run(_csv(GOOD))
    before = AuditEntry.objects.count()
    report = _run(_csv(GOOD))
    assert report.unchanged == 4 and report.created == report.updated == 0
    assert AuditEntry.objects.count() == before


def test_one_bad_row_saves_nothing_and_names_the_row(db):
    text = GOOD + "坏局,坏,5\n戊局,戊,x\n"
    report = _run(_csv(text))
    assert not report.ok
    assert not Department.objects.exists()
    assert not AuditEntry.objects.filter(event="inspectors.department.imported").exists()
    lines = report.lines()
    assert any("第 6 行" in line and "坏" in line for line in lines)
    assert any("第 7 行「排序」：应为数字" in line for line in lines)


def test_a_duplicate_key_in_the_file_is_reported_against_its_first_row(db):
    report = _run(_csv("部门名称\n甲局\n乙局\n甲局\n"))
    assert not report.ok
    assert "与第 2 行重复" in str(report.errors[0]) and "第 4 行" in str(report.errors[0])


def test_a_missing_required_value_is_reported(db):
    report = _run(_csv("部门名称,简称\n,甲\n"))
    assert "第 2 行「部门名称」：不能为空" in str(report.errors[0])


def test_a_dry_run_reports_but_saves_nothing(db):
    report = _run(_csv(GOOD), dry_run=True)
    assert report.ok and not report.saved and report.created == 4
    assert not Department.objects.exists()
    assert "预检通过" in report.summary()


def test_it_reads_gbk_csv_files_saved_by_excel(db):
    report = _run(_csv(GOOD, encoding="gb18030"))
    assert report.ok and Department.objects.filter(name="甲局").exists()


def test_it_reads_xlsx_and_accepts_header_aliases_and_skips_blank_lines(db):
    report = _run(_xlsx([["名称", "排序"], ["甲局", 1], [None, None], ["乙局", 2.0]]), "部门.xlsx")
    assert report.ok and report.created == 2
    assert Department.objects.get(name="乙局").sort_order == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("部门.txt", b"x", "仅支持 .xlsx 或 .csv"),
        ("部门.xlsx", b"not a zip file at all", "不是 Excel 工作簿"),
        ("部门.csv", b"PK\x03\x04rest", "改用 .xlsx"),
        ("部门.csv", b"", "文件是空的"),
        ("部门.csv", "简称\n甲\n".encode(), "缺少必需的列：部门名称"),
        ("部门.csv", "部门名称\n".encode(), "没有数据行"),
    ],
)
def test_it_refuses_bad_files_as_a_whole(db, name, content, message):
    report = DepartmentImport().run(io.BytesIO(content), filename=name, size=len(content))
    assert not report.ok
    assert message in report.errors[0].message
    assert report.errors[0].row == 0


def test_it_refuses_a_file_over_the_size_limit(db, settings):
    settings.IMPORT_MAX_BYTES = 10
    data = GOOD.encode()
    report = DepartmentImport().run(io.BytesIO(data), filename="部门.csv", size=len(data))
    assert "超过" in report.errors[0].message
    assert not Department.objects.exists()


def test_the_report_survives_a_round_trip_through_json(db):
    from shijiazhuang_sr.core.imports import ImportReport

    report = _run(_csv("部门名称,排序\n甲局,x\n"))
    again = ImportReport.from_dict(report.to_dict())
    assert again.lines() == report.lines()


def test_the_web_flow_previews_then_confirms(db, section4, client_for, monkeypatch):
    from shijiazhuang_sr.core import import_registry

    monkeypatch.setitem(
        import_registry.IMPORT_KINDS,
        "departments-test",
        import_registry.ImportKind(
            importer=f"{__name__}.DepartmentImport",
            permission="inspectors.change_department",
            back_url="core:home",
        ),
    )
    client = client_for(section4)
    upload = SimpleUploadedFile("部门.csv", GOOD.encode(), content_type="text/csv")
    response = client.post("/imports/departments-test/", {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "预检通过" in preview and "确认导入" in preview
    assert not Department.objects.filter(name="甲局").exists()
    batch_url = response["Location"]
    response = client.post(batch_url + "apply/")
    assert response.status_code == 302
    assert Department.objects.filter(name="甲局").exists()
    assert AuditEntry.objects.filter(event="core.import.departments-test.applied").exists()
    # A confirmed batch cannot be applied twice.
    again = client.post(batch_url + "apply/", follow=True)
    assert "已处理，不能重复导入" in again.content.decode()
    assert Department.objects.filter(name="甲局").count() == 1


def test_only_the_uploader_confirms_a_batch(db, section4, client_for, monkeypatch):
    from shijiazhuang_sr.core import import_registry
    from tests.factories import UserFactory

    monkeypatch.setitem(
        import_registry.IMPORT_KINDS,
        "departments-test",
        import_registry.ImportKind(
            importer=f"{__name__}.DepartmentImport",
            permission="inspectors.change_department",
            back_url="core:home",
        ),
    )
    upload = SimpleUploadedFile("部门.csv", GOOD.encode())
    batch_url = client_for(section4).post("/imports/departments-test/", {"file": upload})[
        "Location"
    ]
    colleague = UserFactory(username="colleague", roles=["综合执法四科"])
    assert client_for(colleague).post(batch_url + "apply/").status_code == 403
    assert not Department.objects.filter(name="甲局").exists()


def test_the_web_flow_shows_errors_and_offers_no_confirmation(
    db, section4, client_for, monkeypatch
):
    from shijiazhuang_sr.core import import_registry

    monkeypatch.setitem(
        import_registry.IMPORT_KINDS,
        "departments-test",
        import_registry.ImportKind(
            importer=f"{__name__}.DepartmentImport",
            permission="inspectors.change_department",
            back_url="core:home",
        ),
    )
    client = client_for(section4)
    upload = SimpleUploadedFile("部门.csv", (GOOD + "坏局,,\n").encode())
    response = client.post("/imports/departments-test/", {"file": upload}, follow=True)
    page = response.content.decode()
    assert "导入未保存" in page and "第 6 行" in page
    assert "确认导入" not in page

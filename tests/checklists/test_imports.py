"""Import of the item list (xlsx/csv): all or nothing, a row report, versions for changes, and
export → import changes nothing."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from checklists.imports import CheckItemImport
from checklists.models import CheckItem, CheckItemVersion
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.core.models import ImportBatch
from tests.checklists.factories import SupervisionSectorFactory, bureau_section, make_item
from tests.inspectors.factories import TagFactory

HEADER = [
    "事项编码",
    "事项名称",
    "事项类别",
    "检查方式",
    "责任科室",
    "适用行业领域",
    "检查内容及要求",
    "检查依据",
    "建议抽查比例（%）",
    "建议抽查频次（次/年）",
    "比例和频次说明",
    "每家企业年度检查上限（次）",
    "执法专长要求",
    "生效日期",
    "修订原因",
]
BASES = (
    "部门规章｜《工贸企业粉尘防爆安全规定》（应急管理部令第6号）｜第十条｜\n"
    "国家标准｜GB 15577-2018《粉尘防爆安全规程》｜第6章｜"
)


def row(**values):
    base = {
        "事项编码": "HB-GM-001",
        "事项名称": "粉尘防爆安全管理",
        "事项类别": "重点检查事项",
        "检查方式": "现场检查、书面检查",
        "责任科室": "工贸行业安全监督管理科",
        "适用行业领域": "粉尘涉爆",
        "检查内容及要求": (
            "1. 是否开展粉尘爆炸风险辨识\n2、除尘系统是否按规范设置\n（3）是否落实粉尘清理制度"
        ),
        "检查依据": BASES,
        "建议抽查比例（%）": "5",
        "建议抽查频次（次/年）": "",
        "比例和频次说明": "",
        "每家企业年度检查上限（次）": "2",
        "执法专长要求": "粉尘防爆",
        "生效日期": "2025/1/1",
        "修订原因": "",
    }
    base.update(values)
    return [base[header] for header in HEADER]


def xlsx(*rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(content: bytes, name="items.xlsx", dry_run=False, by=None):
    return CheckItemImport().run(
        io.BytesIO(content), filename=name, size=len(content), by=by, dry_run=dry_run
    )


def setup_vocabulary():
    bureau_section("工贸行业安全监督管理科")
    SupervisionSectorFactory(code="dust", name="粉尘涉爆")
    TagFactory(kind="expertise", name="粉尘防爆")


def test_it_imports_a_new_item_with_lists_in_cells(section4):
    setup_vocabulary()
    report = run(xlsx(row()), by=section4)
    assert report.ok, report.lines()
    assert (report.created, report.updated) == (1, 0)
    item = CheckItem.objects.get(code="HB-GM-001")
    assert [sub.content for sub in item.sub_items.all()] == [
        "是否开展粉尘爆炸风险辨识",
        "除尘系统是否按规范设置",
        "是否落实粉尘清理制度",
    ]
    assert [(b.kind, b.article) for b in item.legal_bases.all()] == [
        ("department_rule", "第十条"),
        ("national_standard", "第6章"),
    ]
    assert item.methods == ["onsite", "document"]
    assert item.annual_cap == 2 and item.required_expertise.name == "粉尘防爆"
    assert item.versions.get().reason == "导入文件 items.xlsx"
    entry = AuditEntry.objects.get(event="checklists.item.imported")
    assert entry.channel == "import" and entry.data["row"] == 2


def test_a_dry_run_saves_nothing(db):
    setup_vocabulary()
    report = run(xlsx(row()), dry_run=True)
    assert report.ok and report.created == 1
    assert not CheckItem.objects.exists()


def test_one_bad_row_saves_nothing_and_every_error_is_reported(db):
    setup_vocabulary()
    report = run(
        xlsx(
            row(),
            row(事项编码="HB-GM-002", 事项类别="特别", 检查方式="飞行检查"),
            row(事项编码="HB-GM-003", 责任科室="不存在科", 适用行业领域="航天"),
            row(事项编码="HB-GM-004", 检查依据="法典｜《某法》｜第一条"),
            row(事项编码="HB-GM-001"),
        )
    )
    assert not report.ok
    messages = report.lines()
    text = "\n".join(messages)
    assert "第 3 行「事项类别」：应为“重点检查事项”或“一般检查事项”" in text
    assert "第 3 行「检查方式」" in text and "飞行检查" in text
    assert "第 4 行「责任科室」：找不到该科室" in text
    assert "第 4 行「适用行业领域」：不是已登记的监管行业领域" in text
    assert "第 5 行「检查依据」：第 1 条依据的类别“法典”无效" in text
    assert "第 6 行「事项编码」：与第 2 行重复" in text
    assert not CheckItem.objects.exists()


def test_a_change_to_an_existing_item_needs_a_reason_and_makes_a_version(section4):
    setup_vocabulary()
    run(xlsx(row()), by=section4)
    changed = row()
    changed[HEADER.index("每家企业年度检查上限（次）")] = "1"
    report = run(xlsx(changed))
    assert not report.ok
    assert "修改已有事项须填写修订原因（本行修改了：每家企业年度检查上限（次））" in "\n".join(
        report.lines()
    )
    changed[HEADER.index("修订原因")] = "落实减少涉企检查要求"
    report = run(xlsx(changed), by=section4)
    assert report.ok and report.updated == 1
    item = CheckItem.objects.get(code="HB-GM-001")
    assert item.annual_cap == 1 and item.version == 2
    version = item.versions.get(number=2)
    assert version.event == CheckItemVersion.Event.CHANGED
    assert version.reason == "落实减少涉企检查要求"
    assert version.changes == {"annual_cap": [2, 1]}


def test_a_retired_item_cannot_be_changed_by_an_import(db):
    setup_vocabulary()
    from checklists.selectors import today

    make_item(
        code="HB-GM-001",
        name="旧名",
        responsible_section=bureau_section("工贸行业安全监督管理科"),
        retired_from=today(),
    )
    report = run(xlsx(row(修订原因="改名")))
    assert "已于" in "\n".join(report.lines()) and "不能通过导入修改" in "\n".join(report.lines())


def test_export_then_import_changes_nothing(client_for, section4):
    setup_vocabulary()
    run(xlsx(row(), row(事项编码="HB-GM-002", 事项名称="有限空间", 适用行业领域="")), by=section4)
    make_item(code="HB-EXCERPT", name="带摘录的事项")  # a legal basis with an excerpt
    response = client_for(section4).get("/checklists/items/export/?status=all")
    report = run(response.content, name="export.xlsx")
    assert report.ok, report.lines()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    csv_response = client_for(section4).get("/checklists/items/export/?format=csv")
    content = b"".join(csv_response.streaming_content)
    report = run(content, name="export.csv")
    assert report.ok, report.lines()
    assert report.unchanged == 3


def test_a_gbk_csv_from_excel_is_read(db):
    setup_vocabulary()
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerow(row())
    report = run(buffer.getvalue().encode("gb18030"), name="items.csv")
    assert report.ok, report.lines()


def test_missing_required_columns_are_named(db):
    report = run(xlsx(["HB-1"], header=["事项编码"]))
    assert "缺少必需的列" in report.lines()[1] and "检查依据" in report.lines()[1]


def test_the_web_import_previews_then_saves(client_for, section4):
    setup_vocabulary()
    client = client_for(section4)
    upload = SimpleUploadedFile("清单.xlsx", xlsx(row()))
    response = client.post("/imports/items/", {"file": upload})
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/imports/batch/{batch.pk}/"
    page = client.get(f"/imports/batch/{batch.pk}/").content.decode()
    assert "预检通过" in page and "HB-GM-001 粉尘防爆安全管理" in page
    assert not CheckItem.objects.exists()
    response = client.post(f"/imports/batch/{batch.pk}/apply/")
    assert response["Location"] == "/checklists/"
    assert CheckItem.objects.filter(code="HB-GM-001").exists()


def test_the_import_page_explains_the_layout(client_for, section4):
    page = client_for(section4).get("/imports/items/").content.decode()
    assert "类别｜法律法规或标准名称｜条款｜条文摘录" in page
    template = client_for(section4).get("/imports/items/template/")
    header = next(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert list(header) == HEADER

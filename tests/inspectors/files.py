"""Build justice-bureau export files (xlsx / csv) for the import tests."""

import csv
import io

from openpyxl import Workbook

from inspectors.imports import InspectorImport
from inspectors.models import Department, Section, Tag
from tests.factories import DepartmentFactory, SectionFactory
from tests.inspectors.factories import TagFactory

HEADERS = [
    "姓名",
    "执法证号",
    "证件类型",
    "发证机关",
    "有效期自",
    "有效期至",
    "所属部门",
    "所属科室",
    "执法人员种类",
    "执法领域",
    "执法专长",
    "联系电话",
    "司法局库记录号",
]


def setup_roster():
    """The departments, sections and tags the files below refer to."""
    bureau = DepartmentFactory(name="石家庄市应急管理局")
    fire = DepartmentFactory(name="石家庄市消防救援支队", short_name="市消防救援支队")
    # The personas may have created these already (get_or_create): set the short names here.
    Department.objects.filter(pk=bureau.pk).update(short_name="市应急管理局")
    for name, short in (
        ("危险化学品安全监督管理科", "危化科"),
        ("工贸行业安全监督管理科", "工贸科"),
    ):
        section = SectionFactory(department=bureau, name=name)
        Section.objects.filter(pk=section.pk).update(short_name=short)
    SectionFactory(department=fire, name="防火监督处")
    for name in ("危险化学品", "工贸", "消防"):
        TagFactory(kind=Tag.Kind.FIELD, name=name)
    for name in ("化工工艺", "电气安全", "粉尘防爆", "消防设施"):
        TagFactory(kind=Tag.Kind.EXPERTISE, name=name)


def person(n: int = 1, **overrides) -> dict:
    row = {
        "姓名": f"测试员{n}",
        "执法证号": f"13010020{n:05d}",
        "证件类型": "河北省行政执法证",
        "发证机关": "石家庄市人民政府",
        "有效期自": "2023-01-01",
        "有效期至": "2028-01-01",
        "所属部门": "石家庄市应急管理局",
        "所属科室": "危化科",
        "执法人员种类": "监管执法人员",
        "执法领域": "危险化学品",
        "执法专长": "化工工艺、电气安全",
        "联系电话": "13800000000",
        "司法局库记录号": f"SJZ-{n}",
    }
    return row | overrides


def xlsx(rows: list[dict], headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], encoding="utf-8-sig", headers=HEADERS) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in headers])
    return text.getvalue().encode(encoding)


def run(data: bytes, filename="export.xlsx", *, by=None, dry_run=False, importer=None):
    importer = importer or InspectorImport()
    return importer.run(io.BytesIO(data), filename=filename, size=len(data), by=by, dry_run=dry_run)

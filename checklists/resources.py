"""The flat spreadsheet layout of the item list, shared by the export and the import.

One row per item. The two lists of an item are one cell each, one entry per line:

- 检查内容及要求: one sub-item per line; a leading "1." "2、" "（3）" is numbering and is dropped.
- 检查依据: one provision per line, four parts separated by a vertical bar "｜" (or "|"):
  类别｜法律法规或标准名称｜条款｜条文摘录, e.g.
  法律｜《中华人民共和国安全生产法》｜第二十一条｜生产经营单位的主要负责人对本单位安全生产工作负有下列职责……
- 检查方式 and 适用行业领域: names separated by "、" (also accepted: "；" ";" "，" ",").

The export writes exactly what the import reads, so export → import changes nothing.
Columns after 修订原因 (状态, 停用日期, 停用原因, 当前版本) are for reading; the import
ignores them.
"""

from __future__ import annotations

import re

from import_export import resources
from import_export.fields import Field

from checklists.models import CheckItem, LegalBasisKind, method_labels

H_CODE = "事项编码"
H_NAME = "事项名称"
H_CATEGORY = "事项类别"
H_METHODS = "检查方式"
H_SECTION = "责任科室"
H_SECTORS = "适用行业领域"
H_SUB_ITEMS = "检查内容及要求"
H_LEGAL_BASES = "检查依据"
H_RATIO = "建议抽查比例（%）"
H_FREQUENCY = "建议抽查频次（次/年）"
H_FREQUENCY_NOTE = "比例和频次说明"
H_CAP = "每家企业年度检查上限（次）"
H_EXPERTISE = "执法专长要求"
H_EFFECTIVE = "生效日期"
H_REASON = "修订原因"
H_STATUS = "状态"
H_RETIRED = "停用日期"
H_RETIRE_REASON = "停用原因"
H_VERSION = "当前版本"

LIST_SEPARATORS = re.compile(r"[、；;，,]")
BASIS_SEPARATOR = re.compile(r"[｜|]")
NUMBERING = re.compile(r"^\s*(?:[（(]\d{1,3}[)）]|\d{1,3}[、．]|\d{1,3}\.(?!\d))\s*")
KIND_BY_LABEL = {label: value for value, label in LegalBasisKind.choices}


def section_label(section) -> str:
    """How a section is named in the file: its name, prefixed by its department outside the
    bureau ("石家庄市市场监督管理局/特种设备安全监察科")."""
    if section.department.is_own_bureau:
        return section.name
    return f"{section.department.name}/{section.name}"


def sub_items_cell(item) -> str:
    return "\n".join(
        f"{number}. {sub.content}" for number, sub in enumerate(item.sub_items.all(), start=1)
    )


def legal_bases_cell(item) -> str:
    return "\n".join(
        "｜".join([basis.get_kind_display(), basis.title, basis.article, basis.excerpt])
        for basis in item.legal_bases.all()
    )


def split_list(text: str) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(text or "") if part.strip()]


def parse_sub_items(text: str) -> list[str]:
    return [NUMBERING.sub("", line).strip() for line in (text or "").splitlines() if line.strip()]


def parse_legal_bases(text: str) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    """(kind, title, article, excerpt) per line, and the problems found, in Chinese."""
    rows, problems = [], []
    lines = [line for line in (text or "").splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        parts = [part.strip() for part in BASIS_SEPARATOR.split(line, maxsplit=3)]
        parts += [""] * (4 - len(parts))
        kind_label, title, article, excerpt = parts
        kind = KIND_BY_LABEL.get(kind_label)
        if kind is None:
            problems.append(
                f"第 {number} 条依据的类别“{kind_label}”无效，应为"
                f"{'、'.join(KIND_BY_LABEL)}之一（格式：类别｜名称｜条款｜条文摘录）"
            )
            continue
        if not title:
            problems.append(
                f"第 {number} 条依据缺少法律法规或标准名称（格式：类别｜名称｜条款｜条文摘录）"
            )
            continue
        rows.append((kind, title, article, excerpt))
    return rows, problems


def _number(value) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)


class CheckItemResource(resources.Resource):
    """The export of the item list, in the import's layout (django-import-export)."""

    code = Field(attribute="code", column_name=H_CODE)
    name = Field(attribute="name", column_name=H_NAME)
    category = Field(column_name=H_CATEGORY)
    methods = Field(column_name=H_METHODS)
    section = Field(column_name=H_SECTION)
    sectors = Field(column_name=H_SECTORS)
    sub_items = Field(column_name=H_SUB_ITEMS)
    legal_bases = Field(column_name=H_LEGAL_BASES)
    ratio = Field(column_name=H_RATIO)
    frequency = Field(column_name=H_FREQUENCY)
    frequency_note = Field(attribute="frequency_note", column_name=H_FREQUENCY_NOTE)
    cap = Field(column_name=H_CAP)
    expertise = Field(column_name=H_EXPERTISE)
    effective = Field(column_name=H_EFFECTIVE)
    reason = Field(column_name=H_REASON)
    status = Field(column_name=H_STATUS)
    retired = Field(column_name=H_RETIRED)
    retire_reason = Field(attribute="retire_reason", column_name=H_RETIRE_REASON)
    version = Field(attribute="version", column_name=H_VERSION)

    class Meta:
        model = CheckItem

    def dehydrate_category(self, item):
        return item.get_category_display()

    def dehydrate_methods(self, item):
        return "、".join(method_labels(item.methods))

    def dehydrate_section(self, item):
        return section_label(item.responsible_section)

    def dehydrate_sectors(self, item):
        return "、".join(sector.name for sector in item.sectors.all())

    def dehydrate_sub_items(self, item):
        return sub_items_cell(item)

    def dehydrate_legal_bases(self, item):
        return legal_bases_cell(item)

    def dehydrate_ratio(self, item):
        return _number(item.ratio_percent)

    def dehydrate_frequency(self, item):
        return _number(item.frequency_per_year)

    def dehydrate_cap(self, item):
        return _number(item.annual_cap)

    def dehydrate_expertise(self, item):
        return item.required_expertise.name if item.required_expertise_id else ""

    def dehydrate_effective(self, item):
        return item.effective_from.isoformat()

    def dehydrate_reason(self, item):
        return ""

    def dehydrate_status(self, item):
        return item.get_status_display()

    def dehydrate_retired(self, item):
        return item.retired_from.isoformat() if item.retired_from else ""

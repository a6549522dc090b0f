"""Import of the item list from xlsx/csv: all or nothing, with a row report (see resources.py
for the layout). Rows are matched on 事项编码: a new code adds an item, a known code makes a
new version of it (修订原因 then required). Retired items cannot be changed by an import."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import widgets

from checklists.models import CheckItem, CheckItemVersion, Method, SupervisionSector
from checklists.resources import (
    H_CAP,
    H_CATEGORY,
    H_CODE,
    H_EFFECTIVE,
    H_EXPERTISE,
    H_FREQUENCY,
    H_FREQUENCY_NOTE,
    H_LEGAL_BASES,
    H_METHODS,
    H_NAME,
    H_RATIO,
    H_REASON,
    H_SECTION,
    H_SECTORS,
    H_SUB_ITEMS,
    parse_legal_bases,
    parse_sub_items,
    section_label,
    split_list,
)
from checklists.services.items import creation_changes, record_version, save_item_content
from checklists.specs import DOCUMENT_LABELS, ItemSpec, LegalBasisSpec, item_document, spec_document
from inspectors.models import Section, Tag
from shijiazhuang_sr.audit.services import diff
from shijiazhuang_sr.core.imports import Column, ParsedRow, TabularImport, date_widget

CATEGORY_BY_LABEL = {
    "重点检查事项": CheckItem.Category.KEY,
    "重点": CheckItem.Category.KEY,
    "一般检查事项": CheckItem.Category.GENERAL,
    "一般": CheckItem.Category.GENERAL,
}
METHOD_BY_LABEL = {label: value for value, label in Method.choices}


class CheckItemImport(TabularImport):
    title = "抽查事项清单"
    event = "checklists.item.imported"
    key = "code"
    batch_size = 500
    columns = (
        Column(H_CODE, "code", required=True, aliases=("编码", "监管事项编码")),
        Column(H_NAME, "name", required=True, aliases=("抽查事项", "名称")),
        Column(H_CATEGORY, "category", required=True, aliases=("类别",)),
        Column(H_METHODS, "methods", required=True, aliases=("抽查方式",)),
        Column(H_SECTION, "section", required=True, aliases=("责任科室（部门）",)),
        Column(H_SECTORS, "sectors", aliases=("行业领域",)),
        Column(H_SUB_ITEMS, "sub_items", required=True, aliases=("检查内容",)),
        Column(H_LEGAL_BASES, "legal_bases", required=True, aliases=("法律依据",)),
        Column(H_RATIO, "ratio_percent", widget=widgets.DecimalWidget(), aliases=("抽查比例",)),
        Column(H_FREQUENCY, "frequency_per_year", widget=widgets.IntegerWidget()),
        Column(H_FREQUENCY_NOTE, "frequency_note"),
        Column(H_CAP, "annual_cap", widget=widgets.IntegerWidget(), aliases=("年度检查上限",)),
        Column(H_EXPERTISE, "expertise"),
        Column(H_EFFECTIVE, "effective_from", widget=date_widget(), required=True),
        Column(H_REASON, "reason", aliases=("变更原因",)),
    )

    def run(self, stream, *, filename: str, **kwargs):
        self.filename = filename
        return super().run(stream, filename=filename, **kwargs)

    # --- one row, no database ----------------------------------------------------------------
    def clean_row(self, row: ParsedRow) -> None:
        values = row.values
        values["code"] = values["code"].strip()
        row.label = f"{values['code']} {values.get('name') or ''}".strip()
        category = CATEGORY_BY_LABEL.get(values["category"].strip())
        if category is None:
            row.error(H_CATEGORY, "应为“重点检查事项”或“一般检查事项”", values["category"])
        values["category"] = category

        methods = []
        for label in split_list(values["methods"]):
            method = METHOD_BY_LABEL.get(label)
            if method is None:
                row.error(H_METHODS, f"未知的检查方式，应为{'、'.join(METHOD_BY_LABEL)}", label)
            elif method not in methods:
                methods.append(method)
        values["methods"] = methods

        values["sub_items"] = parse_sub_items(values["sub_items"])
        if not values["sub_items"]:
            row.error(H_SUB_ITEMS, "至少要有一条检查内容及要求")
        bases, problems = parse_legal_bases(values["legal_bases"])
        for problem in problems:
            row.error(H_LEGAL_BASES, problem)
        values["legal_bases"] = [LegalBasisSpec(*basis) for basis in bases]
        if not bases and not problems:
            row.error(H_LEGAL_BASES, "至少要有一条检查依据")

        ratio = values.get("ratio_percent")
        if ratio is not None and not 0 < ratio <= 100:
            row.error(H_RATIO, "应大于 0 且不超过 100", ratio)
        for name, header in (("frequency_per_year", H_FREQUENCY), ("annual_cap", H_CAP)):
            number = values.get(name)
            if number is not None and number < 1:
                row.error(header, "应为正整数（不设上限请留空）", number)
        values["sectors"] = split_list(values.get("sectors") or "")

    # --- a batch, with the database ----------------------------------------------------------
    def _lookups(self):
        if hasattr(self, "_sections"):
            return
        sections = Section.objects.select_related("department")
        by_label: dict[str, list[Section]] = {}
        for section in sections:
            labels = {section.name, section_label(section)}
            if section.short_name:
                labels.add(section.short_name)
            department = section.department
            if department.short_name:
                labels.add(f"{department.short_name}/{section.name}")
            for label in labels:
                by_label.setdefault(label, []).append(section)
        self._sections = by_label
        self._sectors = {sector.name: sector for sector in SupervisionSector.objects.all()}
        self._expertise = {tag.name: tag for tag in Tag.objects.filter(kind=Tag.Kind.EXPERTISE)}

    def _section(self, row: ParsedRow, label: str):
        found = {section.pk: section for section in self._sections.get(label.strip(), [])}
        if not found:
            row.error(H_SECTION, "找不到该科室，请填写科室全称或简称", label)
            return None
        if len(found) > 1:
            row.error(H_SECTION, "多个部门有同名科室，请写作“部门名称/科室名称”", label)
            return None
        return next(iter(found.values()))

    def check_batch(self, rows: list[ParsedRow]) -> None:
        self._lookups()
        existing = {
            item.code: item
            for item in CheckItem.objects.filter(code__in=[row.values["code"] for row in rows])
            .select_related("responsible_section__department", "required_expertise")
            .prefetch_related("sectors", "sub_items", "legal_bases")
        }
        today = timezone.localdate()
        for row in rows:
            values = row.values
            section = self._section(row, values["section"])
            sectors = []
            for name in values["sectors"]:
                sector = self._sectors.get(name)
                if sector is None:
                    row.error(H_SECTORS, "不是已登记的监管行业领域", name)
                else:
                    sectors.append(sector)
            expertise = None
            if values.get("expertise"):
                expertise = self._expertise.get(values["expertise"].strip())
                if expertise is None:
                    row.error(H_EXPERTISE, "不是已登记的执法专长标签", values["expertise"])
            if row.errors:
                continue
            spec = ItemSpec(
                code=values["code"],
                name=values["name"],
                category=values["category"],
                methods=values["methods"],
                responsible_section=section,
                effective_from=values["effective_from"],
                sectors=sectors,
                ratio_percent=values.get("ratio_percent"),
                frequency_per_year=values.get("frequency_per_year"),
                frequency_note=values.get("frequency_note") or "",
                annual_cap=values.get("annual_cap"),
                required_expertise=expertise,
                sub_items=values["sub_items"],
                legal_bases=values["legal_bases"],
            )
            self._check_fields(row, spec)
            item = existing.get(spec.code)
            values["spec"], values["item"] = spec, item
            if item is None or row.errors:
                continue
            before = item_document(item)
            changes = diff(before, {**before, **spec_document(spec)})
            values["changes"] = changes
            if not changes:
                continue
            if item.retired_from is not None and item.retired_from <= today:
                row.error(
                    H_CODE,
                    f"该事项已于{item.retired_from:%Y-%m-%d}停用，不能通过导入修改",
                    spec.code,
                )
            elif not (values.get("reason") or "").strip():
                changed = "、".join(DOCUMENT_LABELS.get(name, name) for name in changes)
                row.error(H_REASON, f"修改已有事项须填写修订原因（本行修改了：{changed}）")

    def _check_fields(self, row: ParsedRow, spec: ItemSpec) -> None:
        """The model's own field rules (lengths, formats), reported against the columns."""
        headers = {
            "code": H_CODE,
            "name": H_NAME,
            "frequency_note": H_FREQUENCY_NOTE,
            "ratio_percent": H_RATIO,
            "annual_cap": H_CAP,
            "frequency_per_year": H_FREQUENCY,
            "sub_items": H_SUB_ITEMS,
            "legal_bases": H_LEGAL_BASES,
        }
        candidate = CheckItem(
            **{
                name: getattr(spec, name)
                for name in ("code", "name", "category", "methods", "effective_from")
            },
            frequency_note=spec.frequency_note,
            ratio_percent=spec.ratio_percent,
            annual_cap=spec.annual_cap,
            frequency_per_year=spec.frequency_per_year,
        )
        try:
            spec.normalize()
            spec.check_lists()
            candidate.full_clean(
                exclude=["responsible_section", "required_expertise", "code"],
                validate_unique=False,
                validate_constraints=False,
            )
            if len(spec.code) > 50:
                raise ValidationError({"code": "事项编码不能超过 50 个字符。"})
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    row.error(headers.get(name, ""), message)

    def write_batch(self, rows: list[ParsedRow], *, by) -> None:
        default_reason = f"导入文件 {getattr(self, 'filename', '')}".strip()
        for row in rows:
            values = row.values
            spec, item = values["spec"], values["item"]
            reason = (values.get("reason") or "").strip()[:200]
            if item is None:
                item = save_item_content(CheckItem(version=1), spec)
                row.changes = creation_changes(item_document(item))
                record_version(
                    item,
                    event=CheckItemVersion.Event.CREATED,
                    reason=reason or default_reason,
                    by=by,
                    changes=row.changes,
                )
                row.outcome = "created"
            elif values.get("changes"):
                save_item_content(item, spec)
                item.version += 1
                item.save(update_fields=["version", "updated_at"])
                row.changes = values["changes"]
                record_version(
                    item,
                    event=CheckItemVersion.Event.CHANGED,
                    reason=reason,
                    by=by,
                    changes=row.changes,
                )
                row.outcome = "updated"
            else:
                row.outcome = "unchanged"
            row.instance = item

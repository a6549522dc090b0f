"""Import of the justice bureau's export of enforcement officers (市司法局执法人员数据库).

The roster is upserted by 执法证号: a known card number updates that inspector, an unknown one
adds an inspector, who is 在岗 from the card's valid-from date (or from the import date when
the card only becomes valid later). The whole file is saved, or nothing (the core driver).

Cell rules, chosen so that re-importing the export never undoes the bureau's own work:

- An empty optional cell keeps the roster's value (the export does not know phone numbers
  the bureau added, and a blank is not a deliberate "erase").
- 执法领域 / 执法专长 list tags separated by commas, 、 or semicolons. A non-empty cell sets
  the inspector's tags of that kind to exactly those listed; an empty cell keeps them.
- Departments and sections are matched by full or short name; tags and the fixed choices
  (证件类型, 执法人员种类) by name. Anything unknown is an error of that row.

The same parsing feeds the "应纳尽纳" reconciliation (`ReconciliationImport`), which
compares instead of writing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Model
from django.utils import timezone

from inspectors.models import Department, Inspector, InspectorStatusPeriod, Section, Tag
from shijiazhuang_sr.core.imports import Column, ParsedRow, TabularImport, date_widget

CARD_TYPES = {label: value for value, label in Inspector.CardType.choices} | {
    "行政执法证": Inspector.CardType.HEBEI_ENFORCEMENT,
    "河北省行政执法证件": Inspector.CardType.HEBEI_ENFORCEMENT,
    "综合行政执法证": Inspector.CardType.EMERGENCY,
    "应急管理行政执法证": Inspector.CardType.EMERGENCY,
    "其他": Inspector.CardType.OTHER,
}
CATEGORIES = {label: value for value, label in Inspector.Category.choices} | {
    "监管执法": Inspector.Category.SUPERVISION,
    "综合执法": Inspector.Category.COMPREHENSIVE,
    "综合行政执法": Inspector.Category.COMPREHENSIVE,
    "综合执法人员": Inspector.Category.COMPREHENSIVE,
    "兼职": Inspector.Category.PART_TIME,
    "兼职执法": Inspector.Category.PART_TIME,
}
CERT_NO_PATTERN = re.compile(r"^[0-9A-Z][0-9A-Z-]{3,39}$")
PHONE_PATTERN = re.compile(r"^[0-9+\-() ]{5,30}$")
TAG_SEPARATORS = re.compile(r"[,，、;；]+")

# Fields the export can set on an inspector; the order is the order of audit and preview.
SCALAR_FIELDS = (
    "name",
    "card_type",
    "issuing_authority",
    "card_valid_from",
    "card_valid_to",
    "department",
    "section",
    "category",
    "phone",
    "justice_record_id",
)
TAG_COLUMNS = {"field_tags": Tag.Kind.FIELD, "expertise_tags": Tag.Kind.EXPERTISE}
MAX_LENGTHS = {"name": 50, "issuing_authority": 100, "phone": 30, "justice_record_id": 60}
IMPORT_REASON = "司法局执法人员数据库导入"

COLUMNS = (
    Column("姓名", "name", required=True, aliases=("执法人员姓名", "人员姓名")),
    Column(
        "执法证号",
        "cert_no",
        required=True,
        aliases=("执法证件号", "执法证件号码", "执法证编号", "执法证件编号", "证件号码", "证号"),
    ),
    Column("证件类型", "card_type", aliases=("执法证类型", "执法证件类型", "证件种类")),
    Column("发证机关", "issuing_authority", aliases=("发证单位", "核发机关", "发证部门")),
    Column(
        "有效期自",
        "card_valid_from",
        widget=date_widget(),
        required=True,
        aliases=("有效期起", "有效期开始", "有效期开始日期", "有效起始日期", "发证日期"),
    ),
    Column(
        "有效期至",
        "card_valid_to",
        widget=date_widget(),
        required=True,
        aliases=("有效期止", "有效期截止", "有效期结束日期", "有效截止日期", "有效期截止日期"),
    ),
    Column(
        "所属部门",
        "department",
        required=True,
        aliases=("部门", "执法部门", "所在单位", "工作单位", "单位名称", "执法主体"),
    ),
    Column("所属科室", "section", aliases=("科室", "所在科室", "内设机构", "处室")),
    Column("执法人员种类", "category", aliases=("人员种类", "人员类别", "执法人员类别")),
    Column("执法领域", "field_tags", aliases=("执法领域标签", "领域")),
    Column("执法专长", "expertise_tags", aliases=("专长", "专业特长", "执法专长标签")),
    Column("联系电话", "phone", aliases=("电话", "手机", "手机号", "手机号码", "联系方式")),
    Column(
        "司法局库记录号",
        "justice_record_id",
        aliases=("记录号", "司法局记录号", "库记录号", "人员编号", "记录编号"),
    ),
)


def normalize_cert_no(text: str | None) -> str:
    """Trim, full-width → half-width, no inner spaces, upper case."""
    return unicodedata.normalize("NFKC", text or "").replace(" ", "").strip().upper()


def _choice_hint(choices: dict) -> str:
    return "、".join(dict.fromkeys(label for label in choices if len(label) > 3))


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value))


@dataclass
class RosterLookup:
    """Departments, sections and tags by name and by id, loaded once per import."""

    departments: dict[str, Department] = field(default_factory=dict)
    departments_by_id: dict[int, Department] = field(default_factory=dict)
    sections: dict[tuple[int, str], Section] = field(default_factory=dict)
    sections_by_id: dict[int, Section] = field(default_factory=dict)
    section_homes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    tags: dict[tuple[str, str], Tag] = field(default_factory=dict)
    tags_by_id: dict[int, Tag] = field(default_factory=dict)

    @classmethod
    def load(cls) -> RosterLookup:
        lookup = cls()
        for department in Department.objects.all():
            lookup.departments_by_id[department.pk] = department
            lookup.departments.setdefault(department.name, department)
            if department.short_name:
                lookup.departments.setdefault(department.short_name, department)
        for section in Section.objects.all():
            lookup.sections_by_id[section.pk] = section
            for name in dict.fromkeys(filter(None, (section.name, section.short_name))):
                lookup.sections.setdefault((section.department_id, name), section)
                home = lookup.departments_by_id[section.department_id].name
                lookup.section_homes[name].append(home)
        for tag in Tag.objects.all():
            lookup.tags_by_id[tag.pk] = tag
            lookup.tags[(tag.kind, tag.name)] = tag
        return lookup

    def tag_names(self, tag_ids) -> list[str]:
        return sorted(str(self.tags_by_id[tag_id]) for tag_id in tag_ids)

    def resolve(self, row: ParsedRow) -> None:
        """Turn the names in `row.values` into objects; unknown names are row errors."""
        values = row.values
        department = self.departments.get(values.get("department") or "")
        if department is None:
            row.error("所属部门", "部门不存在，请先在“部门与科室”中添加", values.get("department"))
        elif not department.is_active:
            row.error("所属部门", "部门已停用", department.name)
        values["department"] = department
        section_name = values.get("section")
        if section_name and department is not None:
            section = self.sections.get((department.pk, section_name))
            if section is None:
                homes = self.section_homes.get(section_name)
                if homes:
                    row.error(
                        "所属科室",
                        f"科室不属于“{department.name}”（属于：{'、'.join(homes)}）",
                        section_name,
                    )
                else:
                    row.error("所属科室", "科室不存在，请先在“部门与科室”中添加", section_name)
            elif not section.is_active:
                row.error("所属科室", "科室已停用", section_name)
            values["section"] = section
        for name, kind in TAG_COLUMNS.items():
            names = values.get(name)
            if not names:
                continue
            tags = []
            for tag_name in names:
                tag = self.tags.get((kind, tag_name))
                if tag is None:
                    row.error(
                        Tag.Kind(kind).label,
                        f"没有这个{Tag.Kind(kind).label}标签，请先在“人员标签”中添加",
                        tag_name,
                    )
                elif not tag.is_active:
                    row.error(Tag.Kind(kind).label, "标签已停用", tag_name)
                else:
                    tags.append(tag)
            values[name] = tags


def clean_values(row: ParsedRow) -> None:
    """The rules of one row that need no database; adds errors to the row."""
    values = row.values
    values["cert_no"] = cert_no = normalize_cert_no(values.get("cert_no"))
    if not CERT_NO_PATTERN.match(cert_no):
        row.error("执法证号", "执法证号只能由字母、数字和“-”组成，长度 4～40 位", cert_no)
    for name in ("name", "issuing_authority", "phone", "justice_record_id"):
        text = (values.get(name) or "").strip()
        values[name] = text or None
        if len(text) > MAX_LENGTHS[name]:
            header = next(c.header for c in COLUMNS if c.name == name)
            row.error(header, f"不能超过 {MAX_LENGTHS[name]} 个字", text)
    if values.get("phone") and not PHONE_PATTERN.match(values["phone"]):
        row.error("联系电话", "电话号码只能包含数字、“-”、“+”、括号和空格", values["phone"])
    for name, choices, header in (
        ("card_type", CARD_TYPES, "证件类型"),
        ("category", CATEGORIES, "执法人员种类"),
    ):
        text = (values.get(name) or "").strip()
        if not text:
            values[name] = None
        elif text in choices:
            values[name] = choices[text]
        else:
            row.error(header, f"不在可选范围内（可填：{_choice_hint(choices)}）", text)
    start, end = values.get("card_valid_from"), values.get("card_valid_to")
    if start and end and end < start:
        row.error("有效期至", f"有效期至早于有效期自（{start.isoformat()}）", end.isoformat())
    for name in ("department", "section"):
        values[name] = (values.get(name) or "").strip() or None
    for name in TAG_COLUMNS:
        text = values.get(name) or ""
        parts = (part.strip() for part in TAG_SEPARATORS.split(text))
        values[name] = list(dict.fromkeys(part for part in parts if part))


def readable(name: str, value):
    """A value as the audit trail and the preview show it."""
    if value is None:
        return None
    if name == "card_type":
        return _label(Inspector.CardType.choices, value)
    if name == "category":
        return _label(Inspector.Category.choices, value)
    if name == "status":
        return _label(Inspector.Status.choices, value)
    if isinstance(value, Model):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def wanted_tag_ids(current: set[int], values: dict, lookup: RosterLookup) -> set[int]:
    """The tag ids after applying the row: a non-empty tag cell replaces that kind's tags."""
    wanted = set(current)
    for name, kind in TAG_COLUMNS.items():
        tags = values.get(name)
        if tags:
            wanted = {tag_id for tag_id in wanted if lookup.tags_by_id[tag_id].kind != kind}
            wanted |= {tag.pk for tag in tags}
    return wanted


def differences(
    inspector: Inspector, values: dict, tag_ids: set[int], lookup: RosterLookup
) -> tuple[dict, dict, set[int]]:
    """What applying `values` would change: (readable changes, field updates, new tag ids).

    Pure: the inspector is not modified. Empty values keep the roster's value, except the
    section of an inspector who moves to another department without a section given.
    """
    changes, updates = {}, {}
    for name in SCALAR_FIELDS:
        new = values.get(name)
        if new in (None, ""):
            continue
        if name in ("department", "section"):
            old_id = getattr(inspector, f"{name}_id")
            if old_id == new.pk:
                continue
            by_id = lookup.departments_by_id if name == "department" else lookup.sections_by_id
            old = by_id.get(old_id)
        else:
            old = getattr(inspector, name)
            if old == new:
                continue
        changes[name] = [readable(name, old), readable(name, new)]
        updates[name] = new
    moved = updates.get("department")
    if moved is not None and "section" not in updates and inspector.section_id:
        # A new department without a section: the old section belongs to the old department.
        changes["section"] = [
            readable("section", lookup.sections_by_id[inspector.section_id]),
            None,
        ]
        updates["section"] = None
    new_tag_ids = wanted_tag_ids(tag_ids, values, lookup)
    if new_tag_ids != tag_ids:
        changes["tags"] = [lookup.tag_names(tag_ids), lookup.tag_names(new_tag_ids)]
    return changes, updates, new_tag_ids


def new_inspector(values: dict) -> Inspector:
    return Inspector(
        name=values["name"],
        cert_no=values["cert_no"],
        card_type=values.get("card_type") or Inspector.CardType.HEBEI_ENFORCEMENT,
        issuing_authority=values.get("issuing_authority") or "",
        card_valid_from=values["card_valid_from"],
        card_valid_to=values["card_valid_to"],
        department=values["department"],
        section=values.get("section"),
        category=values.get("category") or Inspector.Category.SUPERVISION,
        phone=values.get("phone") or "",
        justice_record_id=values.get("justice_record_id") or "",
        status=Inspector.Status.ON_DUTY,
    )


def first_on_duty_day(card_valid_from: dt.date, today: dt.date) -> dt.date:
    """A new inspector is 在岗 from the card's valid-from date, or today if that is later."""
    return min(card_valid_from, today)


def created_changes(inspector: Inspector, tag_ids: set[int], lookup: RosterLookup) -> dict:
    changes = {}
    for name in ("cert_no", *SCALAR_FIELDS):
        value = readable(name, getattr(inspector, name))
        if value not in (None, ""):
            changes[name] = [None, value]
    if tag_ids:
        changes["tags"] = [None, lookup.tag_names(tag_ids)]
    changes["status"] = [None, readable("status", inspector.status)]
    return changes


def export_values(values: dict) -> dict:
    """A cleaned row as JSON (names for objects), to apply later (reconciliation)."""
    data = {}
    for name in ("cert_no", *SCALAR_FIELDS):
        value = values.get(name)
        data[name] = str(value.name) if isinstance(value, Model) else readable("", value)
    for name in TAG_COLUMNS:
        data[name] = [tag.name for tag in values.get(name) or []]
    return data


def values_from_export(data: dict, lookup: RosterLookup) -> tuple[dict, list[str]]:
    """The inverse of `export_values`, against today's departments, sections and tags."""
    row = ParsedRow(number=0, raw={})
    values = dict(data)
    for name in ("card_valid_from", "card_valid_to"):
        values[name] = dt.date.fromisoformat(data[name])
    row.values = values
    lookup.resolve(row)
    return row.values, [f"「{e.column}」{e.message}（{e.value}）" for e in row.errors]


class InspectorImport(TabularImport):
    title = "执法人员名录库"
    event = "inspectors.inspector.imported"
    columns = COLUMNS
    key = "cert_no"

    def __init__(self):
        self.lookup: RosterLookup | None = None
        self.today = timezone.localdate()

    def clean_row(self, row: ParsedRow) -> None:
        clean_values(row)

    def check_batch(self, rows: list[ParsedRow]) -> None:
        if self.lookup is None:
            self.lookup = RosterLookup.load()
        for row in rows:
            self.lookup.resolve(row)

    def _existing(self, rows: list[ParsedRow]) -> tuple[dict, dict]:
        keys = [row.values["cert_no"] for row in rows]
        existing = {i.cert_no: i for i in Inspector.objects.filter(cert_no__in=keys)}
        tag_ids: dict[int, set[int]] = defaultdict(set)
        pairs = Inspector.tags.through.objects.filter(
            inspector_id__in=[i.pk for i in existing.values()]
        ).values_list("inspector_id", "tag_id")
        for inspector_id, tag_id in pairs:
            tag_ids[inspector_id].add(tag_id)
        return existing, tag_ids

    def write_batch(self, rows: list[ParsedRow], *, by) -> None:
        lookup, now = self.lookup, timezone.now()
        existing, current_tags = self._existing(rows)
        created, updated, fields = [], [], {"updated_at"}
        tag_adds, tag_removes = [], []
        for row in rows:
            values = row.values
            row.label = f"{values['cert_no']} {values['name']}"
            inspector = existing.get(values["cert_no"])
            if inspector is None:
                inspector = new_inspector(values)
                created.append((row, inspector, wanted_tag_ids(set(), values, lookup)))
                continue
            current = current_tags[inspector.pk]
            changes, updates, new_tag_ids = differences(inspector, values, current, lookup)
            row.instance = inspector
            if not changes:
                row.outcome = "unchanged"
                continue
            for name, value in updates.items():
                setattr(inspector, name, value)
            inspector.updated_at = now
            fields.update(updates)
            updated.append(inspector)
            tag_adds += [(inspector.pk, tag_id) for tag_id in new_tag_ids - current]
            tag_removes += [(inspector.pk, tag_id) for tag_id in current - new_tag_ids]
            row.outcome, row.changes = "updated", changes
        if created:
            Inspector.objects.bulk_create([inspector for _row, inspector, _tags in created])
        if updated:
            Inspector.objects.bulk_update(updated, sorted(fields), batch_size=500)
        periods = []
        for row, inspector, tag_ids in created:
            row.instance, row.outcome = inspector, "created"
            row.changes = created_changes(inspector, tag_ids, lookup)
            tag_adds += [(inspector.pk, tag_id) for tag_id in tag_ids]
            periods.append(
                InspectorStatusPeriod(
                    inspector=inspector,
                    status=Inspector.Status.ON_DUTY,
                    starts_on=first_on_duty_day(inspector.card_valid_from, self.today),
                    reason=IMPORT_REASON,
                    created_by=by,
                )
            )
        InspectorStatusPeriod.objects.bulk_create(periods, batch_size=1000)
        write_tag_pairs(adds=tag_adds, removes=tag_removes)


def write_tag_pairs(*, adds: list[tuple[int, int]], removes: list[tuple[int, int]]) -> None:
    """Bulk writes of the inspector ↔ tag through table."""
    through = Inspector.tags.through
    if adds:
        through.objects.bulk_create(
            [through(inspector_id=i, tag_id=t) for i, t in adds],
            batch_size=1000,
            ignore_conflicts=True,
        )
    by_tag: dict[int, list[int]] = defaultdict(list)
    for inspector_id, tag_id in removes:
        by_tag[tag_id].append(inspector_id)
    for tag_id, inspector_ids in by_tag.items():
        through.objects.filter(tag_id=tag_id, inspector_id__in=inspector_ids).delete()


@dataclass
class Comparison:
    """One export row against the roster."""

    cert_no: str
    name: str
    inspector: Inspector | None
    values: dict
    changes: dict


class ReconciliationImport(InspectorImport):
    """Parses the export like the import and compares it with the roster; writes nothing."""

    title = "应纳尽纳核对"
    event = ""

    def __init__(self):
        super().__init__()
        self.comparisons: list[Comparison] = []
        self.department_ids: set[int] = set()

    def write_batch(self, rows: list[ParsedRow], *, by) -> None:
        existing, current_tags = self._existing(rows)
        for row in rows:
            values = row.values
            row.outcome = "unchanged"  # nothing is written, so no audit entry either
            self.department_ids.add(values["department"].pk)
            inspector = existing.get(values["cert_no"])
            changes = {}
            if inspector is not None:
                changes, _updates, _tags = differences(
                    inspector, values, current_tags[inspector.pk], self.lookup
                )
            self.comparisons.append(
                Comparison(
                    cert_no=values["cert_no"],
                    name=values["name"],
                    inspector=inspector,
                    values=export_values(values),
                    changes=changes,
                )
            )

"""Imports of the enterprise register: the register itself, and the monthly credit grades.

Both run through the core driver (streamed, batched, all-or-nothing, row report) and back both
the web pages (upload → preview → confirm) and the commands `import_enterprises` and
`import_credit_grades`.

`EnterpriseImport` upserts by 统一社会信用代码. Cell rules, chosen so that re-importing a file
never undoes the bureau's own work:

- An empty optional cell keeps the register's value (a blank is not a deliberate "erase");
  a column missing from the file keeps it too. New enterprises get the defaults.
- 监管行业领域 / 负责科室 list names separated by commas, 、 or semicolons; a non-empty cell
  sets exactly those.
- 信用等级 (with its 等级生效日期, today when empty) sets the current grade and writes its
  history; the monthly grade file is the usual way to change grades.

`CreditGradeImport` takes the provincial platform's monthly file: 统一社会信用代码, 信用等级,
生效日期. A row whose grade is the enterprise's current grade changes nothing and writes no
history, so re-importing a file changes nothing.

Each batch costs a fixed number of queries whatever its size: one to read the batch's
enterprises by USCC (and one per many-to-many table), bulk inserts and updates of only the
changed rows, and the driver's bulk insert of the audit entries.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from import_export import widgets

from campaigns.models import (
    Area,
    CreditGrade,
    CreditGradeChange,
    Enterprise,
    EnterpriseSector,
)
from campaigns.models.register import name_grams, normalize_industry_code, validate_industry_code
from campaigns.services.register import KEY_REASON_MISSING, grade_change_problem
from campaigns.tasks import refresh_register_statistics
from campaigns.uscc import normalize_uscc, uscc_problem
from checklists.models import SupervisionSector
from inspectors.models import Section
from shijiazhuang_sr.core.imports import (
    ChineseBooleanWidget,
    Column,
    ImportReport,
    ParsedRow,
    TabularImport,
    date_widget,
)
from shijiazhuang_sr.core.queue import enqueue

SEPARATORS = re.compile(r"[,，、;；\n]+")
USCC_HEADER = "统一社会信用代码"


ENTERPRISE_DB_COLUMNS = [
    "uscc", "name", "name_grams", "legal_representative", "address", "area_id", "industry_code",
    "scale", "credit_grade", "credit_grade_date", "credit_grade_source", "is_key_supervision",
    "key_supervision_reason", "standardisation_level", "status", "contact_person",
    "contact_phone", "created_at", "updated_at",
]  # fmt: skip
GRADE_DATE_COLUMN = ENTERPRISE_DB_COLUMNS.index("credit_grade_date")
GRADE_CHANGE_DB_COLUMNS = [
    "enterprise_id", "old_grade", "new_grade", "effective_date", "source", "import_run",
    "recorded_by_id", "recorded_at",
]  # fmt: skip


def adapt_date(value):
    return None if value is None else connection.ops.adapt_datefield_value(value)


def adapt_datetime(value):
    return connection.ops.adapt_datetimefield_value(value)


def insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert plain rows fast: COPY on PostgreSQL, executemany elsewhere.

    Django's bulk_create prepares every value of every row through its field, which costs more
    than the database's own work for a 100,000-row import; these rows are already prepared
    (`adapt_date`, `adapt_datetime`, ids for foreign keys).
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Every value quoted, None unquoted and empty: COPY's CSV reads that as NULL, and
            # no text (not even "\\N") can be mistaken for it.
            lines = [",".join(map(_csv_field, row)) + "\n" for row in rows]
            cursor.copy_expert(
                f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)", io.StringIO("".join(lines))
            )
        else:
            marks = ", ".join(["%s"] * len(columns))
            # Table and column names come from the models, never from input.
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)


def _csv_field(value) -> str:
    return "" if value is None else '"' + str(value).replace('"', '""') + '"'


class DateWidget(widgets.DateWidget):
    """The usual spreadsheet date formats (core's date_widget), ISO dates parsed first: a
    100,000-row file spends seconds in strptime otherwise."""

    def __init__(self):
        super().__init__()
        self.formats = date_widget().formats

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str) and len(value) == 10:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        return super().clean(value, row, **kwargs)


class UsccWidget(widgets.CharWidget):
    """Normalises the code (full-width, spaces, case) so duplicates are found as the same code;
    `clean_row` then says precisely what is wrong with an invalid one."""

    def clean(self, value, row=None, **kwargs):
        return normalize_uscc(value)


def parse_grade(text: str | None) -> str | None:
    """The grade a cell means: "A", "a", "A级", "低风险", "A级（低风险）" → "A"; else None."""
    value = re.sub(r"\s+", "", normalize_uscc(text))
    labels = {"低风险": "A", "一般风险": "B", "较高风险": "C", "高风险": "D"}
    if value in labels:
        return labels[value]
    match = re.fullmatch(
        r"([ABCD])(?:级|类)?(?:[(（](低风险|一般风险|较高风险|高风险)[)）])?", value
    )
    if match is None:
        return None
    if match.group(2) and labels[match.group(2)] != match.group(1):
        return None
    return match.group(1)


GRADE_HINT = "应为 A、B、C、D（或 低风险、一般风险、较高风险、高风险）"
SCALES = {"规上": "above", "规模以上": "above", "规下": "below", "规模以下": "below"}
STANDARDISATION = {
    "一级": "1",
    "二级": "2",
    "三级": "3",
    "1": "1",
    "2": "2",
    "3": "3",
    "无": "none",
    "未达标": "none",
    "未评定": "none",
}
STATUSES = {label: value for value, label in Enterprise.Status.choices} | {
    "存续": "active",
    "在营": "active",
    "开业": "active",
    "存续（在营、开业、在册）": "active",
}
MAX_LENGTHS = {
    "name": 200,
    "legal_representative": 50,
    "address": 255,
    "key_supervision_reason": 200,
    "contact_person": 50,
    "contact_phone": 30,
}
TEXT_FIELDS = tuple(MAX_LENGTHS)
# The scalar fields a row may set, in the order of the preview and the audit entry.
SCALAR_FIELDS = (
    "name",
    "legal_representative",
    "address",
    "area",
    "industry_code",
    "scale",
    "is_key_supervision",
    "key_supervision_reason",
    "standardisation_level",
    "status",
    "contact_person",
    "contact_phone",
)
CHOICES = {
    "scale": Enterprise.Scale,
    "standardisation_level": Enterprise.Standardisation,
    "status": Enterprise.Status,
    "credit_grade": CreditGrade,
}

ENTERPRISE_COLUMNS = (
    Column(
        USCC_HEADER,
        "uscc",
        widget=UsccWidget(),
        required=True,
        aliases=("社会信用代码", "信用代码", "统一代码", "USCC"),
    ),
    Column("企业名称", "name", required=True, aliases=("单位名称", "企业（单位）名称", "名称")),
    Column("法定代表人", "legal_representative", aliases=("法人代表", "法定代表人（负责人）")),
    Column("注册地址", "address", aliases=("地址", "住所", "生产经营地址", "经营地址")),
    Column("所属区县", "area", required=True, aliases=("区县", "所属地区", "行政区划", "所在区县")),
    Column("行业代码", "industry_code", aliases=("国民经济行业代码", "行业分类代码")),
    Column("监管行业领域", "sectors", aliases=("行业领域", "监管领域")),
    Column("企业规模", "scale", aliases=("规模",)),
    Column("信用等级", "credit_grade", aliases=("信用风险等级", "信用风险分类", "风险等级")),
    Column("等级生效日期", "credit_grade_date", widget=DateWidget(), aliases=("信用等级生效日期",)),
    Column(
        "重点监管", "is_key_supervision", widget=ChineseBooleanWidget(), aliases=("是否重点监管",)
    ),
    Column("重点监管原因", "key_supervision_reason"),
    Column("安全生产标准化等级", "standardisation_level", aliases=("标准化等级",)),
    Column("经营状态", "status", aliases=("状态", "登记状态")),
    Column("负责科室", "sections", aliases=("监管科室",)),
    Column("联系人", "contact_person"),
    Column("联系电话", "contact_phone", aliases=("电话", "手机")),
)
HEADERS = {column.name: column.header for column in ENTERPRISE_COLUMNS}


def _header(name: str) -> str:
    return HEADERS.get(name, name)


def _clean_uscc(row: ParsedRow) -> None:
    problem = uscc_problem(row.values.get("uscc") or "")
    if problem:
        row.error(USCC_HEADER, problem.rstrip("。"), row.raw.get("uscc"))


def _label(name: str, value):
    """A value as the preview and the audit trail show it."""
    if value is None:
        return None
    if name in CHOICES and value != "":
        return str(CHOICES[name](value).label)
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@dataclass
class RegisterLookup:
    """Areas, sectors and sections by every name a file may use; loaded once per import."""

    areas: dict[str, Area] = field(default_factory=dict)
    areas_by_id: dict[int, Area] = field(default_factory=dict)
    sectors: dict[str, SupervisionSector] = field(default_factory=dict)
    sector_names: dict[int, str] = field(default_factory=dict)
    sections: dict[str, list[Section]] = field(default_factory=lambda: defaultdict(list))
    section_names: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> RegisterLookup:
        lookup = cls()
        for area in Area.objects.all():
            lookup.areas_by_id[area.pk] = area
            if not area.is_active:
                continue
            for key in (area.code, area.name, f"石家庄市{area.name}", f"河北省石家庄市{area.name}"):
                lookup.areas[key] = area
        zones = {area.name: area for area in lookup.areas.values() if area.kind == Area.Kind.ZONE}
        for alias, name in (
            ("石家庄高新技术产业开发区", "高新区"),
            ("高新技术产业开发区", "高新区"),
            ("石家庄高新区", "高新区"),
            ("石家庄循环化工园区", "循环化工园区"),
        ):
            if name in zones:
                lookup.areas[alias] = zones[name]
        for sector in SupervisionSector.objects.all():
            lookup.sectors[sector.name] = sector
            lookup.sectors[sector.code] = sector
            lookup.sector_names[sector.pk] = sector.name
        for section in Section.objects.select_related("department"):
            lookup.section_names[section.pk] = str(section)
            for name in dict.fromkeys(filter(None, (section.name, section.short_name))):
                lookup.sections[name].append(section)
        return lookup

    def sector_list(self, ids) -> list[str]:
        return sorted(self.sector_names[pk] for pk in ids)

    def section_list(self, ids) -> list[str]:
        return sorted(self.section_names[pk] for pk in ids)

    def resolve(self, row: ParsedRow) -> None:
        values = row.values
        area_text = values.get("area")
        area = self.areas.get(area_text or "")
        if area is None:
            row.error(
                "所属区县", "不是名录库的区县（园区），请填写区县名称或 6 位区划代码", area_text
            )
        values["area"] = area
        if values.get("sectors"):
            found = []
            for name in values["sectors"]:
                sector = self.sectors.get(name)
                if sector is None:
                    row.error("监管行业领域", "没有这个监管行业领域", name)
                elif not sector.is_active:
                    row.error("监管行业领域", "该监管行业领域已停用", name)
                else:
                    found.append(sector.pk)
            values["sectors"] = set(found)
        if values.get("sections"):
            found = []
            for name in values["sections"]:
                candidates = [s for s in self.sections.get(name, []) if s.is_active]
                if not candidates:
                    row.error("负责科室", "没有这个科室（或已停用）", name)
                elif len(candidates) > 1:
                    homes = "、".join(s.department.name for s in candidates)
                    row.error("负责科室", f"多个部门有同名科室（{homes}），请写科室全称", name)
                else:
                    found.append(candidates[0].pk)
            values["sections"] = set(found)


def clean_enterprise_values(row: ParsedRow) -> None:
    """The rules of one enterprise row that need no database; adds errors to the row."""
    values = row.values
    _clean_uscc(row)
    for name in TEXT_FIELDS:
        text = " ".join((values.get(name) or "").split())
        values[name] = text or None
        if len(text) > MAX_LENGTHS[name]:
            row.error(_header(name), f"不能超过 {MAX_LENGTHS[name]} 个字", text)
    code = values.get("industry_code")
    if code:
        values["industry_code"] = code = normalize_industry_code(code)
        try:
            validate_industry_code(code)
        except Exception as error:  # ValidationError
            row.error("行业代码", error.messages[0].rstrip("。"), code)
    for name, table, hint in (
        ("scale", SCALES, "规上、规下"),
        ("standardisation_level", STANDARDISATION, "一级、二级、三级、无"),
        ("status", STATUSES, "在业、停业、注销、吊销、迁出"),
    ):
        text = (values.get(name) or "").strip()
        if not text:
            values[name] = None
        elif text in table:
            values[name] = table[text]
        else:
            row.error(_header(name), f"不在可选范围内（可填：{hint}）", text)
    grade_text = values.get("credit_grade")
    if grade_text:
        values["credit_grade"] = parse_grade(grade_text)
        if values["credit_grade"] is None:
            row.error("信用等级", GRADE_HINT, grade_text)
    elif values.get("credit_grade_date"):
        row.error(
            "等级生效日期", "填写了等级生效日期，但没有填写信用等级", values["credit_grade_date"]
        )
    for name in ("sectors", "sections"):
        text = values.get(name) or ""
        values[name] = list(dict.fromkeys(p.strip() for p in SEPARATORS.split(text) if p.strip()))
    if values.get("area"):
        values["area"] = values["area"].strip()


# An import that writes this many rows refreshes the register's statistics afterwards.
REFRESH_ABOVE = 10_000


class _RegisterImport(TabularImport):
    """What both imports share: the file name and run id they write into grade history."""

    def __init__(self):
        self.today = timezone.localdate()
        self.run_id = uuid.uuid4()
        self.filename = ""
        self.existing: dict[str, Enterprise] = {}

    def run(self, stream, *, filename: str, **kwargs) -> ImportReport:
        self.filename = filename
        return super().run(stream, filename=filename, **kwargs)

    def finish(self, *, by, report: ImportReport) -> None:
        if not report.dry_run and report.created + report.updated >= REFRESH_ABOVE:
            enqueue(refresh_register_statistics)  # after the commit, outside the transaction

    def insert_grade_changes(self, changes: list[tuple], *, by, now) -> None:
        """Insert (enterprise, old grade, new grade, effective date) into the grade history."""
        source, by_id, stamp = self.filename[:200], getattr(by, "pk", None), adapt_datetime(now)
        native = connection.features.has_native_uuid_field
        run = str(self.run_id) if native else self.run_id.hex
        insert_rows(
            CreditGradeChange,
            GRADE_CHANGE_DB_COLUMNS,
            [
                (enterprise.pk, old, new, adapt_date(day), source, run, by_id, stamp)
                for enterprise, old, new, day in changes
            ],
        )


class EnterpriseImport(_RegisterImport):
    title = "检查对象名录库"
    event = "campaigns.enterprise.imported"
    columns = ENTERPRISE_COLUMNS
    key = "uscc"

    def __init__(self):
        super().__init__()
        self.lookup: RegisterLookup | None = None
        self.current_sectors: dict[int, set[int]] = {}
        self.current_sections: dict[int, set[int]] = {}

    def clean_row(self, row: ParsedRow) -> None:
        clean_enterprise_values(row)

    def check_batch(self, rows: list[ParsedRow]) -> None:
        if self.lookup is None:
            self.lookup = RegisterLookup.load()
        keys = [row.values["uscc"] for row in rows]
        self.existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=keys)}
        ids = [e.pk for e in self.existing.values()]
        self.current_sectors = defaultdict(set)
        for enterprise_id, sector_id in EnterpriseSector.objects.filter(
            enterprise_id__in=ids
        ).values_list("enterprise_id", "sector_id"):
            self.current_sectors[enterprise_id].add(sector_id)
        self.current_sections = defaultdict(set)
        through = Enterprise.responsible_sections.through
        for enterprise_id, section_id in through.objects.filter(enterprise_id__in=ids).values_list(
            "enterprise_id", "section_id"
        ):
            self.current_sections[enterprise_id].add(section_id)
        for row in rows:
            self.lookup.resolve(row)
            self._check_against_register(row, self.existing.get(row.values["uscc"]))

    def _check_against_register(self, row: ParsedRow, enterprise: Enterprise | None) -> None:
        values = row.values
        flag = values.get("is_key_supervision")
        reason = values.get("key_supervision_reason")
        if flag is None and enterprise is not None:
            flag = enterprise.is_key_supervision
        if reason is None and enterprise is not None:
            reason = enterprise.key_supervision_reason
        if flag and not reason:
            row.error("重点监管原因", KEY_REASON_MISSING.rstrip("。"))
        grade = values.get("credit_grade")
        if grade:
            values["credit_grade_date"] = values.get("credit_grade_date") or self.today
            current = enterprise.credit_grade if enterprise else ""
            if grade != current:
                problem = grade_change_problem(
                    current_grade=current,
                    current_date=enterprise.credit_grade_date if enterprise else None,
                    grade=grade,
                    effective_date=values["credit_grade_date"],
                    today=self.today,
                )
                if problem:
                    row.error("等级生效日期", problem.rstrip("。"), values["credit_grade_date"])

    def write_batch(self, rows: list[ParsedRow], *, by) -> None:
        lookup, now = self.lookup, timezone.now()
        created: list[tuple[ParsedRow, Enterprise]] = []
        updated: list[Enterprise] = []
        fields: set[str] = set()
        sector_sets: dict[Enterprise, set[int]] = {}
        section_sets: dict[Enterprise, set[int]] = {}
        grade_changes: list[tuple[Enterprise, str, str, dt.date]] = []
        for row in rows:
            values = row.values
            row.label = f"{values['uscc']} {values['name']}"
            enterprise = self.existing.get(values["uscc"])
            if enterprise is None:
                created.append((row, self._new(values)))
                continue
            row.instance = enterprise
            changes = self._apply(enterprise, values, fields)
            for name, column, sets, current, names in (
                ("sectors", "supervision_sectors", sector_sets, self.current_sectors,
                 lookup.sector_list),
                ("sections", "responsible_sections", section_sets, self.current_sections,
                 lookup.section_list),
            ):  # fmt: skip
                wanted, have = values.get(name) or None, current[enterprise.pk]
                if wanted is not None and wanted != have:
                    changes[column] = [names(have), names(wanted)]
                    sets[enterprise] = wanted
            grade = values.get("credit_grade")
            if grade and grade != enterprise.credit_grade:
                day = values["credit_grade_date"]
                grade_changes.append((enterprise, enterprise.credit_grade, grade, day))
                changes |= _set_grade(enterprise, grade, day, self.filename)
                fields.update(("credit_grade", "credit_grade_date", "credit_grade_source"))
            if not changes:
                row.outcome = "unchanged"
                continue
            enterprise.updated_at = now
            updated.append(enterprise)
            row.outcome, row.changes = "updated", changes
        if updated:
            Enterprise.objects.bulk_update(updated, sorted(fields | {"updated_at"}), batch_size=500)
        if created:
            self._insert(created, now)
        new_pairs: dict[str, list[tuple[int, int]]] = {"sectors": [], "sections": []}
        for row, data in created:
            values, enterprise = row.values, row.instance
            row.outcome = "created"
            row.changes = {
                name: [None, _label(name, data[name])]
                for name in ("uscc", *SCALAR_FIELDS)
                if data[name] not in (None, "", False)
            }
            for name, column, names in (
                ("sectors", "supervision_sectors", lookup.sector_list),
                ("sections", "responsible_sections", lookup.section_list),
            ):
                if values.get(name):
                    new_pairs[name] += [(enterprise.pk, other) for other in values[name]]
                    row.changes[column] = [None, names(values[name])]
            grade = data["credit_grade"]
            if grade:
                # The first grade: the history starts with it (old grade empty).
                grade_changes.append((enterprise, "", grade, data["credit_grade_date"]))
                row.changes |= {
                    "credit_grade": [None, _label("credit_grade", grade)],
                    "credit_grade_date": [None, data["credit_grade_date"].isoformat()],
                    "credit_grade_source": [None, data["credit_grade_source"]],
                }
        _replace_pairs(EnterpriseSector, "sector_id", sector_sets)
        _replace_pairs(Enterprise.responsible_sections.through, "section_id", section_sets)
        insert_rows(EnterpriseSector, ["enterprise_id", "sector_id"], new_pairs["sectors"])
        insert_rows(
            Enterprise.responsible_sections.through,
            ["enterprise_id", "section_id"],
            new_pairs["sections"],
        )
        self.insert_grade_changes(grade_changes, by=by, now=now)

    def _insert(self, created: list[tuple[ParsedRow, dict]], now) -> None:
        """Insert new enterprises in one statement; give each row an instance for its audit
        entry (its id, code and name: what the audit trail shows of it)."""
        stamp = adapt_datetime(now)
        rows = []
        for _row, data in created:
            values = [data[name] for name in ENTERPRISE_DB_COLUMNS[:-2]]
            values[GRADE_DATE_COLUMN] = adapt_date(values[GRADE_DATE_COLUMN])
            rows.append((*values, stamp, stamp))
        insert_rows(Enterprise, ENTERPRISE_DB_COLUMNS, rows)
        codes = [data["uscc"] for _row, data in created]
        ids = dict(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", "id"))
        for row, data in created:
            row.instance = Enterprise.from_db(
                None, ["id", "uscc", "name"], (ids[data["uscc"]], data["uscc"], data["name"])
            )

    def _new(self, values: dict) -> dict:
        """The columns of a new enterprise (a plain dict: model instances cost too much for
        100,000 rows); empty cells take the defaults."""
        key = bool(values.get("is_key_supervision"))
        grade = values.get("credit_grade") or ""
        return {
            "uscc": values["uscc"],
            "name": values["name"],
            "name_grams": name_grams(values["name"]),
            "legal_representative": values.get("legal_representative") or "",
            "address": values.get("address") or "",
            "area": values["area"],
            "area_id": values["area"].pk,
            "industry_code": values.get("industry_code") or "",
            "scale": values.get("scale") or "",
            "credit_grade": grade,
            "credit_grade_date": values["credit_grade_date"] if grade else None,
            "credit_grade_source": self.filename[:200] if grade else "",
            "is_key_supervision": key,
            "key_supervision_reason": (values.get("key_supervision_reason") or "") if key else "",
            "standardisation_level": values.get("standardisation_level")
            or Enterprise.Standardisation.NONE,
            "status": values.get("status") or Enterprise.Status.ACTIVE,
            "contact_person": values.get("contact_person") or "",
            "contact_phone": values.get("contact_phone") or "",
        }

    def _apply(self, enterprise: Enterprise, values: dict, fields: set[str]) -> dict:
        """Set the row's non-empty values on `enterprise`; return the readable changes."""
        wanted = {name: values[name] for name in SCALAR_FIELDS if values.get(name) is not None}
        if not wanted.get("is_key_supervision", enterprise.is_key_supervision):
            wanted["key_supervision_reason"] = ""  # the reason goes with the flag
        changes = {}
        for name, new in wanted.items():
            if name == "area":
                if enterprise.area_id == new.pk:
                    continue
                old = self.lookup.areas_by_id[enterprise.area_id]
            else:
                old = getattr(enterprise, name)
                if old == new:
                    continue
            changes[name] = [_label(name, old), _label(name, new)]
            setattr(enterprise, name, new)
            fields.add(name)
        if "name" in changes:
            enterprise.name_grams = name_grams(enterprise.name)
            fields.add("name_grams")
        return changes


def _set_grade(enterprise: Enterprise, grade: str, effective_date, source: str) -> dict:
    changes = {
        "credit_grade": [
            _label("credit_grade", enterprise.credit_grade or None),
            _label("credit_grade", grade),
        ],
        "credit_grade_date": [_label("", enterprise.credit_grade_date), effective_date.isoformat()],
        "credit_grade_source": [enterprise.credit_grade_source or None, source[:200]],
    }
    enterprise.credit_grade = grade
    enterprise.credit_grade_date = effective_date
    enterprise.credit_grade_source = source[:200]
    return {name: pair for name, pair in changes.items() if pair[0] != pair[1]}


def _replace_pairs(through, column: str, wanted: dict[Enterprise, set[int]]) -> None:
    """Make each enterprise's rows in a many-to-many table exactly `wanted[enterprise]`."""
    if not wanted:
        return
    through.objects.filter(enterprise_id__in=[enterprise.pk for enterprise in wanted]).delete()
    insert_rows(
        through,
        ["enterprise_id", column],
        [
            (enterprise.pk, other)
            for enterprise, others in wanted.items()
            for other in sorted(others)
        ],
    )


GRADE_COLUMNS = (
    Column(
        USCC_HEADER,
        "uscc",
        widget=UsccWidget(),
        required=True,
        aliases=("社会信用代码", "信用代码", "统一代码", "USCC"),
    ),
    Column(
        "信用等级",
        "grade",
        required=True,
        aliases=("信用风险等级", "信用风险分类", "风险等级", "信用风险分类结果", "分类结果"),
    ),
    Column(
        "生效日期",
        "effective_date",
        widget=DateWidget(),
        required=True,
        aliases=("等级生效日期", "评定日期", "分类日期"),
    ),
)


class CreditGradeImport(_RegisterImport):
    """The provincial platform's monthly credit-risk classification (信用风险分类结果)."""

    title = "企业信用风险分类"
    event = "campaigns.enterprise.grade_imported"
    columns = GRADE_COLUMNS
    key = "uscc"

    def clean_row(self, row: ParsedRow) -> None:
        _clean_uscc(row)
        grade = parse_grade(row.values.get("grade"))
        if grade is None:
            row.error("信用等级", GRADE_HINT, row.values.get("grade"))
        row.values["grade"] = grade

    def check_batch(self, rows: list[ParsedRow]) -> None:
        keys = [row.values["uscc"] for row in rows]
        self.existing = {
            e.uscc: e
            for e in Enterprise.objects.filter(uscc__in=keys).only(
                "id", "uscc", "name", "credit_grade", "credit_grade_date", "credit_grade_source"
            )
        }
        for row in rows:
            enterprise = self.existing.get(row.values["uscc"])
            if enterprise is None:
                row.error(
                    USCC_HEADER,
                    "检查对象名录库中没有该企业，请先导入或登记该企业",
                    row.values["uscc"],
                )
                continue
            grade, effective_date = row.values["grade"], row.values["effective_date"]
            if grade == enterprise.credit_grade and effective_date <= self.today:
                continue  # the same grade: nothing to record
            problem = grade_change_problem(
                current_grade=enterprise.credit_grade,
                current_date=enterprise.credit_grade_date,
                grade=grade,
                effective_date=effective_date,
                today=self.today,
            )
            if problem:
                row.error("生效日期", problem.rstrip("。"), effective_date.isoformat())

    def write_batch(self, rows: list[ParsedRow], *, by) -> None:
        now = timezone.now()
        updated, changes = [], []
        for row in rows:
            enterprise = self.existing[row.values["uscc"]]
            grade, effective_date = row.values["grade"], row.values["effective_date"]
            row.label = f"{enterprise.uscc} {enterprise.name}"
            row.instance = enterprise
            if grade == enterprise.credit_grade:
                row.outcome = "unchanged"
                continue
            changes.append((enterprise, enterprise.credit_grade, grade, effective_date))
            row.changes = _set_grade(enterprise, grade, effective_date, self.filename)
            row.outcome = "updated"
            enterprise.updated_at = now
            updated.append(enterprise)
        Enterprise.objects.bulk_update(
            updated,
            ["credit_grade", "credit_grade_date", "credit_grade_source", "updated_at"],
            batch_size=1000,
        )
        self.insert_grade_changes(changes, by=by, now=now)

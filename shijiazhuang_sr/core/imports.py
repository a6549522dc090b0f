"""All-or-nothing spreadsheet imports (xlsx and csv) with a row-by-row report in Chinese.

Every import of the platform — the justice bureau's roster export, the item list, the
enterprise register, the monthly credit grades — is a `TabularImport` subclass. The same class
serves the web page (upload → preview → confirm) and the management command (`--dry-run`).

How one import runs:

1. The file is checked before it is parsed: extension, size limit, and content (an .xlsx must be
   a real workbook; a CSV must decode as UTF-8 or GB18030, which is what Excel and WPS save).
2. Rows are streamed in batches (memory stays flat for 100,000-row files). Each cell goes
   through its column's django-import-export widget (dates, numbers, booleans) and the
   subclass's `clean_row`; duplicates of the key column inside the file are caught.
3. Each batch is checked against the database (`check_batch`: unknown section, USCC not in
   the register …) and, while the file is still error-free, written (`write_batch`) with one
   audit entry per changed row.
4. Everything runs in one transaction. Any error, or a dry run, rolls it all back: the report
   names every bad row and nothing is saved.

Row numbers in the report are the spreadsheet's own (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from import_export import widgets
from openpyxl import load_workbook

from shijiazhuang_sr.audit.context import Channel, acting, current
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.services import build_entry, field_labels, save_entries

ALLOWED_EXTENSIONS = (".xlsx", ".csv")
PREVIEW_ROWS = 100
MAX_REPORTED_ERRORS = 1000


class ImportFileError(Exception):
    """The file as a whole cannot be read (type, size, encoding, columns). Nothing was saved."""


@dataclass
class Column:
    """One spreadsheet column: its header (and accepted aliases) and how a cell is cleaned."""

    header: str
    name: str
    widget: widgets.Widget = field(default_factory=widgets.CharWidget)
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass
class RowError:
    row: int
    column: str
    message: str
    value: str = ""

    def __str__(self):
        where = f"第 {self.row} 行" if self.row else "文件"
        column = f"「{self.column}」" if self.column else ""
        shown = f"（填写值：{self.value}）" if self.value else ""
        return f"{where}{column}：{self.message}{shown}"


@dataclass
class ParsedRow:
    number: int
    raw: dict[str, str]
    values: dict = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    outcome: str = ""  # "created", "updated" or "unchanged", set by write_batch
    changes: dict = field(default_factory=dict)
    label: str = ""  # how the preview names the row, e.g. "13010020001 张三"
    instance: object = None  # the saved object, for the audit entry

    def error(self, column: str, message: str, value=None) -> None:
        shown = "" if value is None else str(value)
        self.errors.append(RowError(self.number, column, message, shown[:100]))


@dataclass
class ImportReport:
    title: str
    filename: str
    dry_run: bool
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    preview: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def saved(self) -> bool:
        return self.ok and not self.dry_run

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)

    def summary(self) -> str:
        if not self.ok:
            return (
                f"{self.title}导入未保存：{self.total_rows} 行中有 {self.error_count} 处错误，"
                "请修改文件后重新导入。"
            )
        verb = "预检通过（尚未保存）" if self.dry_run else "导入完成"
        return (
            f"{self.title}{verb}：共 {self.total_rows} 行，新增 {self.created}，"
            f"更新 {self.updated}，无变化 {self.unchanged}。"
        )

    def lines(self) -> list[str]:
        """The report as plain lines, for the command line."""
        lines = [self.summary()]
        lines += [str(error) for error in self.errors]
        if self.error_count > len(self.errors):
            lines.append(f"……另有 {self.error_count - len(self.errors)} 处错误未列出。")
        return lines

    def to_dict(self) -> dict:
        data = asdict(self)
        data["ok"] = self.ok
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        data = {key: value for key, value in data.items() if key != "ok"}
        data["errors"] = [RowError(**error) for error in data.get("errors", [])]
        return cls(**data)


def _check_size(size: int) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportFileError(
            f"文件大小 {size / 1024 / 1024:.1f} MB，超过 {limit // 1024 // 1024} MB 的上限。"
        )
    if size == 0:
        raise ImportFileError("文件是空的。")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Excel stores long digit strings typed as numbers as floats (e.g. card numbers).
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value).strip()


def _xlsx_rows(stream) -> Iterator[list[str]]:
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError("无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏。") from error
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def _decode_csv(stream) -> io.TextIOBase:
    head = stream.read(64 * 1024)
    stream.seek(0)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.decode(head, encoding)
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is not a decoding error.
            # (Positions decoded with "utf-8-sig" do not count the 3-byte BOM.)
            bom = 3 if encoding == "utf-8-sig" and head.startswith(codecs.BOM_UTF8) else 0
            if error.start >= len(head) - bom - 3:
                return io.TextIOWrapper(stream, encoding=encoding, newline="")
            continue
        return io.TextIOWrapper(stream, encoding=encoding, newline="")
    raise ImportFileError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码的 CSV。")


def _csv_rows(stream) -> Iterator[list[str]]:
    text = _decode_csv(stream)
    try:
        for row in csv.reader(text):
            yield [cell.strip() for cell in row]
    except (csv.Error, UnicodeDecodeError) as error:
        raise ImportFileError(f"CSV 文件格式有误：{error}") from error
    finally:
        # The caller owns the stream (an upload is stored after its preview): don't close it.
        text.detach()


def open_rows(stream, filename: str, size: int) -> Iterator[list[str]]:
    """Rows of cells (as text) of the first sheet of an .xlsx, or of a .csv file."""
    extension = Path(filename).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ImportFileError(
            f"不支持的文件类型“{extension or '无扩展名'}”，仅支持 .xlsx 或 .csv 文件。"
        )
    _check_size(size)
    start = stream.read(4)
    stream.seek(0)
    if extension == ".xlsx":
        if start != b"PK\x03\x04":
            raise ImportFileError("文件扩展名为 .xlsx，但内容不是 Excel 工作簿。")
        return _xlsx_rows(stream)
    if start.startswith(b"PK\x03\x04"):
        raise ImportFileError("文件扩展名为 .csv，但内容是 Excel 工作簿，请改用 .xlsx 扩展名。")
    return _csv_rows(stream)


class TabularImport:
    """Base class of every import. Subclasses declare columns and the three hooks below."""

    title: str = ""
    event: str = ""  # audit event of a row, e.g. "inspectors.inspector.imported"
    columns: tuple[Column, ...] = ()
    key: str = ""  # the column name that identifies a row (duplicates in one file are errors)
    batch_size: int = 2000

    # --- hooks ------------------------------------------------------------------------------
    def clean_row(self, row: ParsedRow) -> None:
        """Rules of one row that need no database (dates in order, formats). Add row.error()."""

    def check_batch(self, rows: list[ParsedRow]) -> None:
        """Rules that need the database, for a batch of rows (unknown section …)."""

    def write_batch(self, rows: list[ParsedRow], *, by) -> None:
        """Upsert the rows. Set row.outcome and row.changes ({field: [old, new]}); the driver
        writes the audit entries. Only called while the whole file is still free of errors."""
        raise NotImplementedError

    def finish(self, *, by, report: ImportReport) -> None:
        """Work after the last batch, inside the transaction (e.g. a summary audit entry)."""

    # --- driver -----------------------------------------------------------------------------
    def run(
        self,
        stream,
        *,
        filename: str,
        size: int,
        by=None,
        dry_run: bool = False,
        channel: str = Channel.IMPORT,
    ) -> ImportReport:
        report = ImportReport(title=self.title, filename=filename, dry_run=dry_run)
        try:
            rows = open_rows(stream, filename, size)
            with acting(user=by, ip=current().ip, channel=channel), transaction.atomic():
                self._run(rows, report, by=by)
                if report.ok:
                    self.finish(by=by, report=report)
                if not report.ok or dry_run:
                    transaction.set_rollback(True)
        except ImportFileError as error:
            report.add_error(RowError(0, "", str(error)))
        return report

    def _header_map(self, header: list[str]) -> dict[int, Column]:
        by_header = {}
        for column in self.columns:
            for name in (column.header, *column.aliases):
                by_header[name] = column
        mapping, seen = {}, set()
        for index, title in enumerate(header):
            column = by_header.get(title.replace(" ", "").replace("*", ""))
            if column is not None and column.name not in seen:
                mapping[index] = column
                seen.add(column.name)
        missing = [c.header for c in self.columns if c.required and c.name not in seen]
        if missing:
            raise ImportFileError(
                f"缺少必需的列：{'、'.join(missing)}。第一行应为列标题，可下载导入模板对照。"
            )
        return mapping

    def _parse(self, number: int, cells: list[str], mapping: dict[int, Column]) -> ParsedRow:
        raw = {
            column.name: (cells[index] if index < len(cells) else "")
            for index, column in mapping.items()
        }
        row = ParsedRow(number=number, raw=raw)
        for column in mapping.values():
            text = raw[column.name]
            if not text:
                if column.required:
                    row.error(column.header, "不能为空")
                row.values[column.name] = None
                continue
            try:
                row.values[column.name] = column.widget.clean(text)
            except (ValueError, TypeError, ArithmeticError) as error:
                row.error(column.header, _widget_message(column.widget, error), text)
        if not row.errors:
            self.clean_row(row)
        return row

    def _run(self, rows: Iterable[list[str]], report: ImportReport, *, by) -> None:
        iterator = iter(rows)
        header = next(iterator, None)
        if header is None:
            raise ImportFileError("文件中没有内容。第一行应为列标题。")
        mapping = self._header_map(header)
        key_column = next((c for c in self.columns if c.name == self.key), None)
        first_seen: dict[str, int] = {}
        batch: list[ParsedRow] = []
        for number, cells in enumerate(iterator, start=2):
            if not any(cells):
                continue  # blank lines at the end of a sheet are not rows
            row = self._parse(number, cells, mapping)
            report.total_rows += 1
            key = row.values.get(self.key) if key_column else None
            if key:
                if key in first_seen:
                    row.error(key_column.header, f"与第 {first_seen[key]} 行重复", key)
                else:
                    first_seen[key] = number
            batch.append(row)
            if len(batch) >= self.batch_size:
                self._process(batch, report, by=by)
                batch = []
        if batch:
            self._process(batch, report, by=by)
        if report.total_rows == 0:
            raise ImportFileError("文件中没有数据行（第一行为列标题，数据从第二行开始）。")

    def _process(self, batch: list[ParsedRow], report: ImportReport, *, by) -> None:
        self.check_batch([row for row in batch if not row.errors])
        for row in batch:
            for error in row.errors:
                report.add_error(error)
        if not report.ok:
            return  # keep validating later batches, but write nothing more
        self.write_batch(batch, by=by)
        entries = []
        for row in batch:
            if row.outcome == "created":
                report.created += 1
            elif row.outcome == "updated":
                report.updated += 1
            else:
                report.unchanged += 1
            if row.outcome in ("created", "updated") and row.instance is not None:
                entries.append(
                    build_entry(
                        action=AuditEntry.Action.CREATE
                        if row.outcome == "created"
                        else AuditEntry.Action.UPDATE,
                        obj=row.instance,
                        by=by,
                        event=self.event,
                        changes=row.changes,
                        data={"file": report.filename, "row": row.number},
                    )
                )
            if len(report.preview) < PREVIEW_ROWS:
                report.preview.append(
                    {
                        "row": row.number,
                        "label": row.label,
                        "outcome": row.outcome,
                        "changes": self._labelled(row.changes, row.instance),
                    }
                )
        save_entries(entries)  # COPY on PostgreSQL: 100,000-row files stay fast

    def _labelled(self, changes: dict, instance) -> dict:
        """The preview names fields as the spreadsheet (or the model) does, in Chinese."""
        headers = {column.name: column.header for column in self.columns}
        labels = field_labels(type(instance), changes) if instance is not None else {}
        return {headers.get(name) or labels.get(name, name): pair for name, pair in changes.items()}


def _widget_message(widget, error) -> str:
    if isinstance(widget, widgets.DateWidget):
        return "日期格式不正确，应为 2025-01-31 或 2025/1/31"
    if isinstance(widget, widgets.IntegerWidget | widgets.DecimalWidget):
        return "应为数字"
    if isinstance(widget, widgets.BooleanWidget):
        return "应为“是”或“否”"
    return f"格式不正确（{error}）"


def date_widget() -> widgets.DateWidget:
    """The date formats Chinese spreadsheets use."""
    # DateWidget takes one `format` only; the parsing mixin tries every entry of `formats`.
    widget = widgets.DateWidget()
    widget.formats = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
    return widget


class ChineseBooleanWidget(widgets.BooleanWidget):
    TRUE = {"是", "1", "true", "True", "TRUE", "Y", "y", "yes", "√"}
    FALSE = {"否", "0", "false", "False", "FALSE", "N", "n", "no", "×", ""}

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(text)


def template_rows(importer: TabularImport) -> list[str]:
    """The header row of an import template."""
    return [column.header for column in importer.columns]

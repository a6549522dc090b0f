"""Spreadsheet and CSV downloads.

Every cell that starts with = + - @ (or a tab / carriage return) is prefixed with an apostrophe,
so that a value typed by a user or an enterprise can never run as a formula when the file is
opened in Excel or WPS (CSV/formula injection).
"""

import csv
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _attachment(filename: str) -> str:
    # RFC 6266: a Chinese file name needs the filename* form; the ASCII fallback is generic.
    return f"attachment; filename=\"export\"; filename*=UTF-8''{quote(filename)}"


def xlsx_bytes(
    headers: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "导出"
) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([safe_cell(header) for header in headers])
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence], **kwargs):
    response = HttpResponse(
        xlsx_bytes(headers, rows, **kwargs),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _attachment(filename)
    return response


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]):
    """A streamed CSV with a BOM so that Excel opens the Chinese text as UTF-8."""
    writer = csv.writer(_Echo())

    def generate():
        yield "\ufeff"
        yield writer.writerow([safe_cell(header) for header in headers])
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _attachment(filename)
    return response

"""Fast bulk inserts for the few places that write tens of thousands of rows at once (a draw
of a million-enterprise register, a 100,000-row import).

On PostgreSQL rows go in with COPY, and ids are reserved from the table's sequence first so
that related rows can refer to them; elsewhere (SQLite, the embedded default) `bulk_create`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.db import connection, models


def _csv_field(value) -> str:
    if value is None:
        return ""  # unquoted empty: NULL
    if value is True or value is False:
        return "t" if value else "f"
    return '"' + str(value).replace('"', '""') + '"'


def csv_line(values: Iterable) -> str:
    """One line for COPY … (FORMAT csv): every value quoted, None unquoted and empty (NULL)."""
    return ",".join(map(_csv_field, values)) + "\n"


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """COPY `rows` (tuples in the order of `columns`, database column names) into the model's
    table. PostgreSQL only; call `uses_copy()` first."""
    buffer = io.StringIO("".join(csv_line(row) for row in rows))
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)",
            buffer,
        )


def uses_copy() -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys from the table's sequence (PostgreSQL)."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]

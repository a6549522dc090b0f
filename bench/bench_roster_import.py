"""Time the roster import (inspectors/imports.py) on a realistic justice-bureau export.

Generates an N-row export (default 5,000) as .xlsx and .csv — names, card numbers, card
types, validity dates, departments and sections (full and short names), categories,
enforcement-field and expertise tags, phones, record ids — and times, on a fresh database:

1. the first import (every row new),
2. a re-import of the same file (nothing changes, no audit entry may be written),
3. the same file as GBK-encoded CSV (what WPS/Excel save),
4. a file where every row changes (name and expiry), i.e. N updates,
5. the changed file with one bad row among N: nothing may be saved, that row is reported.

    python bench/bench_roster_import.py                       # fresh SQLite file in /tmp
    python bench/bench_roster_import.py --database-url postgres://postgres@127.0.0.1:5432/sr_x

With a PostgreSQL URL a fresh database `<name>_bench` is created next to `<name>` and
dropped afterwards. Figures and the machine go into docs/benchmarks.md ("Roster import").
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="PostgreSQL URL (a fresh <name>_bench database is used); default: a new SQLite file",
    )
    parser.add_argument("--bad-row", type=int, default=3711, help="data row number made invalid")
    return parser.parse_args()


def fresh_database(url: str) -> tuple[str, callable]:
    """A database URL for an empty database, and a function that removes it afterwards."""
    if not url:
        path = Path(tempfile.mkdtemp(prefix="bench-roster-")) / "bench.sqlite3"
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_bench"
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    admin.autocommit = True

    def run(sql):
        with admin.cursor() as cursor:
            cursor.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}"')
    run(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        run(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()

    return url.rsplit("/", 1)[0] + "/" + name, drop


def export_rows(count: int) -> list[dict]:
    """The demo generator's officers, written as the justice bureau's export spells them."""
    from django.utils import timezone

    from inspectors.demo import ISSUERS, officers
    from inspectors.models import Inspector

    card_types = dict(Inspector.CardType.choices)
    categories = dict(Inspector.Category.choices)
    rows = []
    for index, officer in enumerate(officers(count, timezone.localdate())):
        fields = [name for kind, name in officer.tags if kind == "field"]
        expertise = [name for kind, name in officer.tags if kind == "expertise"]
        short = {"危险化学品安全监督管理科": "危化科", "工贸行业安全监督管理科": "工贸科"}
        rows.append(
            {
                "姓名": officer.name,
                "执法证号": officer.cert_no,
                "证件类型": card_types[officer.card_type],
                "发证机关": ISSUERS[officer.card_type],
                "有效期自": officer.valid_from.isoformat(),
                "有效期至": officer.valid_to.strftime("%Y/%m/%d"),
                "所属部门": officer.department,
                # Some exports use short names; the import accepts both.
                "所属科室": short.get(officer.section, officer.section)
                if index % 3 == 0
                else officer.section,
                "执法人员种类": categories[officer.category],
                "执法领域": "、".join(fields),
                "执法专长": ",".join(expertise),
                "联系电话": officer.phone,
                "司法局库记录号": officer.record_id,
            }
        )
    return rows


def xlsx_bytes(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("执法人员")
    headers = list(rows[0])
    sheet.append(headers)
    for row in rows:
        sheet.append([row[header] for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], encoding="gbk") -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def timed_import(label: str, data: bytes, filename: str, by):
    from inspectors.imports import InspectorImport

    started = time.perf_counter()
    report = InspectorImport().run(io.BytesIO(data), filename=filename, size=len(data), by=by)
    seconds = time.perf_counter() - started
    print(
        f"{label:<44} {seconds:6.2f} s   rows {report.total_rows}, created {report.created}, "
        f"updated {report.updated}, unchanged {report.unchanged}, errors {report.error_count}"
    )
    return report, seconds


def counts():
    from inspectors.models import Inspector, InspectorStatusPeriod
    from shijiazhuang_sr.audit.models import AuditEntry

    return (
        Inspector.objects.count(),
        InspectorStatusPeriod.objects.count(),
        Inspector.tags.through.objects.count(),
        AuditEntry.objects.count(),
    )


def main() -> int:
    args = parse_args()
    url, cleanup = fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shijiazhuang_sr.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        from inspectors.demo import seed_tags
        from shijiazhuang_sr.accounts.models import User
        from shijiazhuang_sr.core.demo import seed_departments

        seed_departments()
        seed_tags()
        by = User.objects.create(username="bench-section4", full_name="基准测试")

        print(f"Roster import benchmark — {args.rows} rows, {connection.vendor}")
        print(
            f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, "
            f"{platform.platform()}, Python {platform.python_version()}"
        )
        started = time.perf_counter()
        rows = export_rows(args.rows)
        good = xlsx_bytes(rows)
        print(
            f"generated {len(rows)} rows: xlsx {len(good) / 1024:.0f} KiB "
            f"in {time.perf_counter() - started:.1f} s"
        )

        report, _ = timed_import("1. first import (.xlsx, all new)", good, "roster.xlsx", by)
        assert report.ok and report.created == args.rows, report.lines()[:5]
        after_first = counts()

        report, _ = timed_import("2. re-import, same file (no changes)", good, "roster.xlsx", by)
        assert report.ok and report.unchanged == args.rows
        assert counts() == after_first, "a re-import must change nothing and audit nothing"
        print("   re-import wrote no row and no audit entry")

        report, _ = timed_import(
            "3. same rows as GBK-encoded .csv", csv_bytes(rows), "roster.csv", by
        )
        assert report.ok and report.unchanged == args.rows

        changed = [row | {"姓名": row["姓名"] + "（新）", "有效期至": "2035-12-31"} for row in rows]
        changed_file = xlsx_bytes(changed)
        bad = [dict(row) for row in changed]
        bad[args.bad_row - 2]["所属科室"] = "不存在的科室"
        report, _ = timed_import(
            f"4. one bad row (row {args.bad_row}) among {args.rows}",
            xlsx_bytes(bad),
            "roster-bad.xlsx",
            by,
        )
        assert not report.ok and report.error_count == 1
        print(f"   reported: {report.errors[0]}")
        if report.updated:
            print(
                f"   ({report.updated} rows of the batches before the bad one were written, "
                "then rolled back with the whole file)"
            )
        assert counts() == after_first
        print("   nothing saved: roster, status periods, tags and audit trail unchanged")

        report, _ = timed_import(
            f"5. every row updated ({args.rows} updates)", changed_file, "roster-v2.xlsx", by
        )
        assert report.ok and report.updated == args.rows
    finally:
        cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())

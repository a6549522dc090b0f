"""Benchmark of the enterprise register (issue 5) on PostgreSQL.

1. Loads a register of `--enterprises` (default 1,000,000) demo enterprises into the database
   of DATABASE_URL with `seed_demo` (skipped when it already holds that many) and runs
   VACUUM ANALYZE, as autovacuum would after a load.
2. Times the register list as the browser gets it (Django's test Client, logged in as
   综合执法四科): search by USCC and by 2-, 3- and 4-character name fragments, each filter alone
   and combined, and pages deep in the list. Prints the median and 90th percentile of
   `--repeat` requests (after two warm-up requests) and the total the page shows.
3. Times `import_enterprises` on a generated 100,000-row file of new enterprises (xlsx, and
   csv), its re-import (nothing changes), and `import_credit_grades` on a 100,000-row monthly
   grade file (a tenth of the grades change) and its re-import; each in its own process, whose
   peak RSS (resource.getrusage via wait4) is printed next to that of a 10,000-row file to show
   that memory stays flat. The enterprises the benchmark imported are removed afterwards, so
   it can run again on the same database.

    createdb -h 127.0.0.1 -U postgres sr_register_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sr_register_bench \\
        .venv/bin/python bench/bench_register.py [--enterprises 1000000] [--repeat 15]

Figures and the machine they ran on go into docs/benchmarks.md ("Enterprise register").
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shijiazhuang_sr.settings")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from campaigns.models import (  # noqa: E402
    Area,
    CreditGradeChange,
    Enterprise,
    EnterpriseSector,
)
from campaigns.tasks import refresh_register_statistics  # noqa: E402
from campaigns.uscc import make_uscc  # noqa: E402
from checklists.models import SupervisionSector  # noqa: E402
from shijiazhuang_sr.accounts.models import User  # noqa: E402

# The shared vocabulary (checklists) — created here only if the benchmark database has none.
SECTORS = [
    "危险化学品生产", "危险化学品经营", "危险化学品使用", "烟花爆竹", "非煤矿山", "冶金", "有色",
    "建材", "机械", "轻工", "纺织", "烟草", "商贸", "粉尘涉爆", "涉氨制冷", "有限空间",
]  # fmt: skip
ENTERPRISE_HEADER = [
    "统一社会信用代码", "企业名称", "法定代表人", "注册地址", "所属区县", "行业代码",
    "监管行业领域", "企业规模", "信用等级", "等级生效日期", "重点监管", "重点监管原因",
    "安全生产标准化等级", "经营状态", "负责科室", "联系人", "联系电话",
]  # fmt: skip
GRADE_HEADER = ["统一社会信用代码", "信用等级", "生效日期"]
BENCH_SERIAL_BASE = 99_000_000  # USCC serials of the generated files (checked against the DB)


def banner(text: str) -> None:
    print(f"\n== {text}", flush=True)


def ensure_database(count: int) -> None:
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    if not SupervisionSector.objects.exists():
        SupervisionSector.objects.bulk_create(
            SupervisionSector(code=f"bench_{n}", name=name, sort_order=n)
            for n, name in enumerate(SECTORS, 1)
        )
    have = Enterprise.objects.count()
    if have >= count:
        print(f"register already holds {have:,} enterprises: not seeding")
        return
    banner(f"seed_demo --enterprises {count:,} (the register holds {have:,})")
    started = time.monotonic()
    call_command("seed_demo", enterprises=count, inspectors=320, stdout=sys.stdout)
    seeded = time.monotonic() - started
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"seed_demo: {seeded:.0f} s; VACUUM ANALYZE: {time.monotonic() - started:.0f} s")


def list_cases() -> list[tuple[str, str]]:
    area = Area.objects.get(code="130123")  # 正定县
    dust = SupervisionSector.objects.get(name="粉尘涉爆")
    tobacco = SupervisionSector.objects.get(name="烟草")
    middle = Enterprise.objects.order_by("pk").values_list("uscc", flat=True)[
        Enterprise.objects.count() // 2
    ]
    total = Enterprise.objects.count()
    last, middle_page = (total + 24) // 25, (total + 24) // 50
    return [
        ("unfiltered, page 1", ""),
        (f"unfiltered, page {middle_page:,} (middle)", f"page={middle_page}"),
        (f"unfiltered, page {last:,} (last)", f"page={last}"),
        ("USCC, whole", f"q={middle}"),
        ("USCC, lower case with spaces", f"q={middle[:9].lower()}+{middle[9:].lower()}"),
        ("USCC, first 10 characters", f"q={middle[:10]}"),
        ("name, 1 character: 鑫", "q=鑫"),
        ("name, 2 characters: 化工", "q=化工"),
        ("name, 2 characters: 恒达", "q=恒达"),
        ("name, 3 characters: 石家庄", "q=石家庄"),
        ("name, 3 characters: 恒达化", "q=恒达化"),
        ("name, 4 characters: 恒达化工", "q=恒达化工"),
        ("name, 4 characters: 宏泰皮革", "q=宏泰皮革"),
        ("name, 2 terms: 正定 木业", "q=正定+木业"),
        ("name 化工, last capped page", "q=化工&page=100"),
        ("name 恒达, last page", "q=恒达&page=200"),
        ("area 正定县", f"area={area.pk}"),
        ("sector 粉尘涉爆", f"sector={dust.pk}"),
        ("sector 烟草 (rare)", f"sector={tobacco.pk}"),
        ("grade A (60 %)", "grade=A"),
        ("grade D", "grade=D"),
        ("unrated", "grade=none"),
        ("key supervision", "key_supervision=on"),
        ("status 吊销", "status=revoked"),
        ("area + grade C", f"area={area.pk}&grade=C"),
        ("sector + grade + key + status",
         f"sector={dust.pk}&grade=B&key_supervision=on&status=active"),
        ("all filters + name", f"q=木业&area={area.pk}&sector={dust.pk}&grade=A&status=active"),
        ("grade A, page 12,000 (middle)", "grade=A&page=12000"),
        ("grade A, last page", "grade=A&page=99999"),
        ("area, last page", f"area={area.pk}&page=9999"),
    ]  # fmt: skip


def time_lists(repeat: int) -> None:
    banner(f"register list: server time per request, median / p90 of {repeat}")
    client = Client()
    client.force_login(User.objects.get(username="section4"))
    rows = []
    for label, query in list_cases():
        url = "/campaigns/enterprises/?" + query
        times = []
        for attempt in range(repeat + 2):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if attempt >= 2:
                times.append(elapsed)
        html = response.content.decode()
        shown = re.search(r'data-testid="result-count">([^<，]*)', html)
        total = shown.group(1) if shown else "没有结果"
        median = statistics.median(times)
        p90 = sorted(times)[int(len(times) * 0.9) - 1]
        rows.append((label, median, p90, total))
        print(f"{label:38s} {median:7.1f} ms {p90:7.1f} ms   {total}", flush=True)
    worst = max(rows, key=lambda row: row[1])
    print(f"slowest median: {worst[0]} {worst[1]:.1f} ms")


def new_codes(count: int, offset: int) -> list[str]:
    """`count` valid USCCs that are not in the register (checked 10,000 at a time)."""
    areas = list(Area.objects.values_list("code", flat=True))
    codes, serial = [], BENCH_SERIAL_BASE + offset
    while len(codes) < count:
        batch = [make_uscc(areas[(serial + n) % len(areas)], serial + n) for n in range(10_000)]
        serial += len(batch)
        taken = set(Enterprise.objects.filter(uscc__in=batch).values_list("uscc", flat=True))
        codes += [code for code in batch if code not in taken][: count - len(codes)]
    return codes


def enterprise_rows(codes: list[str]):
    rng = random.Random(7)
    names = dict(Area.objects.values_list("code", "name"))
    for n, code in enumerate(codes):
        area = names[code[2:8]]
        key = rng.random() < 0.05
        yield [
            code, f"{area}基准{n}号化工有限公司", "王伟", f"{area}建设大街{n % 400}号", area,
            "C2614",
            "危险化学品生产、有限空间" if n % 3 else "粉尘涉爆", "规上" if n % 4 == 0 else "规下",
            "ABCD"[rng.choices(range(4), (60, 28, 9, 3))[0]], "2025-05-01", "是" if key else "否",
            "构成危险化学品重大危险源" if key else "", "三级", "在业", "危化科", "李娜",
            f"138{n:08d}",
        ]  # fmt: skip


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


XLSX_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def write_xlsx(path: Path, header: list[str], rows) -> None:
    """Write an .xlsx as Excel and WPS do: text in the shared-string table.

    (openpyxl's own writer puts every string inline, which takes openpyxl about twice as long
    to read back: not what the bureau's files look like.)
    """
    strings: dict[str, int] = {}
    letters = [_column(index) for index in range(len(header))]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'{XML_DECLARATION}<worksheet xmlns="{SHEET_NS}"><sheetData>'.encode())
            for number, row in enumerate([header, *rows], start=1):
                cells = "".join(
                    f'<c r="{letters[column]}{number}" t="s">'
                    f"<v>{strings.setdefault(str(value), len(strings))}</v></c>"
                    for column, value in enumerate(row)
                    if value not in (None, "")
                )
                sheet.write(f'<row r="{number}">{cells}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        table = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
        archive.writestr(
            "xl/sharedStrings.xml",
            f'{XML_DECLARATION}<sst xmlns="{SHEET_NS}" uniqueCount="{len(strings)}">{table}</sst>',
        )
        for name, content in XLSX_PARTS.items():
            archive.writestr(name, XML_DECLARATION + content)


def write_csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)


def grade_rows(count: int, day: dt.date):
    """A monthly file: `count` enterprises, a tenth with a changed grade."""
    flip = {"A": "B", "B": "A", "C": "B", "D": "C", "": "B"}
    rows = Enterprise.objects.order_by("pk").values_list("uscc", "credit_grade")[:count]
    for n, (code, grade) in enumerate(rows.iterator(chunk_size=10_000)):
        new = flip[grade] if n % 10 == 0 else (grade or "B")
        yield [code, new, day.isoformat()]


# Runs the command given as its arguments and prints the command's own peak RSS. This process
# is large (the generated files) and a child started from it would count that memory in its
# peak (fork copies it; vfork-style spawning shares it until exec); the small wrapper's child
# starts from the wrapper's memory instead.
PEAK_RSS_WRAPPER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[1:]])
_, status, usage = os.wait4(pid, 0)
print("PEAK_RSS_KB", usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_import(command: str, path: Path, **env) -> tuple[float, int, str]:
    """Run an import command in its own process: (seconds, its peak RSS in MiB, its summary)."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", PEAK_RSS_WRAPPER, str(ROOT / "manage.py"), command, str(path)],
        cwd=ROOT,
        # As in production: DEBUG off (with DEBUG on, Django keeps every SQL statement).
        env=os.environ | {"DEBUG": "0", "SECRET_KEY": "bench-" + "x" * 50} | env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    if result.returncode != 0:
        print(output[-2000:])
        sys.exit(f"{command} {path.name} failed")
    peak = int(re.search(r"PEAK_RSS_KB (\d+)", output).group(1))
    return elapsed, peak // 1024, output.strip().splitlines()[0]


def time_imports(rows: int) -> None:
    banner(f"imports: {rows:,}-row files, each command in its own process")
    day = timezone.localdate().replace(day=1)
    small = max(rows // 10, 1)
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        codes = new_codes(rows * 2 + small, 0)
        xlsx_codes, csv_codes, small_codes = (
            codes[:rows],
            codes[rows : rows * 2],
            codes[rows * 2 :],
        )
        files = {
            "small.xlsx": (write_xlsx, ENTERPRISE_HEADER, enterprise_rows(small_codes)),
            "enterprises.xlsx": (write_xlsx, ENTERPRISE_HEADER, enterprise_rows(xlsx_codes)),
            "enterprises.csv": (write_csv, ENTERPRISE_HEADER, enterprise_rows(csv_codes)),
            "grades-small.xlsx": (write_xlsx, GRADE_HEADER, grade_rows(small, day)),
            "grades.xlsx": (write_xlsx, GRADE_HEADER, grade_rows(rows, day)),
        }
        for name, (write, header, content) in files.items():
            write(folder / name, header, content)
            print(f"{name}: {(folder / name).stat().st_size / 1024 / 1024:.1f} MiB")
        # A 100,000-row register CSV is about 20 MiB, the default IMPORT_MAX_MB: raised here.
        csv_env = {"IMPORT_MAX_MB": "50"}
        runs = [
            ("import_enterprises", "small.xlsx", {}, f"{small:,} new enterprises (xlsx)"),
            ("import_enterprises", "enterprises.xlsx", {}, f"{rows:,} new enterprises (xlsx)"),
            ("import_enterprises", "enterprises.xlsx", {}, "the same file again (unchanged)"),
            ("import_enterprises", "enterprises.csv", csv_env, f"{rows:,} new enterprises (csv)"),
            ("import_credit_grades", "grades-small.xlsx", {}, f"{small:,} grades, 1/10 changed"),
            ("import_credit_grades", "grades.xlsx", {}, f"{rows:,} grades, 1/10 changed"),
            ("import_credit_grades", "grades.xlsx", {}, "the same file again (unchanged)"),
        ]
        try:
            for command, name, env, label in runs:
                seconds, rss, summary = run_import(command, folder / name, **env)
                print(f"{command:22s} {label:34s} {seconds:6.1f} s  peak RSS {rss:4d} MiB")
                print(f"    {summary}", flush=True)
        finally:
            remove_imported(codes)


def remove_imported(codes: list[str]) -> None:
    """Remove what the benchmark imported (audit entries are append-only and stay)."""
    ids = list(Enterprise.objects.filter(uscc__in=codes).values_list("pk", flat=True))
    for start in range(0, len(ids), 20_000):
        chunk = ids[start : start + 20_000]
        EnterpriseSector.objects.filter(enterprise_id__in=chunk).delete()
        Enterprise.responsible_sections.through.objects.filter(enterprise_id__in=chunk).delete()
        CreditGradeChange.objects.filter(enterprise_id__in=chunk).delete()
        Enterprise.objects.filter(pk__in=chunk).delete()
    refresh_register_statistics()  # the deletions leave dead rows behind: as autovacuum would
    print(f"removed the {len(ids):,} enterprises the benchmark imported; VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--skip-lists", action="store_true")
    parser.add_argument("--skip-imports", action="store_true")
    args = parser.parse_args()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{version}, database {connection.settings_dict['NAME']}"
    )
    ensure_database(args.enterprises)
    if not args.skip_lists:
        time_lists(args.repeat)
    if not args.skip_imports:
        time_imports(args.import_rows)


if __name__ == "__main__":
    main()

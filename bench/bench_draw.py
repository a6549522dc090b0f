"""Benchmark of freeze + draw + saving the inspections (issue 6) on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres sr_draw_100k
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sr_draw_100k \\
        .venv/bin/python bench/bench_draw.py --enterprises 100000
    (and a database of its own, sr_draw_1m, for --enterprises 1000000: the campaign draws from
    the whole register of the database)

The first run of a size loads the register (synthetic enterprises with valid USCCs over the
22 areas, grades A 50 % / B 35 % / C 10 % / D 5 %) and a roster of 500 inspectors in two
departments (400 in the bureau, half of them tagged 危险化学品; 100 in the market regulator);
later runs reuse them. Then, in a fresh process (so that its peak memory is the draw's own):
a joint campaign over the whole register in 4 credit strata (A 2 %, B 4 %, C 8 %, D 20 %:
≈ 4.2 % selected) with 3 team slots is created and approved through the services; the timed
part is publishing (freezing the manifest) and the draw through the same service the Celery
task calls, including saving one inspection and three team members per selected enterprise.
Each step's time is printed, with where the time goes and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shijiazhuang_sr.settings")

GRADES = (("A", 50), ("B", 35), ("C", 10), ("D", 5))
RATIOS = {"A": Decimal("2"), "B": Decimal("4"), "C": Decimal("8"), "D": Decimal("20")}
BENCH_USER = "bench-chief"


def _setup_django():
    import django

    django.setup()


# --- loading the register and the roster (not timed) ---------------------------------------------


def load(enterprises: int, inspectors: int) -> None:
    _setup_django()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import transaction

    from campaigns.models import Area, Enterprise
    from campaigns.uscc import make_uscc
    from inspectors.models import Department, Inspector, InspectorStatusPeriod, Section, Tag
    from shijiazhuang_sr.accounts.models import User
    from shijiazhuang_sr.core import demo as core_demo

    call_command("migrate", verbosity=0)
    core_demo.seed_departments()
    bureau = Department.objects.get(name=core_demo.OWN_BUREAU)
    market = Department.objects.get(name=core_demo.MARKET_REGULATOR)
    hazchem_section = Section.objects.get(department=bureau, name="危险化学品安全监督管理科")
    market_section = Section.objects.filter(department=market).first()
    chief, created = User.objects.get_or_create(
        username=BENCH_USER,
        defaults={"full_name": "基准测试科长", "department": bureau, "section": hazchem_section},
    )
    if created:
        chief.groups.add(Group.objects.get(name="科室负责人"), Group.objects.get(name="局领导"))

    have = Inspector.objects.filter(cert_no__startswith="BENCH").count()
    if have < inspectors:
        tag, _ = Tag.objects.get_or_create(kind=Tag.Kind.FIELD, name="危险化学品")
        start = dt.date(2020, 1, 1)
        new = []
        for index in range(have, inspectors):
            in_bureau = index < inspectors * 4 // 5
            new.append(
                Inspector(
                    name=f"执法员{index:04d}",
                    cert_no=f"BENCH{index:06d}",
                    card_valid_from=start,
                    card_valid_to=dt.date(2099, 12, 31),
                    department=bureau if in_bureau else market,
                    section=hazchem_section if in_bureau else market_section,
                )
            )
        with transaction.atomic():
            created_rows = Inspector.objects.bulk_create(new, batch_size=1000)
            InspectorStatusPeriod.objects.bulk_create(
                [
                    InspectorStatusPeriod(
                        inspector=i,
                        status=Inspector.Status.ON_DUTY,
                        starts_on=start,
                        reason="基准测试",
                    )
                    for i in created_rows
                ],
                batch_size=1000,
            )
            through = Inspector.tags.through
            through.objects.bulk_create(
                [
                    through(inspector_id=i.pk, tag_id=tag.pk)
                    for n, i in enumerate(created_rows)
                    if i.department_id == bureau.pk and n % 2 == 0
                ],
                batch_size=1000,
            )
        print(f"loaded {len(new)} inspectors")

    have = Enterprise.objects.filter(name__startswith="基准").count()
    if have < enterprises:
        areas = list(Area.objects.exclude(kind=Area.Kind.ZONE))
        rng = random.Random(20260101)
        weights = [weight for _, weight in GRADES]
        letters = [grade for grade, _ in GRADES]
        started = time.monotonic()
        for batch_start in range(have, enterprises, 10000):
            rows = []
            for index in range(batch_start, min(enterprises, batch_start + 10000)):
                area = areas[index % len(areas)]
                rows.append(
                    Enterprise(
                        uscc=make_uscc(area.code, 5_000_000 + index),
                        name=f"基准{index:07d}化工有限公司",
                        area=area,
                        credit_grade=rng.choices(letters, weights)[0],
                        credit_grade_date=dt.date(2024, 1, 1),
                        credit_grade_source="基准测试",
                    )
                )
            Enterprise.objects.bulk_create(rows, batch_size=5000)
        print(f"loaded {enterprises - have} enterprises in {time.monotonic() - started:.0f} s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE campaigns_enterprise")


# --- the timed run -------------------------------------------------------------------------------

TIMES: dict[str, float] = defaultdict(float)


def _timed(module, name: str, label: str):
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            TIMES[label] += time.perf_counter() - started

    setattr(module, name, wrapper)


@contextmanager
def step(label: str):
    started = time.perf_counter()
    yield
    TIMES[label] += time.perf_counter() - started


def run(enterprises: int) -> None:
    _setup_django()
    from django.db import connection

    from campaigns import drawspec
    from campaigns.models import AnnualPlan, Enterprise
    from campaigns.selectors.campaigns import current_manifest
    from campaigns.services import draws, plans
    from checklists.models import CheckItem
    from inspectors.models import Department, Tag
    from shijiazhuang_sr.accounts.models import User
    from shijiazhuang_sr.audit.context import Channel, acting
    from shijiazhuang_sr.core import demo as core_demo
    from tests.checklists.factories import make_item

    chief = User.objects.get(username=BENCH_USER)
    bureau = Department.objects.get(name=core_demo.OWN_BUREAU)
    market = Department.objects.get(name=core_demo.MARKET_REGULATOR)
    tag = Tag.objects.get(kind=Tag.Kind.FIELD, name="危险化学品")
    register = Enterprise.objects.count()
    today = dt.date.today()
    starts = today + dt.timedelta(days=7) if today.month < 12 else today
    with acting(user=chief, channel=Channel.COMMAND):
        item = CheckItem.objects.filter(code="BENCH-1").first() or make_item(
            code="BENCH-1", responsible_section=chief.section
        )
        plan = AnnualPlan.objects.filter(year=starts.year, section=chief.section).first()
        if plan is None:
            plan = plans.annual_plan_create(by=chief, year=starts.year, section=chief.section)
        campaign = plans.campaign_create(
            by=chief,
            plan=plan,
            data=plans.CampaignData(
                title=f"基准测试 {enterprises} 户",
                lead_department=bureau,
                participating_departments=[market],
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=20),
                items=[item],
                strata=[
                    {"grade": grade, "ratio": ratio, "fixed_count": None}
                    for grade, ratio in RATIOS.items()
                ],
                slots=[
                    {"department": bureau, "tag": tag},
                    {"department": bureau, "tag": None},
                    {"department": market, "tag": None},
                ],
                external_randomness="基准测试外部随机数",
                # Earlier benchmark draws on this database must not shrink the pool.
                lookback_months=0,
            ),
        )
        plans.campaign_submit(by=chief, campaign=campaign)
        plans.campaign_approve(by=chief, campaign=campaign)

        _timed(draws, "population", "freeze: population query + stratify")
        _timed(draws, "eligible_inspectors", "freeze: pool query")
        _timed(draws, "active_recusal_pairs", "freeze: recusals")
        _timed(draws, "lookback_pairs", "freeze: look-back exclusions")
        _timed(drawspec, "manifest_problems", "engine: manifest checks (§2)")
        _timed(drawspec, "canonical_json", "canonical JSON")
        _timed(drawspec, "compute_result", "engine: selection + teams (§5)")
        _timed(draws, "_save_draw", "save: draw + inspections + teams")

        started = time.perf_counter()
        plans.campaign_publish(by=chief, campaign=campaign)
        freeze = time.perf_counter() - started
        manifest = current_manifest(campaign)
        started = time.perf_counter()
        draw = draws.draw_perform(
            manifest_id=manifest.pk, external_sources=["基准测试外部随机数"], by=chief
        )
        drawn = time.perf_counter() - started

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stats = manifest.stats
    print(
        f"\nregister {register:,} enterprises; population {stats['population']:,}; "
        f"selected {draw.selected_count:,} ({draw.selected_count / stats['population']:.1%}); "
        f"pool {stats['pool']} inspectors; {stats['slots']} slots; cap {stats['cap']}"
    )
    print(
        f"manifest {len(manifest.body) / 1e6:.1f} MB; "
        f"{draw.inspections.count():,} inspections saved"
    )
    print(f"\n{'step':<44}{'seconds':>9}")
    print(f"{'publish (freeze manifest, commit nonce)':<44}{freeze:>9.2f}")
    print(f"{'draw (engine + save inspections)':<44}{drawn:>9.2f}")
    print(f"{'TOTAL freeze + draw + save':<44}{freeze + drawn:>9.2f}")
    print("\nwhere the time goes (inclusive; canonical JSON is used by both steps):")
    for label, seconds in sorted(TIMES.items(), key=lambda item: -item[1]):
        print(f"  {label:<42}{seconds:>9.2f}")
    print(f"\npeak RSS of this process: {peak:.0f} MiB")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, PostgreSQL {connection.pg_version // 10000}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--inspectors", type=int, default=500)
    parser.add_argument("--phase", choices=["all", "load", "run"], default="all")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("set DATABASE_URL to a PostgreSQL database (see the docstring)")
    if args.phase in ("all", "load"):
        load(args.enterprises, args.inspectors)
    if args.phase == "all":
        # A fresh process, so that the peak memory printed is the draw's, not the loading's.
        subprocess.run(
            [sys.executable, __file__, "--phase", "run", "--enterprises", str(args.enterprises)],
            check=True,
        )
    elif args.phase == "run":
        run(args.enterprises)


if __name__ == "__main__":
    main()

"""Demo register: `options["enterprises"]` synthetic enterprises of Shijiazhuang (default 5,000).

Realistic, never real: valid USCCs (GB 32100-2015, with the area's code), names such as
"石家庄恒达化工有限公司" or "辛集市宏泰皮革制品有限公司" spread over the 22 county-level areas
and the two zones, credit grades (mostly A and B, fewer C, few D) with their history, supervision
sectors, scale, key-supervision flags (about 5 %), standardisation levels, a few approved
recusals for demo inspectors (and one waiting for approval), and some check visits.

Deterministic (one seeded random sequence; dates relative to today) and idempotent: enterprise
number i is always the same enterprise, keyed by its USCC, and only the missing ones are added,
so a second run adds nothing and a larger `--enterprises` adds the rest. Rows go in by COPY on
PostgreSQL and by executemany elsewhere, in chunks, so a million enterprises take minutes.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from campaigns.imports.register import insert_rows
from campaigns.models import (
    Area,
    CheckVisit,
    CreditGradeChange,
    Enterprise,
    EnterpriseSector,
    Recusal,
)
from campaigns.models.register import name_grams
from campaigns.uscc import make_uscc
from checklists.models import SupervisionSector
from inspectors.models import Department, Inspector, Section
from shijiazhuang_sr.accounts.models import User
from shijiazhuang_sr.core import demo as core_demo

SEED = 20240601
CHUNK = 10_000
HAZCHEM, MINES, TRADE = (
    "危险化学品安全监督管理科",
    "非煤矿山安全监督管理科",
    "工贸行业安全监督管理科",
)

# (word in the name, GB/T 4754 code, supervision sectors, responsible section, weight)
INDUSTRIES = [
    ("化工", "C2614", ["危险化学品生产"], HAZCHEM, 8),
    ("精细化工", "C2662", ["危险化学品生产"], HAZCHEM, 3),
    ("化学试剂", "C2661", ["危险化学品生产"], HAZCHEM, 2),
    ("制药", "C2710", ["危险化学品使用"], HAZCHEM, 3),
    ("石油销售", "F5265", ["危险化学品经营"], HAZCHEM, 3),
    ("燃气", "D4511", ["危险化学品经营"], HAZCHEM, 3),
    ("危险品物流", "G5436", ["危险化学品经营"], HAZCHEM, 2),
    ("烟花爆竹", "F5149", ["烟花爆竹"], HAZCHEM, 1),
    ("矿业", "B1019", ["非煤矿山"], MINES, 2),
    ("石材", "B1012", ["非煤矿山"], MINES, 1),
    ("钢铁", "C3120", ["冶金"], TRADE, 2),
    ("铸造", "C3391", ["冶金"], TRADE, 3),
    ("铝业", "C3216", ["有色"], TRADE, 1),
    ("水泥", "C3011", ["建材"], TRADE, 2),
    ("玻璃", "C3041", ["建材"], TRADE, 2),
    ("建材", "C3039", ["建材"], TRADE, 3),
    ("机械制造", "C3425", ["机械", "有限空间"], TRADE, 6),
    ("装备", "C3599", ["机械"], TRADE, 3),
    ("食品", "C1499", ["轻工", "涉氨制冷"], TRADE, 5),
    ("冷链物流", "G5951", ["商贸", "涉氨制冷"], TRADE, 2),
    ("皮革制品", "C1910", ["轻工"], TRADE, 4),
    ("家具", "C2110", ["轻工", "粉尘涉爆"], TRADE, 3),
    ("木业", "C2021", ["轻工", "粉尘涉爆"], TRADE, 2),
    ("纺织", "C1711", ["纺织"], TRADE, 4),
    ("服装", "C1810", ["纺织"], TRADE, 2),
    ("卷烟", "C1620", ["烟草"], TRADE, 1),
    ("商贸", "F5299", ["商贸"], TRADE, 6),
    ("超市", "F5211", ["商贸"], TRADE, 3),
    ("污水处理", "D4620", ["有限空间"], TRADE, 1),
    ("粮油", "C1331", ["轻工", "粉尘涉爆", "有限空间"], TRADE, 2),
]
INDUSTRY_WEIGHTS = [industry[4] for industry in INDUSTRIES]
BRAND_FIRST = "恒华鑫盛宏金瑞永嘉博裕宝凯天中冀"
BRAND_SECOND = "源达兴泰昌丰安隆信德润通康顺祥豪"
EXTRA_BRANDS = ["太行", "燕赵", "滹沱", "冀中", "正元", "常山", "赵州", "华北"]
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司", "厂"]
SUFFIX_WEIGHTS = [60, 20, 10, 10]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
GIVEN = "建国志强秀英丽华明军海涛晓东伟芳敏静磊洋艳勇杰娟涛超霞平刚桂英玉兰"
ROADS = ["中山路", "建设大街", "和平路", "裕华路", "体育大街", "友谊大街", "石清路", "工业路"]
GRADES, GRADE_WEIGHTS = ["A", "B", "C", "D"], [60, 28, 9, 3]
STANDARDISATION, STANDARDISATION_WEIGHTS = ["1", "2", "3", "none"], [1, 10, 45, 44]
STATUSES = ["active", "suspended", "cancelled", "revoked", "moved_out"]
STATUS_WEIGHTS = [92, 4, 2, 1, 1]
KEY_REASONS = {
    "危险化学品生产": "构成危险化学品重大危险源",
    "危险化学品经营": "构成危险化学品重大危险源",
    "危险化学品使用": "涉及重点监管的危险化工工艺",
    "粉尘涉爆": "粉尘涉爆企业，涉爆人员 30 人以上",
    "涉氨制冷": "涉氨制冷企业，液氨使用量 10 吨以上",
}
AREA_WEIGHTS = {"district": 6, "county": 3, "city": 4, "zone": 5}
GIN_INDEX = "enterprise_name_grams_gin"  # created by migration 0002_areas_and_name_search
GIN_REBUILD_ABOVE = 200_000
RECUSAL_EVERY = 997  # about one approved recusal per thousand enterprises
RECUSAL_REASONS = [
    (Recusal.Reason.KINSHIP, "配偶在该企业任安全管理人员。"),
    (Recusal.Reason.FORMER_EMPLOYMENT, "2019 年至 2021 年曾在该企业任职。"),
    (Recusal.Reason.ENTERPRISE_REQUEST, "企业来函申请该执法人员回避，经核实存在利害关系。"),
]


@dataclass
class Spec:
    """Everything about demo enterprise number `index`, drawn in a fixed order."""

    index: int
    uscc: str
    name: str
    area: Area
    industry: tuple
    legal_representative: str
    address: str
    scale: str
    grade: str
    grade_date: dt.date
    previous_grade: tuple[str, dt.date] | None
    key_reason: str
    standardisation: str
    status: str
    contact: tuple[str, str]
    visits: list[tuple[dt.date, bool]] = field(default_factory=list)


def _month_start(today: dt.date, months_back: int) -> dt.date:
    month = today.month - 1 - months_back
    return dt.date(today.year + month // 12, month % 12 + 1, 1)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))


def _brand(rng: random.Random) -> str:
    if rng.random() < 0.05:
        return rng.choice(EXTRA_BRANDS)
    return rng.choice(BRAND_FIRST) + rng.choice(BRAND_SECOND)


def _prefix(rng: random.Random, area: Area) -> str:
    if area.kind == Area.Kind.DISTRICT:
        return rng.choice(("石家庄", "石家庄市", "河北"))
    if area.kind == Area.Kind.ZONE:
        return rng.choice(("石家庄", "河北"))
    return rng.choice((area.name, area.name, "河北", "石家庄"))


def make_spec(index: int, rng: random.Random, areas: list[Area], weights, today) -> Spec:
    area = rng.choices(areas, weights)[0]
    industry = rng.choices(INDUSTRIES, INDUSTRY_WEIGHTS)[0]
    suffix = rng.choices(SUFFIXES, SUFFIX_WEIGHTS)[0]
    name = f"{_prefix(rng, area)}{_brand(rng)}{industry[0]}{suffix}"
    grade = rng.choices(GRADES, GRADE_WEIGHTS)[0]
    grade_date = _month_start(today, rng.randrange(12))
    previous = None
    if rng.random() < 0.1:
        previous = (
            rng.choice([g for g in GRADES if g != grade]),
            _month_start(today, 12 + rng.randrange(12)),
        )
    key_reason = ""
    if rng.random() < 0.05:
        key_reason = next(
            (KEY_REASONS[s] for s in industry[2] if s in KEY_REASONS), "涉及有限空间作业"
        )
    visits = []
    if rng.random() < 0.04:
        for _ in range(rng.choice((1, 1, 2))):
            visits.append((today - dt.timedelta(days=rng.randrange(1, 500)), rng.random() < 0.6))
    # Serials spread over the code space so that neighbours do not look sequential.
    serial = (index * 7919 + 1_234_567) % 10**8
    return Spec(
        index=index,
        uscc=make_uscc(area.code, serial),
        name=name,
        area=area,
        industry=industry,
        legal_representative=_person(rng),
        address=f"{area.name}{rng.choice(ROADS)}{rng.randrange(1, 400)}号",
        scale="above" if rng.random() < 0.25 else "below",
        grade=grade,
        grade_date=grade_date,
        previous_grade=previous,
        key_reason=key_reason,
        standardisation=rng.choices(STANDARDISATION, STANDARDISATION_WEIGHTS)[0],
        status=rng.choices(STATUSES, STATUS_WEIGHTS)[0],
        contact=(_person(rng), f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"),
        visits=visits,
    )


class _Seeder:
    def __init__(self, today: dt.date):
        self.today = today
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.areas = list(Area.objects.filter(is_active=True).order_by("sort_order"))
        self.weights = [AREA_WEIGHTS[area.kind] for area in self.areas]
        self.sectors = {sector.name: sector.pk for sector in SupervisionSector.objects.all()}
        self.sections = {
            section.name: section.pk
            for section in Section.objects.filter(department__name=core_demo.OWN_BUREAU)
        }
        self.departments = list(Department.objects.order_by("sort_order", "name"))
        self.inspectors = list(Inspector.objects.order_by("cert_no"))
        self.staff = User.objects.filter(username="section4").first()
        self.created = 0

    def _date(self, day: dt.date):
        return connection.ops.adapt_datefield_value(day)

    @transaction.atomic
    def insert(self, specs: list[Spec]) -> None:
        existing = set(
            Enterprise.objects.filter(uscc__in=[s.uscc for s in specs]).values_list(
                "uscc", flat=True
            )
        )
        new = [spec for spec in specs if spec.uscc not in existing]
        if not new:
            return
        columns = [
            "uscc", "name", "name_grams", "legal_representative", "address", "area_id",
            "industry_code", "scale", "credit_grade", "credit_grade_date", "credit_grade_source",
            "is_key_supervision", "key_supervision_reason", "standardisation_level", "status",
            "contact_person", "contact_phone", "created_at", "updated_at",
        ]  # fmt: skip
        insert_rows(Enterprise, columns, [self._row(spec) for spec in new])
        ids = dict(
            Enterprise.objects.filter(uscc__in=[s.uscc for s in new]).values_list("uscc", "id")
        )
        self._relations(new, ids)
        self.created += len(new)

    def _row(self, s: Spec) -> tuple:
        return (
            s.uscc, s.name, name_grams(s.name), s.legal_representative, s.address, s.area.pk,
            s.industry[1], s.scale, s.grade, self._date(s.grade_date), _source(s.grade_date),
            bool(s.key_reason), s.key_reason, s.standardisation, s.status, s.contact[0],
            s.contact[1], self.now, self.now,
        )  # fmt: skip

    def _grade_change(self, pk: int, old: str, new: str, day: dt.date) -> tuple:
        return (pk, old, new, self._date(day), _source(day), self.now)

    def _relations(self, new: list[Spec], ids: dict[str, int]) -> None:
        sectors, sections, changes = [], [], []
        for s in new:
            pk = ids[s.uscc]
            sectors += [(pk, self.sectors[n]) for n in s.industry[2] if n in self.sectors]
            if s.industry[3] in self.sections:
                sections.append((pk, self.sections[s.industry[3]]))
            old = ""
            if s.previous_grade:
                old = s.previous_grade[0]
                changes.append(self._grade_change(pk, "", old, s.previous_grade[1]))
            changes.append(self._grade_change(pk, old, s.grade, s.grade_date))
        insert_rows(EnterpriseSector, ["enterprise_id", "sector_id"], sectors)
        through = Enterprise.responsible_sections.through
        insert_rows(through, ["enterprise_id", "section_id"], sections)
        insert_rows(
            CreditGradeChange,
            ["enterprise_id", "old_grade", "new_grade", "effective_date", "source", "recorded_at"],
            changes,
        )
        self._visits(new, ids)
        self._recusals(new, ids)

    def _visits(self, new: list[Spec], ids: dict[str, int]) -> None:
        if not self.departments:
            return
        bureau, others = self.departments[0], self.departments[1:]
        visits, departments = [], []
        for s in new:
            for number, (day, joint) in enumerate(s.visits, start=1):
                visits.append(
                    CheckVisit(
                        enterprise_id=ids[s.uscc],
                        visited_on=day,
                        reference=f"石应急检记〔{day.year}〕{(s.index * 7 + number) % 10000:04d}号",
                        source=CheckVisit.Source.PLATFORM,
                    )
                )
                departments.append([bureau, *(others[:1] if joint and others else [])])
        CheckVisit.objects.bulk_create(visits, batch_size=2000)
        through = CheckVisit.departments.through
        through.objects.bulk_create(
            [
                through(checkvisit_id=visit.pk, department_id=department.pk)
                for visit, chosen in zip(visits, departments, strict=True)
                for department in chosen
            ],
            batch_size=2000,
        )

    def _recusals(self, new: list[Spec], ids: dict[str, int]) -> None:
        if not self.inspectors or self.staff is None:
            return
        decided_at = timezone.now()
        recusals = []
        for s in new:
            if s.index % RECUSAL_EVERY:
                continue
            number = s.index // RECUSAL_EVERY
            inspector = self.inspectors[(number * 37) % len(self.inspectors)]
            reason, description = RECUSAL_REASONS[number % len(RECUSAL_REASONS)]
            recusals.append(
                Recusal(
                    inspector=inspector,
                    enterprise_id=ids[s.uscc],
                    reason=reason,
                    description=description,
                    valid_from=self.today - dt.timedelta(days=30 + number % 300),
                    status=Recusal.Status.APPROVED,
                    declared_by_id=inspector.user_id or self.staff.pk,
                    decided_by=self.staff,
                    decided_at=decided_at,
                    decision_note="经核实，同意回避。",
                )
            )
        Recusal.objects.bulk_create(recusals)

    @transaction.atomic
    def demo_account_recusals(self) -> None:
        """The demo inspector's own: one approved, one waiting for section 4 (idempotent)."""
        inspector = Inspector.objects.filter(user__username="inspector").first()
        targets = list(Enterprise.objects.order_by("id")[1:3])
        if inspector is None or self.staff is None or len(targets) < 2:
            return
        if Recusal.objects.filter(inspector=inspector, enterprise__in=targets).exists():
            return
        Recusal.objects.bulk_create(
            [
                Recusal(
                    inspector=inspector,
                    enterprise=targets[0],
                    reason=Recusal.Reason.FORMER_EMPLOYMENT,
                    description="2018 年至 2020 年曾在该企业任安全员。",
                    valid_from=self.today - dt.timedelta(days=60),
                    status=Recusal.Status.APPROVED,
                    declared_by_id=inspector.user_id,
                    decided_by=self.staff,
                    decided_at=timezone.now(),
                ),
                Recusal(
                    inspector=inspector,
                    enterprise=targets[1],
                    reason=Recusal.Reason.KINSHIP,
                    description="表兄在该企业任生产副总经理。",
                    valid_from=self.today,
                    declared_by_id=inspector.user_id,
                ),
            ]
        )


@contextmanager
def _name_index_rebuilt_after(new_rows: int):
    """For a large load on PostgreSQL, build the name-search GIN index once at the end instead
    of updating it row by row (several times faster for a million enterprises)."""
    if connection.vendor != "postgresql" or new_rows < GIN_REBUILD_ABOVE:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON {Enterprise._meta.db_table} "
                "USING gin (name_grams)"
            )
            cursor.execute("RESET maintenance_work_mem")


def _source(day: dt.date) -> str:
    return f"省平台信用风险分类结果（{day.year}年{day.month}月）"


def seed(*, stdout, options) -> None:
    count = options.get("enterprises", 5000)
    today = timezone.localdate()
    seeder = _Seeder(today)
    if not seeder.areas:
        stdout.write("检查对象：没有区县数据（迁移未执行？），跳过。")
        return
    rng = random.Random(SEED)  # noqa: S311 - synthetic demo data, not secrets
    with _name_index_rebuilt_after(count - Enterprise.objects.count()):
        for start in range(0, count, CHUNK):
            stop = min(count, start + CHUNK)
            seeder.insert(
                [make_spec(i, rng, seeder.areas, seeder.weights, today) for i in range(start, stop)]
            )
    seeder.demo_account_recusals()
    if seeder.created and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Fresh statistics for the planner (and the list's row estimate).
            for model in (Enterprise, EnterpriseSector, CreditGradeChange):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    stdout.write(
        f"检查对象 {Enterprise.objects.count()} 家（本次新增 {seeder.created} 家），"
        f"回避登记 {Recusal.objects.count()} 条，检查记录 {CheckVisit.objects.count()} 条"
    )

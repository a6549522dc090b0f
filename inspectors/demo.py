"""Demo roster: `options["inspectors"]` synthetic officers for Shijiazhuang (default 320).

Most work in the bureau's supervision and enforcement sections; some in the market regulator
and the fire brigade, whom joint "一业一查" campaigns need. A few cards expire within 30 days
and a few have expired; a few officers are on leave, in training or seconded; a couple have
retired or been transferred. The demo account "inspector" (陈晓明) is linked to a 危化科
officer. Deterministic (seeded random, dates relative to today) and idempotent: officers are
keyed by card number and a second run adds nothing. Bulk writes throughout.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from inspectors.models import Department, Inspector, InspectorStatusPeriod, Section, Tag
from shijiazhuang_sr.accounts.models import User
from shijiazhuang_sr.core import demo as core_demo

FIELD_TAGS = [
    "危险化学品",
    "工贸",
    "非煤矿山",
    "烟花爆竹",
    "职业健康",
    "特种设备",
    "消防",
    "冶金有色",
    "建材",
]
EXPERTISE_TAGS = [
    "化工工艺",
    "重大危险源",
    "电气安全",
    "粉尘防爆",
    "有限空间",
    "涉氨制冷",
    "消防设施",
    "压力容器",
    "起重机械",
    "尾矿库",
    "爆破作业",
    "职业病危害检测",
    "应急救援",
]

# (department, section, share of the roster, card type, category, fields, expertise)
HEBEI, EMERGENCY = Inspector.CardType.HEBEI_ENFORCEMENT, Inspector.CardType.EMERGENCY
SUPERVISION, COMPREHENSIVE = Inspector.Category.SUPERVISION, Inspector.Category.COMPREHENSIVE
BUREAU, MARKET, FIRE = core_demo.OWN_BUREAU, core_demo.MARKET_REGULATOR, core_demo.FIRE_BRIGADE
PLACES = [
    (
        BUREAU,
        "危险化学品安全监督管理科",
        14,
        HEBEI,
        SUPERVISION,
        ["危险化学品", "烟花爆竹"],
        ["化工工艺", "重大危险源", "电气安全", "压力容器"],
    ),
    (BUREAU, "非煤矿山安全监督管理科", 8, HEBEI, SUPERVISION, ["非煤矿山"], ["尾矿库", "爆破作业"]),
    (
        BUREAU,
        "工贸行业安全监督管理科",
        12,
        HEBEI,
        SUPERVISION,
        ["工贸", "冶金有色", "建材"],
        ["粉尘防爆", "有限空间", "涉氨制冷", "电气安全"],
    ),
    (BUREAU, "安全生产基础科", 6, HEBEI, SUPERVISION, ["职业健康", "工贸"], ["职业病危害检测"]),
    *[
        (
            BUREAU,
            f"综合执法{number}科",
            9,
            EMERGENCY,
            COMPREHENSIVE,
            ["危险化学品", "工贸", "非煤矿山", "烟花爆竹", "职业健康"],
            ["化工工艺", "电气安全", "粉尘防爆", "有限空间", "涉氨制冷", "应急救援"],
        )
        for number in "一二三四"
    ],
    (MARKET, "特种设备安全监察科", 8, HEBEI, SUPERVISION, ["特种设备"], ["压力容器", "起重机械"]),
    (MARKET, "产品质量安全监督管理科", 4, HEBEI, SUPERVISION, ["工贸"], ["电气安全"]),
    (FIRE, "防火监督处", 10, HEBEI, SUPERVISION, ["消防"], ["消防设施", "电气安全"]),
]
ISSUERS = {HEBEI: "石家庄市人民政府", EMERGENCY: "应急管理部"}
DEPARTMENT_CODES = {BUREAU: 1, MARKET: 2, FIRE: 3}

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
    "贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
    "钱汤尹黎常武乔贺赖龚文"
)
GIVEN = (  # noqa: SIM905 - easier to read and extend as one string
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 鹏 辉 斌 宇 昊 琳 瑶 倩 欣 悦 "
    "凯 博 晨 阳 旭 丹 萍 玲 雪 华 秀英 桂英 建华 志强 海燕 晓东 立新 建国 卫东 文博 浩然 振华 "
    "国栋 红梅 丽华 建军 亚楠 思远 宏伟 文静 春燕 晓峰 冬梅 少华 永刚 俊杰 晓丽 学军 玉兰 金凤 "
    "志刚 海涛 振宇 晓光 建平 立华 国庆 雅琴 慧敏 子豪"
).split()
PHONE_PREFIXES = ("133", "135", "138", "139", "150", "151", "157", "158", "187", "188")
DEMO_INSPECTOR = ("陈晓明", "危险化学品安全监督管理科")


@dataclass
class Officer:
    cert_no: str
    name: str
    department: str
    section: str
    card_type: str
    category: str
    valid_from: dt.date
    valid_to: dt.date
    phone: str
    record_id: str
    tags: list[tuple[str, str]] = field(default_factory=list)
    periods: list[tuple[str, dt.date, dt.date | None, str]] = field(default_factory=list)


def _place(rng: random.Random) -> tuple:
    return rng.choices(PLACES, weights=[place[2] for place in PLACES])[0]


def officers(count: int, today: dt.date) -> list[Officer]:
    """The demo officers. Officer i is the same whatever the count (each has its own seeded
    random), so a larger count adds officers and never changes the earlier ones."""
    result, names = [], set()
    sequences: dict[int, int] = {}
    for index in range(count):
        rng = random.Random(f"sjz-roster-{index}")  # noqa: S311 - demo data, not secrets
        place = PLACES[0] if index == 0 else _place(rng)
        department, section, _share, card_type, category, fields, expertise = place
        name = DEMO_INSPECTOR[0] if index == 0 else rng.choice(SURNAMES) + rng.choice(GIVEN)
        for _attempt in range(20):  # rosters do have namesakes, but few
            if not index or name not in names:
                break
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        names.add(name)
        valid_from = today - dt.timedelta(days=rng.randint(60, 4 * 365))
        code = DEPARTMENT_CODES[department]
        sequences[code] = sequences.get(code, 0) + 1
        officer = Officer(
            cert_no=f"1301{code:02d}20{sequences[code]:05d}",
            name=name,
            department=department,
            section=section,
            card_type=card_type,
            category=category,
            valid_from=valid_from,
            valid_to=valid_from + dt.timedelta(days=5 * 365),
            phone=rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}",
            record_id=f"SJZSFJ-ZF-{100000 + index * 7 + rng.randrange(7)}",
        )
        officer.tags = [("field", tag) for tag in rng.sample(fields, min(len(fields), 2))]
        officer.tags += [
            ("expertise", tag)
            for tag in rng.sample(expertise, min(len(expertise), rng.choice((1, 1, 2))))
        ]
        if index == 0:
            officer.tags = [("field", "危险化学品"), ("expertise", "化工工艺")]
        officer.periods = [("on_duty", min(valid_from, today), None, "名录库初始建立")]
        _vary(officer, index, today)
        result.append(officer)
    return result


DAY = dt.timedelta(days=1)
# Officer index → (days from today to the card's expiry): a few expiring, a few expired.
CARD_EXPIRY = {3: 5, 11: 12, 19: 19, 27: 26, 5: -10, 13: -30, 21: -50}
# Officer index → a status period on top of 在岗 (days from today; None: open-ended).
EXTRA_PERIODS = {
    7: ("on_leave", -2, 5, "年休假"),
    9: ("on_leave", -1, 2, "病假"),
    15: ("on_leave", 10, 14, "年休假"),
    17: ("training", 7, 11, "全省应急管理执法业务培训"),
    23: ("training", -1, 3, "危险化学品安全监管专题培训"),
    25: ("seconded", -60, None, "借调市安委会办公室"),
    29: ("retired", -90, None, "到龄退休"),
    31: ("retired", -200, None, "到龄退休"),
    33: ("transferred", -120, None, "调任市交通运输局"),
}


def _vary(officer: Officer, index: int, today: dt.date) -> None:
    if index in CARD_EXPIRY:
        officer.valid_to = today + DAY * CARD_EXPIRY[index]
        officer.valid_from = officer.valid_to - DAY * (5 * 365)
        officer.periods[0] = ("on_duty", officer.valid_from, None, "名录库初始建立")
    if index in EXTRA_PERIODS:
        status, start, end, reason = EXTRA_PERIODS[index]
        officer.periods.append(
            (status, today + DAY * start, None if end is None else today + DAY * end, reason)
        )


def _status_today(officer: Officer, today: dt.date) -> str:
    covering = [
        (start, position, status)
        for position, (status, start, end, _reason) in enumerate(officer.periods)
        if start <= today and (end is None or end >= today)
    ]
    return max(covering)[2] if covering else Inspector.Status.ON_DUTY


@transaction.atomic
def seed_tags() -> dict[tuple[str, str], Tag]:
    wanted = [(Tag.Kind.FIELD, name, order) for order, name in enumerate(FIELD_TAGS, 1)]
    wanted += [(Tag.Kind.EXPERTISE, name, order) for order, name in enumerate(EXPERTISE_TAGS, 1)]
    existing = {(tag.kind, tag.name) for tag in Tag.objects.all()}
    Tag.objects.bulk_create(
        [
            Tag(kind=kind, name=name, sort_order=order)
            for kind, name, order in wanted
            if (kind, name) not in existing
        ]
    )
    return {(tag.kind, tag.name): tag for tag in Tag.objects.all()}


@transaction.atomic
def seed_inspectors(count: int, today: dt.date | None = None) -> int:
    """Create the officers that do not exist yet; returns how many were created."""
    today = today or timezone.localdate()
    tags = seed_tags()
    departments = {d.name: d for d in Department.objects.all()}
    sections = {(s.department_id, s.name): s for s in Section.objects.all()}
    wanted = officers(count, today)
    existing = set(
        Inspector.objects.filter(cert_no__in=[o.cert_no for o in wanted]).values_list(
            "cert_no", flat=True
        )
    )
    new = [officer for officer in wanted if officer.cert_no not in existing]
    inspectors = []
    for officer in new:
        department = departments[officer.department]
        inspectors.append(
            Inspector(
                name=officer.name,
                cert_no=officer.cert_no,
                card_type=officer.card_type,
                issuing_authority=ISSUERS[officer.card_type],
                card_valid_from=officer.valid_from,
                card_valid_to=officer.valid_to,
                department=department,
                section=sections[(department.pk, officer.section)],
                category=officer.category,
                phone=officer.phone,
                justice_record_id=officer.record_id,
                status=_status_today(officer, today),
            )
        )
    Inspector.objects.bulk_create(inspectors, batch_size=500)
    through = Inspector.tags.through
    through.objects.bulk_create(
        [
            through(inspector_id=inspector.pk, tag_id=tags[tag].pk)
            for officer, inspector in zip(new, inspectors, strict=True)
            for tag in officer.tags
        ],
        batch_size=1000,
    )
    InspectorStatusPeriod.objects.bulk_create(
        [
            InspectorStatusPeriod(
                inspector=inspector, status=status, starts_on=start, ends_on=end, reason=reason
            )
            for officer, inspector in zip(new, inspectors, strict=True)
            for status, start, end, reason in officer.periods
        ],
        batch_size=1000,
    )
    _link_demo_account(wanted[0].cert_no if wanted else None)
    return len(inspectors)


def _link_demo_account(cert_no: str | None) -> None:
    user = User.objects.filter(username="inspector").first()
    if user is None or cert_no is None or Inspector.objects.filter(user=user).exists():
        return
    Inspector.objects.filter(cert_no=cert_no, user__isnull=True).update(user=user)


def seed(*, stdout, options) -> None:
    count = options.get("inspectors", 320)
    created = seed_inspectors(count)
    stdout.write(
        f"执法人员 {Inspector.objects.count()} 名（本次新增 {created} 名），"
        f"人员标签 {Tag.objects.count()} 个"
    )

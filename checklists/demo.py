"""Demo data of the item list: the sectors vocabulary, an emergency bureau's spot-check items
(hazardous chemicals, industry and trade, non-coal mines, fireworks, occupational health,
safety basics) with their legal basis, the partner departments' items, two "一业一查" joint
lists, and two requests to add an item.

Everything goes through the services (versions and audit entries included). Idempotent: an
item whose code exists, a list whose name exists, a request already filed are left alone.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from checklists import services
from checklists.demo_items import (
    ITEMS,
    JOINT_LISTS,
    ORIGINAL_BASIS,
    REQUESTS,
    RETIRING_ITEM,
    REVISED_ITEM,
    SECTIONS,
)
from checklists.models import CheckItem, CheckItemRequest, JointItemList, SupervisionSector
from checklists.specs import ItemSpec, LegalBasisSpec
from inspectors.models import Department, Section, Tag
from shijiazhuang_sr.accounts.models import User

# --- the supervision sectors vocabulary (shared with the enterprise register) ----------------

SECTORS = [
    ("hazchem_production", "危险化学品生产"),
    ("hazchem_trade", "危险化学品经营"),
    ("hazchem_use", "危险化学品使用"),
    ("fireworks", "烟花爆竹"),
    ("non_coal_mine", "非煤矿山"),
    ("metallurgy", "冶金"),
    ("nonferrous", "有色"),
    ("building_materials", "建材"),
    ("machinery", "机械"),
    ("light_industry", "轻工"),
    ("textile", "纺织"),
    ("tobacco", "烟草"),
    ("commerce", "商贸"),
    ("combustible_dust", "粉尘涉爆"),
    ("ammonia_refrigeration", "涉氨制冷"),
    ("confined_space", "有限空间"),
    ("metallurgy_gas", "冶金煤气"),
    ("occupational_health", "职业健康"),
]

EFFECTIVE_FROM = dt.date(2024, 1, 1)


def seed_sectors() -> dict[str, SupervisionSector]:
    """The standard vocabulary; existing entries (by code or name) are left as they are."""
    existing = SupervisionSector.objects.all()
    codes = {sector.code for sector in existing}
    names = {sector.name for sector in existing}
    SupervisionSector.objects.bulk_create(
        SupervisionSector(code=code, name=name, sort_order=order * 10)
        for order, (code, name) in enumerate(SECTORS, start=1)
        if code not in codes and name not in names
    )
    return {sector.name: sector for sector in SupervisionSector.objects.all()}


def _sections() -> dict[str, Section]:
    return {
        key: Section.objects.get(department__name=department, name=name)
        for key, (department, name) in SECTIONS.items()
    }


def _spec(code, section, name, category, methods, sector_names, subs, bases, extra, sectors, tags):
    return ItemSpec(
        code=code,
        name=name,
        category=category,
        methods=list(methods),
        responsible_section=section,
        effective_from=EFFECTIVE_FROM,
        sectors=[sectors[sector] for sector in sector_names],
        ratio_percent=extra.get("ratio_percent"),
        frequency_per_year=extra.get("frequency_per_year"),
        frequency_note=extra.get("frequency_note", ""),
        annual_cap=extra.get("annual_cap"),
        required_expertise=tags.get(extra.get("expertise")),
        sub_items=list(subs),
        legal_bases=[LegalBasisSpec(*basis) for basis in bases],
    )


def seed_items(*, by, sectors) -> int:
    sections = _sections()
    tags = {tag.name: tag for tag in Tag.objects.filter(kind=Tag.Kind.EXPERTISE)}
    existing = set(CheckItem.objects.values_list("code", flat=True))
    created = 0
    for code, section, name, category, methods, sector_names, subs, bases, extra in ITEMS:
        if code in existing:
            continue
        spec = _spec(
            code,
            sections[section],
            name,
            category,
            methods,
            sector_names,
            subs,
            bases,
            extra,
            sectors,
            tags,
        )
        if code == REVISED_ITEM:
            original = _spec(
                code,
                sections[section],
                name,
                category,
                methods,
                sector_names,
                subs,
                [ORIGINAL_BASIS],
                extra,
                sectors,
                tags,
            )
            item = services.check_item_create(
                by=by, spec=original, reason="依据省“互联网+监管”平台监管事项清单录入"
            )
            services.check_item_update(
                by=by,
                item=item,
                spec=spec,
                reason="法律修订：《安全生产法》2021年修正，全员安全生产责任制条款调整为第四条、第二十二条",
            )
        else:
            item = services.check_item_create(
                by=by, spec=spec, reason="依据省“互联网+监管”平台监管事项清单录入"
            )
        if code == RETIRING_ITEM:
            services.check_item_retire(
                by=by,
                item=item,
                retired_from=timezone.localdate() + dt.timedelta(days=30),
                reason="并入“工贸企业安全生产标准化建设”事项，不再单列",
            )
        created += 1
    return created


def seed_joint_lists(*, by, sectors) -> int:
    departments = {department.name: department for department in Department.objects.all()}
    items = {item.code: item for item in CheckItem.objects.all()}
    created = 0
    for data in JOINT_LISTS:
        if JointItemList.objects.filter(name=data["name"]).exists():
            continue
        services.joint_list_create(
            by=by,
            spec=services.JointListSpec(
                name=data["name"],
                industry=data["industry"],
                lead_department=departments[data["lead"]],
                participating_departments=[departments[name] for name in data["participants"]],
                effective_from=EFFECTIVE_FROM,
                entries=[(departments[dept], items[code]) for dept, code in data["entries"]],
                sectors=[sectors[name] for name in data["sectors"]],
                guidelines=data["guidelines"],
            ),
        )
        created += 1
    return created


def seed_requests(*, chief, decider, sectors) -> int:
    if chief is None:
        return 0
    created = 0
    for data in REQUESTS:
        if CheckItemRequest.objects.filter(name=data["name"], section=chief.section).exists():
            continue
        request = services.item_request_submit(
            by=chief,
            spec=ItemSpec(
                code="",
                name=data["name"],
                category=data["category"],
                methods=list(data["methods"]),
                responsible_section=chief.section,
                sectors=[sectors[name] for name in data["sectors"]],
                sub_items=list(data["sub_items"]),
                legal_bases=[LegalBasisSpec(*basis) for basis in data["bases"]],
            ),
            justification=data["justification"],
        )
        if data["approve"] and decider is not None:
            services.item_request_approve(
                by=decider,
                request=request,
                code=data["approve"],
                effective_from=timezone.localdate(),
                note="同意列入本局抽查事项清单。",
            )
        created += 1
    return created


@transaction.atomic
def seed(*, stdout, options) -> None:
    section4 = User.objects.filter(username="section4").first()
    chief = User.objects.filter(username="chief").select_related("section").first()
    sectors = seed_sectors()
    items = seed_items(by=section4, sectors=sectors)
    joint = seed_joint_lists(by=section4, sectors=sectors)
    requests = seed_requests(chief=chief, decider=section4, sectors=sectors)
    stdout.write(
        f"监管行业领域 {len(sectors)} 个，"
        f"抽查事项 {CheckItem.objects.count()} 项（本次新增 {items}），"
        f"联合清单 {JointItemList.objects.count()} 个（本次新增 {joint}），新增申请 {requests} 件"
    )

"""Demo plans and campaigns: this year's annual plan of 危化科 with campaigns in several states,
and a campaign of 工贸科 waiting for approval.

- a joint "一业一查" campaign with 石家庄市市场监督管理局, published and drawn with an external
  public value named in advance, so its inspections (and the public pages) exist;
- a joint campaign with the fire brigade, approved and ready to publish;
- a draft of a single-department campaign;
- a 工贸科 campaign submitted for approval, planned by a second section chief account
  (`chief2`, created here with the demo password).

Everything goes through the services (validation, numbering, freezing, the draw itself, audit
entries). Idempotent: a campaign whose title exists in the plan is left as it is. A campaign
that cannot be published or drawn (e.g. `--enterprises 0`) is left in its last valid state and
said so.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns.models import AnnualPlan, Campaign, Inspection
from campaigns.selectors.campaigns import current_manifest
from campaigns.services import plans
from campaigns.services.draws import DrawRefused, draw_perform
from checklists.models import CheckItem, JointItemList, SupervisionSector
from checklists.selectors import active_items
from inspectors.models import Department, Section, Tag
from shijiazhuang_sr.accounts.models import User
from shijiazhuang_sr.accounts.roles import Role
from shijiazhuang_sr.core import demo as core_demo

HAZCHEM_SECTION = "危险化学品安全监督管理科"
TRADE_SECTION = "工贸行业安全监督管理科"
TRADE_CHIEF = ("chief2", "孙海涛")
HAZCHEM_SECTORS = ["危险化学品生产", "危险化学品经营", "危险化学品使用"]
CREDIT_STRATA = [("A", "3"), ("B", "5"), ("C", "10"), ("D", "20")]


def _dates(today: dt.date, *, offset: int, length: int) -> tuple[dt.date, dt.date]:
    """Checks starting `offset` days from today, within this year."""
    start = today + dt.timedelta(days=offset)
    if start.year != today.year:
        start = today
    return start, min(start + dt.timedelta(days=length), dt.date(today.year, 12, 31))


def _strata(rows=CREDIT_STRATA) -> list[dict]:
    return [{"grade": g, "ratio": Decimal(r), "fixed_count": None} for g, r in rows]


def _items(codes) -> list[CheckItem]:
    found = {item.code: item for item in active_items().filter(code__in=codes)}
    return [found[code] for code in codes if code in found]


def _trade_chief() -> User | None:
    section = Section.objects.filter(
        department__name=core_demo.OWN_BUREAU, name=TRADE_SECTION
    ).first()
    if section is None:
        return None
    username, full_name = TRADE_CHIEF
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            full_name=full_name,
            department=section.department,
            section=section,
            must_change_password=False,
        )
        user.set_password(core_demo.DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=Role.SECTION_CHIEF))
    return user


def _plan(chief, year: int) -> AnnualPlan:
    plan = AnnualPlan.objects.filter(year=year, section=chief.section).first()
    return plan or plans.annual_plan_create(
        by=chief,
        year=year,
        section=chief.section,
        note="按照“双随机、一公开”工作要求，结合企业信用风险分类结果，突出高风险企业，"
        "推行“一业一查”部门联合抽查，减少对企业的重复检查。",
    )


class _Seeder:
    def __init__(self, stdout):
        self.stdout = stdout
        self.today = timezone.localdate()
        self.departments = {d.name: d for d in Department.objects.all()}
        self.sectors = {s.name: s for s in SupervisionSector.objects.all()}
        self.tags = {tag.name: tag for tag in Tag.objects.all()}
        self.notes: list[str] = []

    def create(self, *, by, plan, data: plans.CampaignData) -> Campaign | None:
        existing = Campaign.objects.filter(plan=plan, title=data.title).first()
        if existing is not None:
            return None
        return plans.campaign_create(by=by, plan=plan, data=data)

    def advance(self, campaign: Campaign, steps: list, *, chief, approver, source: str = ""):
        """Take a new campaign through `steps`; all or nothing per step."""
        for step in steps:
            try:
                with transaction.atomic():
                    if step == "submit":
                        plans.campaign_submit(by=chief, campaign=campaign)
                    elif step == "approve":
                        plans.campaign_approve(by=approver, campaign=campaign)
                    elif step == "publish":
                        plans.campaign_publish(by=chief, campaign=campaign)
                    elif step == "draw":
                        manifest = current_manifest(campaign)
                        draw_perform(manifest_id=manifest.pk, external_sources=[source], by=chief)
            except (ValidationError, DrawRefused) as error:
                reason = "；".join(getattr(error, "messages", [str(error)]))
                self.notes.append(f"“{campaign.title}”停在“{step}”之前：{reason}")
                return
            campaign.refresh_from_db()

    def hazchem(self, chief, leader) -> int:
        bureau = self.departments.get(core_demo.OWN_BUREAU)
        market = self.departments.get(core_demo.MARKET_REGULATOR)
        fire = self.departments.get(core_demo.FIRE_BRIGADE)
        if not (bureau and market and fire):
            return 0
        plan = _plan(chief, self.today.year)
        created = 0
        joint_list = JointItemList.objects.filter(name__startswith="危险化学品经营企业").first()
        start, end = _dates(self.today, offset=10, length=45)
        period = f"{self.today.year}{min(self.today.timetuple().tm_yday + 7, 351):03d}"
        lottery = f"中国福利彩票快乐8第{period}期开奖号码"
        joint = self.create(
            by=chief,
            plan=plan,
            data=plans.CampaignData(
                title="危险化学品企业“一业一查”部门联合抽查",
                kind=Campaign.Kind.JOINT,
                lead_department=bureau,
                participating_departments=[market],
                joint_list=joint_list,
                items=_items(
                    [
                        "HB-YJ-WH-003",
                        "HB-YJ-WH-008",
                        "HB-YJ-WH-009",
                        "HB-YJ-WH-013",
                        "HB-SJ-TZ-001",
                        "HB-SJ-TZ-002",
                    ]
                ),
                scope_sectors=[self.sectors[n] for n in HAZCHEM_SECTORS if n in self.sectors],
                strata=_strata(),
                slots=[
                    {"department": bureau, "tag": self.tags.get("化工工艺")},
                    {"department": bureau, "tag": self.tags.get("危险化学品")},
                    {"department": market, "tag": None},
                ],
                starts_on=start,
                ends_on=end,
                annual_cap=2,
                # A cap of one task per officer before anyone gets a second: with more drawn
                # enterprises (~64) than 化工工艺 officers (~44), every one of them — the demo
                # inspector 陈晓明 too — is certain to get a task, whatever the nonce.
                inspector_cap=1,
                alternates=3,
                external_randomness=lottery,
                notes="市应急管理局牵头组建检查组，市市场监督管理局派员参加，一次进入企业完成"
                "全部事项检查；检查结果于检查结束后 20 个工作日内公示。",
            ),
        )
        if joint is not None:
            created += 1
            # The value the lottery published (a demo value: 20 numbers from 1-80).
            drawn = "03 07 11 16 19 24 28 33 35 41 46 50 52 57 61 64 68 72 75 79"
            self.advance(
                joint,
                ["submit", "approve", "publish", "draw"],
                chief=chief,
                approver=leader,
                source=drawn,
            )
        start, end = _dates(self.today, offset=40, length=30)
        fireworks = self.create(
            by=chief,
            plan=plan,
            data=plans.CampaignData(
                title="烟花爆竹批发企业“一业一查”部门联合抽查",
                kind=Campaign.Kind.JOINT,
                lead_department=bureau,
                participating_departments=[fire],
                joint_list=JointItemList.objects.filter(name__startswith="烟花爆竹").first(),
                items=_items(
                    ["HB-YJ-YH-001", "HB-YJ-YH-002", "HB-YJ-YH-003", "HB-XF-001", "HB-XF-002"]
                ),
                scope_sectors=[self.sectors[n] for n in ["烟花爆竹"] if n in self.sectors],
                stratification=Campaign.Stratification.NONE,
                strata=[{"grade": "", "ratio": Decimal("50"), "fixed_count": None}],
                slots=[
                    {"department": bureau, "tag": self.tags.get("烟花爆竹")},
                    {"department": fire, "tag": None},
                ],
                starts_on=start,
                ends_on=end,
                alternates=2,
                external_randomness=f"中国福利彩票双色球第{self.today.year}150期开奖号码",
            ),
        )
        if fireworks is not None:
            created += 1
            self.advance(fireworks, ["submit", "approve"], chief=chief, approver=leader)
        start, end = _dates(self.today, offset=70, length=30)
        draft = self.create(
            by=chief,
            plan=plan,
            data=plans.CampaignData(
                title="危险化学品重大危险源企业专项抽查",
                kind=Campaign.Kind.SINGLE,
                lead_department=bureau,
                items=_items(["HB-YJ-WH-003", "HB-YJ-WH-004", "HB-YJ-WH-005"]),
                scope_sectors=[self.sectors[n] for n in HAZCHEM_SECTORS if n in self.sectors],
                scope_key_supervision=Campaign.KeySupervision.ONLY,
                stratification=Campaign.Stratification.NONE,
                strata=[{"grade": "", "ratio": None, "fixed_count": 10}],
                slots=[
                    {"department": bureau, "tag": self.tags.get("重大危险源")},
                    {"department": bureau, "tag": None},
                ],
                starts_on=start,
                ends_on=end,
                alternates=3,
            ),
        )
        created += draft is not None
        if plan.status == AnnualPlan.Status.DRAFT and plan.campaigns.exists():
            plans.annual_plan_publish(by=chief, plan=plan)
        return created

    def trade(self, leader) -> int:
        chief = _trade_chief()
        bureau = self.departments.get(core_demo.OWN_BUREAU)
        if chief is None or bureau is None:
            return 0
        plan = _plan(chief, self.today.year)
        start, end = _dates(self.today, offset=20, length=40)
        campaign = self.create(
            by=chief,
            plan=plan,
            data=plans.CampaignData(
                title="粉尘涉爆企业专项抽查",
                kind=Campaign.Kind.SINGLE,
                lead_department=bureau,
                items=_items(["HB-YJ-GM-001", "HB-YJ-JC-006", "HB-YJ-JC-004"]),
                scope_sectors=[self.sectors[n] for n in ["粉尘涉爆"] if n in self.sectors],
                strata=_strata([("A", "3"), ("B", "5"), ("C", "15"), ("D", "30")]),
                slots=[
                    {"department": bureau, "tag": self.tags.get("粉尘防爆")},
                    {"department": bureau, "tag": None},
                ],
                starts_on=start,
                ends_on=end,
                annual_cap=1,
            ),
        )
        if campaign is None:
            return 0
        self.advance(campaign, ["submit"], chief=chief, approver=leader)
        return 1


def seed(*, stdout, options) -> None:
    chief = User.objects.filter(username="chief").select_related("section").first()
    leader = User.objects.filter(username="leader").first()
    if chief is None or leader is None or chief.section is None:
        stdout.write("抽查任务：缺少演示账号（chief、leader），跳过。")
        return
    seeder = _Seeder(stdout)
    created = seeder.hazchem(chief, leader) + seeder.trade(leader)
    for note in seeder.notes:
        stdout.write(f"  {note}")
    stdout.write(
        f"年度计划 {AnnualPlan.objects.count()} 份，抽查任务 {Campaign.objects.count()} 项"
        f"（本次新增 {created} 项），检查任务 {Inspection.objects.count()} 个；"
        f"工贸科科室负责人演示账号：{TRADE_CHIEF[0]}（{TRADE_CHIEF[1]}），"
        f"密码同其他演示账号"
    )

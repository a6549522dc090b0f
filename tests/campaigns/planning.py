"""A small world for campaign tests: a bureau and a partner department with inspectors, a
register of graded enterprises, an item, and a plan for the chief's section."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services import plans
from tests.campaigns.factories import EnterpriseFactory
from tests.checklists.factories import make_item
from tests.factories import DepartmentFactory, SectionFactory
from tests.inspectors.factories import InspectorFactory, TagFactory

BUREAU = "石家庄市应急管理局"
MARKET = "石家庄市市场监督管理局"


def next_month() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start = today + dt.timedelta(days=10)
    if start.year != today.year:  # keep the plan's year (tests run late in December too)
        start = today
    return start, min(start + dt.timedelta(days=20), dt.date(start.year, 12, 31))


class World:
    def __init__(
        self,
        chief,
        *,
        enterprises_per_grade: int = 10,
        bureau_inspectors: int = 6,
        market_inspectors: int = 3,
    ):
        self.chief = chief
        self.bureau = DepartmentFactory(name=BUREAU)
        self.market = DepartmentFactory(name=MARKET, short_name="市市场监管局")
        self.market_section = SectionFactory(department=self.market, name="特种设备安全监察科")
        self.hazchem = TagFactory(kind="field", name="危险化学品")
        self.bureau_inspectors = [
            InspectorFactory(
                department=self.bureau,
                section=chief.section,
                tags=[self.hazchem] if index % 2 == 0 else [],
            )
            for index in range(bureau_inspectors)
        ]
        self.market_inspectors = [
            InspectorFactory(department=self.market, section=self.market_section)
            for _ in range(market_inspectors)
        ]
        self.enterprises = {
            grade: [
                EnterpriseFactory(credit_grade=grade, credit_grade_date=dt.date(2024, 1, 1))
                for _ in range(enterprises_per_grade)
            ]
            for grade in "ABCD"
        }
        self.item = make_item(responsible_section=chief.section)
        self.starts_on, self.ends_on = next_month()
        self.plan = plans.annual_plan_create(
            by=chief, year=self.starts_on.year, section=chief.section
        )

    def data(self, **overrides) -> plans.CampaignData:
        values = {
            "title": "危险化学品经营企业联合抽查",
            "kind": Campaign.Kind.JOINT,
            "lead_department": self.bureau,
            "participating_departments": [self.market],
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
            "items": [self.item],
            "strata": [
                {"grade": "A", "ratio": Decimal("10"), "fixed_count": None},
                {"grade": "B", "ratio": Decimal("20"), "fixed_count": None},
                {"grade": "C", "ratio": None, "fixed_count": 3},
                {"grade": "D", "ratio": Decimal("50"), "fixed_count": None},
            ],
            "slots": [
                {"department": self.bureau, "tag": self.hazchem},
                {"department": self.bureau, "tag": None},
                {"department": self.market, "tag": None},
            ],
            "external_randomness": "中国福利彩票快乐8第2025128期开奖号码",
        }
        values.update(overrides)
        return plans.CampaignData(**values)

    def campaign(self, **overrides) -> Campaign:
        return plans.campaign_create(by=self.chief, plan=self.plan, data=self.data(**overrides))

    def published(self, approver, **overrides) -> Campaign:
        campaign = self.campaign(**overrides)
        plans.campaign_submit(by=self.chief, campaign=campaign)
        plans.campaign_approve(by=approver, campaign=campaign)
        plans.campaign_publish(by=self.chief, campaign=campaign)
        campaign.refresh_from_db()
        return campaign

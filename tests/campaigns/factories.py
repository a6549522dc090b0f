"""Register factories. Areas come from the data migration (the 22 areas and 2 zones); an
enterprise gets a valid USCC of its area and its name search column, as the services give."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

import factory
from openpyxl import Workbook

from campaigns.models import Area, CheckVisit, Enterprise, Recusal
from campaigns.models.register import name_grams
from campaigns.uscc import make_uscc
from checklists.models import SupervisionSector
from tests.factories import DepartmentFactory, UserFactory
from tests.inspectors.factories import InspectorFactory

_serials = itertools.count(10_000)


def area(code: str = "130102") -> Area:
    return Area.objects.get(code=code)


def new_uscc(region: str = "130102") -> str:
    return make_uscc(region, next(_serials))


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionSector
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试领域{n}")
    code = factory.LazyAttribute(lambda o: f"test_{abs(hash(o.name)) % 10**9}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """`EnterpriseFactory(grade="B", grade_date=...)` sets the current grade without history;
    tests that need the history give grades through the services."""

    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    area = factory.LazyFunction(area)
    uscc = factory.LazyAttribute(lambda o: new_uscc(o.area.code))
    name = factory.Sequence(lambda n: f"石家庄测试{n}化工有限公司")
    name_grams = factory.LazyAttribute(lambda o: name_grams(o.name))
    legal_representative = "张三"
    address = "石家庄市长安区中山东路 1 号"

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.supervision_sectors.set(extracted)


class RecusalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recusal

    inspector = factory.SubFactory(InspectorFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    reason = Recusal.Reason.KINSHIP
    description = "配偶在该企业任职。"
    valid_from = dt.date(2024, 1, 1)
    declared_by = factory.SubFactory(UserFactory)
    status = Recusal.Status.APPROVED


class CheckVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckVisit
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    visited_on = dt.date(2025, 5, 1)
    source = CheckVisit.Source.PLATFORM

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create:
            self.departments.set(extracted or [DepartmentFactory()])


def xlsx_file(rows: list[list]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def csv_file(rows: list[list], encoding: str = "utf-8") -> io.BytesIO:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return io.BytesIO(text.getvalue().encode(encoding))

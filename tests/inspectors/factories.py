"""Roster factories. An inspector comes with an open-ended 在岗 period, like every inspector
the platform creates (form, import, demo), so that `eligible_inspectors` sees them."""

import datetime as dt

import factory

from inspectors.models import Inspector, InspectorStatusPeriod, Tag
from tests.factories import DepartmentFactory, SectionFactory

LONG_AGO = dt.date(2020, 1, 1)
FAR_AHEAD = dt.date(2099, 12, 31)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("kind", "name")

    kind = Tag.Kind.EXPERTISE
    name = factory.Sequence(lambda n: f"专长{n}")


class InspectorFactory(factory.django.DjangoModelFactory):
    """`InspectorFactory(tags=[...], on_duty_from=date)`; `on_duty_from=False` adds no period."""

    class Meta:
        model = Inspector
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"执法员{n}")
    cert_no = factory.Sequence(lambda n: f"13010020{n:05d}")
    card_valid_from = LONG_AGO
    card_valid_to = FAR_AHEAD
    department = factory.SubFactory(DepartmentFactory)
    section = factory.SubFactory(
        SectionFactory,
        department=factory.SelfAttribute("..department"),
        name="危险化学品安全监督管理科",
    )
    issuing_authority = "石家庄市人民政府"

    @factory.post_generation
    def on_duty_from(self, create, extracted, **kwargs):
        if create and extracted is not False:
            start = LONG_AGO if extracted is None else extracted
            InspectorStatusPeriod.objects.create(
                inspector=self, status=Inspector.Status.ON_DUTY, starts_on=start, reason="测试"
            )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


def add_period(inspector, status, starts_on, ends_on=None, reason="测试"):
    return InspectorStatusPeriod.objects.create(
        inspector=inspector, status=status, starts_on=starts_on, ends_on=ends_on, reason=reason
    )

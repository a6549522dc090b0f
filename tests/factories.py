"""Factories shared by every app's tests. Apps keep their own in tests/<app>/factories.py."""

import factory
from django.contrib.auth.models import Group

from inspectors.models import Department, Section
from shijiazhuang_sr.accounts.models import User

PASSWORD = "Test@2026pass"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = "石家庄市应急管理局"
    short_name = "市应急管理局"
    is_own_bureau = factory.LazyAttribute(lambda o: o.name == "石家庄市应急管理局")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("department", "name")

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"测试科室{n}")
    kind = Section.Kind.SUPERVISION


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    department = factory.SubFactory(DepartmentFactory)
    section = factory.SubFactory(SectionFactory, department=factory.SelfAttribute("..department"))
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
        if create:
            self.save()

"""Departments, sections and the tag vocabularies: kept by section 4 and the administrator."""

import pytest

from inspectors.models import Department, Section, Tag
from shijiazhuang_sr.audit.models import AuditEntry
from tests.factories import DepartmentFactory, SectionFactory
from tests.inspectors.factories import InspectorFactory, TagFactory

pytestmark = pytest.mark.django_db


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_department_list_counts_sections_and_inspectors(
    chief, client_for, django_assert_max_num_queries
):
    bureau = DepartmentFactory(name="石家庄市应急管理局")
    for n in range(3):
        InspectorFactory(
            department=bureau, section=SectionFactory(department=bureau, name=f"科{n}")
        )
    client = client_for(chief)
    with django_assert_max_num_queries(12):  # fixed: one query for the departments
        html = page(client.get("/roster/departments/"))
    assert "石家庄市应急管理局" in html and "新增部门" not in html


def test_section4_adds_a_department_and_its_sections(section4, client_for):
    client = client_for(section4)
    response = client.post(
        "/roster/departments/new/",
        {
            "name": "石家庄市住房和城乡建设局",
            "short_name": "市住建局",
            "is_active": "on",
            "sort_order": 5,
        },
    )
    department = Department.objects.get(name="石家庄市住房和城乡建设局")
    assert response["Location"] == f"/roster/departments/{department.pk}/"
    response = client.post(
        f"/roster/departments/{department.pk}/sections/new/",
        {
            "name": "建筑市场监管科",
            "short_name": "",
            "kind": "supervision",
            "is_active": "on",
            "sort_order": 1,
        },
    )
    assert response.status_code == 302
    assert "建筑市场监管科" in page(client.get(f"/roster/departments/{department.pk}/"))
    assert AuditEntry.objects.filter(event="inspectors.section.created").exists()


def test_a_duplicate_section_name_is_refused_in_chinese(section4, client_for):
    bureau = DepartmentFactory(name="石家庄市应急管理局")
    SectionFactory(department=bureau, name="危化科")
    html = page(
        client_for(section4).post(
            f"/roster/departments/{bureau.pk}/sections/new/",
            {"name": "危化科", "kind": "supervision", "sort_order": 1},
        )
    )
    assert "已有同名科室" in html
    assert Section.objects.filter(name="危化科").count() == 1


def test_a_second_own_bureau_is_refused(sysadmin, client_for):
    DepartmentFactory(name="石家庄市应急管理局")
    html = page(
        client_for(sysadmin).post(
            "/roster/departments/new/",
            {"name": "另一个本局", "is_own_bureau": "on", "is_active": "on", "sort_order": 1},
        )
    )
    assert not Department.objects.filter(name="另一个本局").exists()
    assert "本局" in html


def test_editing_a_section_deactivates_it_with_audit(sysadmin, client_for):
    section = SectionFactory(department=DepartmentFactory(name="石家庄市应急管理局"), name="旧科室")
    response = client_for(sysadmin).post(
        f"/roster/sections/{section.pk}/edit/",
        {"name": "旧科室", "kind": "other", "sort_order": 9},
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert not section.is_active
    changes = AuditEntry.objects.get(event="inspectors.section.changed").changes
    assert changes["is_active"] == [True, False]


def test_the_tag_list_filters_by_kind_and_counts_people(leader, client_for):
    chem = TagFactory(kind=Tag.Kind.FIELD, name="危险化学品")
    TagFactory(kind=Tag.Kind.EXPERTISE, name="化工工艺")
    InspectorFactory(tags=[chem])
    InspectorFactory(tags=[chem])
    html = page(client_for(leader).get("/roster/tags/?kind=field"))
    assert "危险化学品" in html and "化工工艺" not in html
    assert f'?tag={chem.pk}">2</a>' in html


def test_section4_adds_and_renames_a_tag(section4, client_for):
    client = client_for(section4)
    client.post(
        "/roster/tags/new/",
        {"kind": "expertise", "name": "涉氨制冷", "is_active": "on", "sort_order": 1},
    )
    tag = Tag.objects.get(name="涉氨制冷")
    response = client.post(
        f"/roster/tags/{tag.pk}/edit/",
        {"kind": "expertise", "name": "涉氨制冷（液氨）", "is_active": "on", "sort_order": 1},
    )
    assert response.status_code == 302
    changes = AuditEntry.objects.get(event="inspectors.tag.changed").changes
    assert changes == {"name": ["涉氨制冷", "涉氨制冷（液氨）"]}
    html = page(
        client.post(
            "/roster/tags/new/", {"kind": "expertise", "name": "涉氨制冷（液氨）", "sort_order": 1}
        )
    )
    assert "已经存在" in html


def test_nothing_on_the_roster_can_be_deleted_in_the_admin(db, rf):
    from django.contrib import admin

    from inspectors.models import Inspector, InspectorStatusPeriod
    from tests.factories import UserFactory

    request = rf.get("/admin/")
    request.user = UserFactory(username="root", is_superuser=True, is_staff=True)
    for model in (Department, Section, Tag, Inspector, InspectorStatusPeriod):
        assert not admin.site._registry[model].has_delete_permission(request), model
    assert not admin.site._registry[Inspector].has_add_permission(request)

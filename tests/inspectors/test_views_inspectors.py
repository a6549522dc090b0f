"""Roster pages: list, export, detail, forms, status, bulk tagging."""

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from inspectors.imports import InspectorImport
from inspectors.models import Inspector, Tag
from shijiazhuang_sr.accounts.roles import Role
from shijiazhuang_sr.audit.models import AuditEntry
from tests.factories import DepartmentFactory, SectionFactory, UserFactory
from tests.inspectors.factories import InspectorFactory, TagFactory, add_period

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
LIST = "/roster/"


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_flags_expiring_and_expired_cards(section4, client_for):
    today = timezone.localdate()
    InspectorFactory(name="快到期", card_valid_to=today + 10 * DAY)
    InspectorFactory(name="已过期", card_valid_to=today - DAY)
    InspectorFactory(name="长期有效", card_valid_to=today + 400 * DAY)
    html = page(client_for(section4).get(LIST))
    assert html.count("即将到期</span>") == 1 + 1  # the legend and one row
    assert html.count("已过期</span>") == 1 + 1
    rows = page(client_for(section4).get(LIST + "?expiring=on"))
    assert "快到期" in rows and "已过期" in rows and "长期有效" not in rows


def test_the_list_searches_by_name_and_card_number(chief, client_for):
    InspectorFactory(name="张三丰", cert_no="1301002000777")
    InspectorFactory(name="李四", cert_no="1301002000888")
    client = client_for(chief)
    assert "李四" not in page(client.get(LIST + "?q=张三"))
    html = page(client.get(LIST + "?q=0888"))
    assert "李四" in html and "张三丰" not in html


def test_the_list_filters_by_department_section_status_and_tag(leader, client_for):
    bureau = DepartmentFactory(name="石家庄市应急管理局")
    fire = DepartmentFactory(name="石家庄市消防救援支队")
    trade = SectionFactory(department=bureau, name="工贸科")
    dust = TagFactory(name="粉尘防爆")
    InspectorFactory(name="消防员甲", department=fire, section=None)
    InspectorFactory(name="工贸员乙", department=bureau, section=trade, tags=[dust])
    resting = InspectorFactory(name="休假员丙")
    add_period(resting, "on_leave", timezone.localdate() - DAY, timezone.localdate() + DAY)
    client = client_for(leader)
    assert "工贸员乙" not in page(client.get(f"{LIST}?department={fire.pk}"))
    assert "工贸员乙" in page(client.get(f"{LIST}?section={trade.pk}"))
    assert "消防员甲" not in page(client.get(f"{LIST}?tag={dust.pk}"))
    html = page(client.get(f"{LIST}?status=on_leave"))
    assert "休假员丙" in html and "工贸员乙" not in html


def test_the_list_paginates_with_a_bounded_number_of_queries(
    section4, client_for, django_assert_max_num_queries
):
    tags = [TagFactory(name=f"标签{n}") for n in range(3)]
    for _ in range(60):
        InspectorFactory(tags=tags)
    client = client_for(section4)
    # Fixed whatever the number of rows: session, user, permissions, count, page, tags,
    # the filter form's choices, the tag pickers, the navigation bar.
    with django_assert_max_num_queries(17):
        html = page(client.get(LIST))
    assert "共 60 条，第 1 / 3 页" in html
    assert "共 60 条，第 3 / 3 页" in page(client.get(LIST + "?page=3"))


def test_the_list_shows_an_empty_state(section4, client_for):
    assert "名录库中还没有执法人员" in page(client_for(section4).get(LIST))
    assert "没有符合条件的执法人员" in page(client_for(section4).get(LIST + "?q=无此人"))


def test_readers_see_no_edit_controls(inspector_user, client_for):
    InspectorFactory(name="某人")
    html = page(client_for(inspector_user).get(LIST))
    assert "某人" in html
    assert (
        "bulk-tag-form" not in html and "新增执法人员" not in html and "导入司法局数据" not in html
    )


def test_the_export_neutralises_formulas_and_is_audited(section4, client_for):
    InspectorFactory(name='=HYPERLINK("http://evil","点我")', cert_no="1301002000001")
    InspectorFactory(name="普通人", cert_no="1301002000002")
    response = client_for(section4).get("/roster/export/?q=HYPERLINK")
    assert response.status_code == 200
    assert quote("执法人员名录库") in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("姓名", "执法证号")
    assert len(rows) == 2  # the header and the one matching row
    assert rows[1][0] == '\'=HYPERLINK("http://evil","点我")'
    export = AuditEntry.objects.get(event="inspectors.inspector.exported")
    assert export.action == "export" and export.actor == section4
    assert export.data == {"rows": 1, "filters": {"q": "HYPERLINK"}}


def test_an_exported_file_imports_back_without_changes(section4, client_for):
    field = TagFactory(kind=Tag.Kind.FIELD, name="危险化学品")
    expertise = TagFactory(name="化工工艺")
    bureau = DepartmentFactory(name="石家庄市应急管理局")
    section = SectionFactory(department=bureau, name="危险化学品安全监督管理科")
    InspectorFactory(department=bureau, section=section, tags=[field, expertise], phone="0311-8600")
    InspectorFactory(department=bureau, section=None, category="part_time")
    data = client_for(section4).get("/roster/export/").content
    report = InspectorImport().run(io.BytesIO(data), filename="x.xlsx", size=len(data))
    assert report.ok, report.lines()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


def test_the_detail_page_shows_status_history_and_audit_history(section4, client_for):
    inspector = InspectorFactory(name="王五")
    client = client_for(section4)
    today = timezone.localdate()
    client.post(
        f"/roster/{inspector.pk}/status/",
        {"status": "training", "starts_on": today, "ends_on": today + DAY, "reason": "专题培训"},
    )
    html = page(client.get(f"/roster/{inspector.pk}/"))
    assert "专题培训" in html and "培训" in html
    assert "状态变动" in html  # the audit change, labelled
    assert 'data-testid="audit-history"' in html


def test_a_missing_inspector_is_404(section4, client_for):
    assert client_for(section4).get("/roster/999999/").status_code == 404


def _form(department, section, **overrides):
    return {
        "name": "孙七",
        "cert_no": "1301002099001",
        "card_type": "hebei",
        "issuing_authority": "石家庄市人民政府",
        "card_valid_from": "2024-01-01",
        "card_valid_to": "2029-01-01",
        "department": department.pk,
        "section": section.pk,
        "category": "supervision",
        "phone": "",
        "justice_record_id": "",
        "user": "",
    } | overrides


def test_it_creates_an_inspector_from_the_form(section4, client_for):
    bureau = DepartmentFactory(name="石家庄市应急管理局")
    section = SectionFactory(department=bureau, name="危险化学品安全监督管理科")
    tag = TagFactory(name="化工工艺")
    response = client_for(section4).post(
        "/roster/new/", _form(bureau, section, expertise_tags=[tag.pk])
    )
    inspector = Inspector.objects.get(cert_no="1301002099001")
    assert response.status_code == 302 and response["Location"] == f"/roster/{inspector.pk}/"
    assert list(inspector.tags.all()) == [tag]
    assert inspector.status_periods.get().status == "on_duty"
    assert AuditEntry.objects.filter(event="inspectors.inspector.created").exists()


def test_the_form_explains_what_is_wrong_in_chinese(section4, client_for):
    bureau = DepartmentFactory(name="石家庄市应急管理局")
    fire = DepartmentFactory(name="石家庄市消防救援支队")
    other = SectionFactory(department=fire, name="防火监督处")
    html = page(
        client_for(section4).post("/roster/new/", _form(bureau, other, card_valid_to="2020-01-01"))
    )
    assert "所选科室不属于所选部门" in html
    assert "有效期至不能早于有效期自" in html
    assert "Constraint" not in html and "violated" not in html
    assert not Inspector.objects.exists()


def test_the_edit_form_links_a_platform_account(sysadmin, client_for):
    account = UserFactory(username="chenxm", full_name="陈晓明", roles=[Role.INSPECTOR])
    UserFactory(username="notinspector", roles=[Role.LEADER])
    inspector = InspectorFactory(name="陈晓明")
    client = client_for(sysadmin)
    html = page(client.get(f"/roster/{inspector.pk}/edit/"))
    assert "chenxm" in html and "notinspector" not in html
    data = _form(inspector.department, inspector.section, user=account.pk)
    data |= {"name": "陈晓明", "cert_no": inspector.cert_no}
    assert client.post(f"/roster/{inspector.pk}/edit/", data).status_code == 302
    assert Inspector.objects.get(pk=inspector.pk).user == account
    changes = AuditEntry.objects.get(event="inspectors.inspector.changed").changes
    assert changes["user"] == [None, "陈晓明"]


def test_it_records_a_leave_and_refuses_an_overlapping_one(section4, client_for):
    inspector = InspectorFactory()
    client = client_for(section4)
    url = f"/roster/{inspector.pk}/status/"
    leave = {"status": "on_leave", "starts_on": "2030-05-01", "ends_on": "2030-05-05"}
    assert client.post(url, leave | {"reason": "年休假"}).status_code == 302
    html = page(client.post(url, leave | {"starts_on": "2030-05-04", "reason": "又休"}))
    assert "重叠" in html
    assert inspector.status_periods.count() == 2


def test_it_cancels_a_period_from_the_detail_page(section4, client_for):
    inspector = InspectorFactory()
    leave = add_period(inspector, "on_leave", dt.date(2030, 1, 1), dt.date(2030, 1, 2))
    client = client_for(section4)
    response = client.post(f"/roster/periods/{leave.pk}/cancel/", {"reason": "录错了"})
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.is_cancelled and leave.cancel_reason == "录错了"
    response = client.post(f"/roster/periods/{leave.pk}/cancel/", {"reason": "再撤"}, follow=True)
    assert "该状态记录已撤销" in page(response)


def test_bulk_tagging_from_the_list(section4, client_for):
    a, b, untouched = InspectorFactory(), InspectorFactory(), InspectorFactory()
    dust = TagFactory(name="粉尘防爆")
    response = client_for(section4).post(
        "/roster/bulk-tag/",
        {"inspectors": [a.pk, b.pk], "add": [dust.pk], "next": "/roster/?q=x"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/roster/?q=x"
    assert "已更新 2 名执法人员的标签" in page(response)
    assert set(Inspector.objects.filter(tags=dust)) == {a, b}
    assert not untouched.tags.exists()
    assert AuditEntry.objects.filter(event="inspectors.inspector.tagged").count() == 2


def test_bulk_tagging_without_a_choice_explains_why(section4, client_for):
    a = InspectorFactory()
    client = client_for(section4)
    html = page(client.post("/roster/bulk-tag/", {"inspectors": [a.pk]}, follow=True))
    assert "请选择要添加或移除的标签" in html
    html = page(client.post("/roster/bulk-tag/", {"add": [TagFactory().pk]}, follow=True))
    assert "请先勾选执法人员" in html


def test_bulk_tagging_ignores_an_outside_next_url(section4, client_for):
    response = client_for(section4).post(
        "/roster/bulk-tag/",
        {"inspectors": [InspectorFactory().pk], "add": [TagFactory().pk], "next": "https://x.y/"},
    )
    assert response["Location"] == "/roster/"


def test_the_roster_import_entry_leads_to_the_generic_import_page(section4, client_for):
    response = client_for(section4).get("/roster/import/")
    assert response["Location"] == "/imports/inspectors/"
    html = page(client_for(section4).get("/imports/inspectors/"))
    assert "导入执法人员名录库" in html and "执法证号" in html

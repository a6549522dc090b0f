"""Joint list pages: the form with department/item rows, attachments, retirement; sectors."""

from django.core.files.uploadedfile import SimpleUploadedFile

from checklists.models import JointItemList, JointListAttachment, SupervisionSector
from shijiazhuang_sr.audit.models import AuditEntry
from tests.checklists.factories import (
    BUREAU,
    PDF,
    SupervisionSectorFactory,
    make_attachment,
    make_item,
    make_joint_list,
)
from tests.factories import DepartmentFactory


def _joint_data(bureau, market, first, second, **overrides):
    data = {
        "name": "危险化学品经营企业联合抽查清单",
        "industry": "危险化学品经营企业",
        "lead_department": bureau.pk,
        "participating_departments": [market.pk],
        "guidelines": "一次上门完成检查。",
        "effective_from": "2025-01-01",
        "entry-TOTAL_FORMS": "2",
        "entry-INITIAL_FORMS": "0",
        "entry-0-department": bureau.pk,
        "entry-0-item": first.pk,
        "entry-1-department": market.pk,
        "entry-1-item": second.pk,
    }
    data.update(overrides)
    return data


def test_section4_creates_a_joint_list(client_for, section4):
    bureau = DepartmentFactory(name=BUREAU)
    market = DepartmentFactory(name="石家庄市市场监督管理局")
    first, second = make_item(name="经营许可"), make_item(name="特种设备使用登记")
    response = client_for(section4).post(
        "/checklists/joint-lists/new/", _joint_data(bureau, market, first, second)
    )
    joint_list = JointItemList.objects.get()
    assert response["Location"] == f"/checklists/joint-lists/{joint_list.pk}/"
    assert [e.item for e in joint_list.entries.all()] == [first, second]


def test_the_form_shows_the_rule_errors_at_the_rows(client_for, section4):
    bureau = DepartmentFactory(name=BUREAU)
    market = DepartmentFactory(name="石家庄市市场监督管理局")
    first, second = make_item(name="经营许可"), make_item(name="特种设备使用登记")
    data = _joint_data(bureau, market, first, second, **{"entry-1-department": bureau.pk})
    response = client_for(section4).post("/checklists/joint-lists/new/", data)
    assert response.status_code == 200
    assert "部门「石家庄市市场监督管理局」在清单中没有检查事项。" in response.content.decode()
    assert not JointItemList.objects.exists()


def test_the_detail_and_list_pages(
    client_for, section4, inspector_user, django_assert_max_num_queries
):
    joint_list = make_joint_list(by=section4)
    make_attachment(joint_list, by=section4)
    client = client_for(inspector_user)
    with django_assert_max_num_queries(14):
        page = client.get("/checklists/joint-lists/").content.decode()
    assert joint_list.name in page
    page = client.get(f"/checklists/joint-lists/{joint_list.pk}/").content.decode()
    assert "抽查工作指引" in page and "特种设备使用登记和定期检验" in page
    assert "上传附件" not in page  # readers do not upload


def test_uploading_and_downloading_a_guideline(client_for, section4, leader):
    joint_list = make_joint_list(by=section4)
    client = client_for(section4)
    response = client.post(
        f"/checklists/joint-lists/{joint_list.pk}/attachments/",
        {"title": "", "file": SimpleUploadedFile("联合抽查工作指引.pdf", PDF)},
    )
    assert response.status_code == 302
    attachment = JointListAttachment.objects.get()
    assert attachment.title == "联合抽查工作指引"
    response = client_for(leader).get(f"/checklists/attachments/{attachment.pk}/")
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_a_wrong_file_type_is_refused_with_a_chinese_message(client_for, section4):
    joint_list = make_joint_list(by=section4)
    response = client_for(section4).post(
        f"/checklists/joint-lists/{joint_list.pk}/attachments/",
        {"title": "", "file": SimpleUploadedFile("指引.zip", b"PK\x03\x04")},
    )
    assert response.status_code == 400
    assert "不支持的文件类型“.zip”" in response.content.decode()
    assert not JointListAttachment.objects.exists()


def test_removing_a_guideline(client_for, section4):
    attachment = make_attachment(make_joint_list(by=section4), by=section4)
    response = client_for(section4).post(f"/checklists/attachments/{attachment.pk}/remove/")
    assert response.status_code == 302
    assert not JointListAttachment.objects.exists()


def test_retiring_a_joint_list_from_its_page(client_for, section4):
    from checklists.selectors import today

    joint_list = make_joint_list(by=section4)
    response = client_for(section4).post(
        f"/checklists/joint-lists/{joint_list.pk}/retire/",
        {"retired_from": today().isoformat(), "reason": "行业合并"},
    )
    assert response.status_code == 302
    joint_list.refresh_from_db()
    assert joint_list.retired_from == today()
    assert (
        client_for(section4).get(f"/checklists/joint-lists/{joint_list.pk}/edit/").status_code
        == 302
    )


def test_section4_adds_and_renames_a_sector(client_for, section4, chief):
    client = client_for(section4)
    response = client.post(
        "/checklists/sectors/",
        {"code": "dust", "name": "粉尘涉爆", "sort_order": 10, "is_active": "on"},
    )
    assert response.status_code == 302
    sector = SupervisionSector.objects.get()
    response = client.post(
        f"/checklists/sectors/{sector.pk}/edit/",
        {"code": "dust", "name": "粉尘爆炸危险", "sort_order": 10},
    )
    assert response.status_code == 302
    sector.refresh_from_db()
    assert sector.name == "粉尘爆炸危险" and not sector.is_active
    assert AuditEntry.objects.filter(event="checklists.sector.changed").exists()
    # A chief reads the vocabulary but cannot add to it.
    assert (
        client_for(chief).post("/checklists/sectors/", {"code": "x", "name": "y"}).status_code
        == 403
    )


def test_a_duplicate_sector_name_is_shown_on_the_form(client_for, section4):
    SupervisionSectorFactory(code="dust", name="粉尘涉爆")
    response = client_for(section4).post(
        "/checklists/sectors/", {"code": "dust2", "name": "粉尘涉爆", "sort_order": 10}
    )
    assert "行业领域「粉尘涉爆」已存在。" in response.content.decode()

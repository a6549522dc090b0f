"""The staff pages of the item list: list, create and edit with the two row lists, detail
with history, retire, export."""

import datetime as dt
import io

from openpyxl import load_workbook

from checklists import selectors
from checklists.models import CheckItem
from shijiazhuang_sr.audit.models import AuditEntry
from tests.checklists.factories import (
    SupervisionSectorFactory,
    bureau_section,
    item_post_data,
    make_item,
)


def test_the_list_shows_items_with_their_status(client_for, inspector_user):
    make_item(code="HB-A", name="有限空间作业安全")
    make_item(code="HB-B", name="已停用的事项", retired_from=selectors.today())
    page = client_for(inspector_user).get("/checklists/").content.decode()
    assert "有限空间作业安全" in page and "有效" in page
    assert "已停用的事项" not in page
    page = client_for(inspector_user).get("/checklists/?status=retired").content.decode()
    assert "已停用的事项" in page and "有限空间作业安全" not in page


def test_the_list_has_a_bounded_number_of_queries(
    client_for, leader, django_assert_max_num_queries
):
    sector = SupervisionSectorFactory(name="粉尘涉爆")
    for number in range(30):
        make_item(code=f"Q-{number:02d}", sectors=[sector])
    client = client_for(leader)
    with django_assert_max_num_queries(16):
        response = client.get("/checklists/?q=安全")
    assert response.status_code == 200
    assert response.content.decode().count("粉尘涉爆") >= 25


def test_the_list_says_so_when_nothing_matches(client_for, chief):
    page = client_for(chief).get("/checklists/?q=不存在").content.decode()
    assert "没有符合条件的抽查事项" in page


def test_section4_creates_an_item_with_several_legal_bases(client_for, section4):
    section = bureau_section("工贸行业安全监督管理科")
    data = item_post_data(
        section=section,
        **{
            "sub-TOTAL_FORMS": "2",
            "sub-1-content": "是否设置专职监护人员",
            "basis-TOTAL_FORMS": "2",
            "basis-1-kind": "law",
            "basis-1-title": "《中华人民共和国安全生产法》",
            "basis-1-article": "第四十三条",
            "basis-1-excerpt": "",
        },
    )
    response = client_for(section4).post("/checklists/items/new/", data)
    item = CheckItem.objects.get(code="HB-T-001")
    assert response.status_code == 302
    assert response["Location"] == f"/checklists/items/{item.pk}/"
    assert item.responsible_section == section
    assert [sub.content for sub in item.sub_items.all()] == [
        "是否落实先通风、再检测、后作业",
        "是否设置专职监护人员",
    ]
    assert [basis.article for basis in item.legal_bases.all()] == ["第十五条", "第四十三条"]
    assert item.versions.get().reason == "新增抽查事项"


def test_blank_rows_are_ignored_and_half_filled_rows_are_errors(client_for, section4):
    section = bureau_section()
    data = item_post_data(
        section=section,
        **{
            "sub-TOTAL_FORMS": "2",
            "sub-1-content": "",
            "basis-TOTAL_FORMS": "2",
            "basis-1-kind": "law",
            "basis-1-title": "",
            "basis-1-article": "第四十三条",
            "basis-1-excerpt": "",
        },
    )
    response = client_for(section4).post("/checklists/items/new/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写法律法规或标准名称。" in page
    # What was typed is still there.
    assert "第四十三条" in page and "是否落实先通风、再检测、后作业" in page
    assert not CheckItem.objects.exists()


def test_an_item_without_legal_basis_is_refused_with_a_clear_message(client_for, section4):
    data = item_post_data(
        section=bureau_section(),
        **{"basis-0-kind": "", "basis-0-title": "", "basis-0-article": ""},
    )
    response = client_for(section4).post("/checklists/items/new/", data)
    assert "请至少填写一条检查依据" in response.content.decode()
    assert not CheckItem.objects.exists()


def test_a_duplicate_code_is_shown_at_the_code_field(client_for, section4):
    make_item(code="HB-T-001", name="已有事项")
    response = client_for(section4).post(
        "/checklists/items/new/", item_post_data(section=bureau_section())
    )
    assert "事项编码「HB-T-001」已被事项「已有事项」使用。" in response.content.decode()


def test_editing_needs_a_reason_and_makes_a_new_version(client_for, section4):
    item = make_item(code="HB-T-001", responsible_section=bureau_section())
    client = client_for(section4)
    data = item_post_data(
        section=item.responsible_section, reason="", name="有限空间作业安全（修订）"
    )
    page = client.get(f"/checklists/items/{item.pk}/edit/").content.decode()
    assert "禁忌物料是否隔离" in page  # the current rows are in the form
    response = client.post(f"/checklists/items/{item.pk}/edit/", data)
    assert response.status_code == 200
    assert "变更原因" in response.content.decode()
    data["reason"] = "法律修订"
    response = client.post(f"/checklists/items/{item.pk}/edit/", data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.version == 2 and item.name == "有限空间作业安全（修订）"
    page = client.get(f"/checklists/items/{item.pk}/").content.decode()
    assert "第 2 版" in page and "法律修订" in page


def test_a_retired_item_cannot_be_edited(client_for, section4):
    item = make_item(retired_from=selectors.today())
    response = client_for(section4).get(f"/checklists/items/{item.pk}/edit/")
    assert response.status_code == 302


def test_the_detail_shows_the_history(client_for, chief, section4):
    item = make_item(by=section4, name="特殊作业安全管理")
    page = client_for(chief).get(f"/checklists/items/{item.pk}/").content.decode()
    assert "版本历史" in page and "第 1 版" in page and "新增抽查事项" in page
    assert "《危险化学品安全管理条例》" in page
    assert f"/checklists/items/{item.pk}/edit/" not in page  # a chief reads, does not edit
    section4_page = client_for(section4).get(f"/checklists/items/{item.pk}/").content.decode()
    assert f"/checklists/items/{item.pk}/edit/" in section4_page


def test_the_version_page_shows_what_changed(client_for, section4, leader):
    from checklists.services import check_item_update
    from checklists.specs import ItemSpec

    item = make_item(by=section4)
    spec = ItemSpec.from_item(item)
    spec.annual_cap = 3
    check_item_update(by=section4, item=item, spec=spec, reason="减少涉企检查")
    page = client_for(leader).get(f"/checklists/items/{item.pk}/versions/2/").content.decode()
    assert "减少涉企检查" in page
    assert "每家企业年度检查上限（次）" in page and "（空）" in page and ">3<" in page


def test_retiring_from_the_page(client_for, section4):
    item = make_item()
    client = client_for(section4)
    today = selectors.today()
    response = client.post(
        f"/checklists/items/{item.pk}/retire/",
        {"retired_from": (today - dt.timedelta(days=1)).isoformat(), "reason": "废止"},
    )
    assert response.status_code == 200
    assert "停用日期不能早于今天" in response.content.decode()
    response = client.post(
        f"/checklists/items/{item.pk}/retire/",
        {"retired_from": today.isoformat(), "reason": "《XX办法》废止"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.retired_from == today
    page = client.get(f"/checklists/items/{item.pk}/").content.decode()
    assert "已于" in page and "《XX办法》废止" in page


def test_the_export_is_the_import_layout_and_is_audited(client_for, chief):
    make_item(code="=HYPERLINK(1)", name="事项")
    response = client_for(chief).get("/checklists/items/export/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("事项编码", "事项名称", "事项类别")
    assert rows[1][0] == "'=HYPERLINK(1)"  # formula neutralised
    assert "行政法规｜《危险化学品安全管理条例》｜第二十四条" in rows[1][7]
    assert AuditEntry.objects.filter(event="checklists.item.exported", actor=chief).exists()


def test_the_csv_export(client_for, chief):
    make_item(code="HB-CSV", name="事项")
    response = client_for(chief).get("/checklists/items/export/?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.startswith("事项编码,事项名称") and "HB-CSV" in text

"""The public item list: no login, only items in force today, by section, with legal basis,
method and category; joint lists with their guidelines."""

import datetime as dt
from unittest import mock

from django.utils import timezone

from checklists import selectors, services
from tests.checklists.factories import (
    PDF,
    SupervisionSectorFactory,
    bureau_section,
    make_attachment,
    make_item,
    make_joint_list,
)


def test_anyone_sees_the_list_without_logging_in(db, client):
    make_item(code="HB-WH-001", name="危险化学品储存安全")
    response = client.get("/public/items/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "危险化学品储存安全" in page
    assert "《危险化学品安全管理条例》第二十四条" in page
    assert "现场检查、书面检查" in page and "重点检查事项" in page
    assert "main-nav" not in page and "退出登录" not in page  # no staff navigation


def test_items_are_grouped_by_responsible_section(db, client):
    make_item(name="危化事项", responsible_section=bureau_section("危险化学品安全监督管理科"))
    make_item(name="工贸事项", responsible_section=bureau_section("工贸行业安全监督管理科"))
    page = client.get("/public/items/").content.decode()
    assert 'data-section="危险化学品安全监督管理科"' in page
    assert 'data-section="工贸行业安全监督管理科"' in page
    assert page.index("危化事项") < page.index('data-section="工贸行业安全监督管理科"')


def test_a_retired_item_leaves_the_list_on_its_retirement_date(db, client, section4):
    item = make_item(code="HB-R", name="将停用的事项")
    today = selectors.today()
    services.check_item_retire(
        by=section4, item=item, retired_from=today + dt.timedelta(days=1), reason="废止"
    )
    assert "将停用的事项" in client.get("/public/items/").content.decode()
    assert client.get(f"/public/items/{item.pk}/").status_code == 200
    tomorrow = timezone.now() + dt.timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        assert "将停用的事项" not in client.get("/public/items/").content.decode()
        assert client.get(f"/public/items/{item.pk}/").status_code == 404
    # The staff still find it, with its history.
    item.refresh_from_db()
    assert item.versions.filter(event="retired").exists()


def test_an_item_not_yet_in_force_is_not_published(db, client):
    today = selectors.today()
    item = make_item(name="明日生效的事项", effective_from=today + dt.timedelta(days=1))
    assert "明日生效的事项" not in client.get("/public/items/").content.decode()
    assert client.get(f"/public/items/{item.pk}/").status_code == 404


def test_search_and_filters(db, client):
    dust = SupervisionSectorFactory(name="粉尘涉爆")
    trade = bureau_section("工贸行业安全监督管理科")
    make_item(name="粉尘防爆安全管理", responsible_section=trade, sectors=[dust])
    make_item(name="安全生产教育和培训", category="general")
    page = client.get("/public/items/?q=粉尘").content.decode()
    assert "粉尘防爆安全管理" in page and "安全生产教育和培训" not in page
    page = client.get(f"/public/items/?section={trade.pk}").content.decode()
    assert "粉尘防爆安全管理" in page and "安全生产教育和培训" not in page
    page = client.get("/public/items/?category=general").content.decode()
    assert "安全生产教育和培训" in page and "粉尘防爆安全管理" not in page
    page = client.get(f"/public/items/?sector={dust.pk}").content.decode()
    assert "粉尘防爆安全管理" in page and "安全生产教育和培训" in page  # applies to all sectors
    page = client.get("/public/items/?q=不存在的事项").content.decode()
    assert "没有符合条件的抽查事项" in page


def test_the_detail_shows_sub_items_and_legal_basis(db, client):
    item = make_item(name="危险化学品储存安全")
    page = client.get(f"/public/items/{item.pk}/").content.decode()
    assert "禁忌物料是否隔离" in page and "危险化学品应当储存在专用仓库" in page


def test_the_joint_lists_are_public_with_their_guidelines(db, client, section4):
    joint_list = make_joint_list(by=section4)
    attachment = make_attachment(joint_list, by=section4)
    page = client.get("/public/items/").content.decode()
    assert joint_list.name in page and "石家庄市市场监督管理局" in page
    page = client.get(f"/public/joint-lists/{joint_list.pk}/").content.decode()
    assert "特种设备使用登记和定期检验" in page and "牵头部门组织，一次上门。" in page
    response = client.get(f"/public/joint-lists/attachments/{attachment.pk}/")
    assert b"".join(response.streaming_content) == PDF


def test_a_retired_joint_list_and_its_files_are_not_public(db, client, section4):
    joint_list = make_joint_list(by=section4)
    attachment = make_attachment(joint_list, by=section4)
    services.joint_list_retire(
        by=section4, joint_list=joint_list, retired_from=selectors.today(), reason="合并"
    )
    assert joint_list.name not in client.get("/public/items/").content.decode()
    assert client.get(f"/public/joint-lists/{joint_list.pk}/").status_code == 404
    assert client.get(f"/public/joint-lists/attachments/{attachment.pk}/").status_code == 404


def test_a_retired_item_drops_out_of_a_public_joint_list(db, client, section4):
    joint_list = make_joint_list(by=section4)
    entry = joint_list.entries.select_related("item").last()
    services.check_item_retire(
        by=section4, item=entry.item, retired_from=selectors.today(), reason="废止"
    )
    page = client.get(f"/public/joint-lists/{joint_list.pk}/").content.decode()
    assert entry.item.name not in page


def test_the_public_list_has_a_bounded_number_of_queries(
    client, section4, django_assert_max_num_queries
):
    dust = SupervisionSectorFactory(name="粉尘涉爆")
    for number in range(40):
        make_item(code=f"P-{number:02d}", sectors=[dust])
    make_joint_list(by=section4)
    with django_assert_max_num_queries(14):
        response = client.get("/public/items/")
    assert response.status_code == 200


def test_only_get_is_allowed(db, client):
    assert client.post("/public/items/").status_code == 405

"""Roster journey: section 4 imports the justice bureau's export (first with errors, then
fixed), tags two officers, marks one on leave; the draw's eligibility follows. An
inspector-role user reaches none of the edit pages."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inspectors import selectors
from inspectors.models import Inspector, Tag
from tests.browser.conftest import PHONE
from tests.conftest import make_persona
from tests.factories import PASSWORD
from tests.inspectors.factories import InspectorFactory
from tests.inspectors.files import person, setup_roster, xlsx

pytestmark = pytest.mark.browser
DAY = dt.timedelta(days=1)


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_section4_imports_tags_and_marks_leave(page, live_server, login, shot, tmp_path):
    section4 = make_persona("section4")
    setup_roster()
    dust = Tag.objects.get(name="粉尘防爆")
    rows = [person(n, 姓名=name) for n, name in enumerate(["王建国", "李秀梅", "赵志刚"], 1)]
    broken = [*rows[:1], rows[1] | {"执法证号": ""}, rows[2] | {"所属科室": "不存在的科室"}]
    bad_file, good_file = tmp_path / "司法局导出.xlsx", tmp_path / "司法局导出-修改后.xlsx"
    bad_file.write_bytes(xlsx(broken))
    good_file.write_bytes(xlsx(rows))

    login(page, section4.username, PASSWORD)
    page.goto(f"{live_server.url}/roster/")
    expect(page.get_by_text("名录库中还没有执法人员")).to_be_visible()
    page.get_by_role("link", name="导入司法局数据").click()

    # 1. A file with errors: the preview lists them by row, nothing can be confirmed.
    page.get_by_label("导入文件").set_input_files(str(bad_file))
    page.get_by_role("button", name="上传并预检").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("3 行中有 2 处错误")
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("第 3 行")
    expect(errors).to_contain_text("不能为空")
    expect(errors).to_contain_text("第 4 行")
    expect(errors).to_contain_text("科室不存在")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    shot(page, "roster-import-errors")
    page.set_viewport_size(PHONE)
    fits_the_phone(page)
    shot(page, "roster-import-errors-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not Inspector.objects.exists()

    # 2. The corrected file: preview, then confirm.
    page.get_by_role("link", name="重新上传").click()
    page.get_by_label("导入文件").set_input_files(str(good_file))
    page.get_by_role("button", name="上传并预检").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("新增 3")
    expect(page.get_by_test_id("import-preview")).to_contain_text("王建国")
    shot(page, "roster-import-preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("导入完成：共 3 行，新增 3")).to_be_visible()
    assert Inspector.objects.count() == 3

    # 3. Tag two officers at once from the list.
    table = page.get_by_test_id("inspector-table")
    page.get_by_text("批量修改标签（先在下表勾选人员）").click()
    table.get_by_label("选择 王建国").check()
    table.get_by_label("选择 李秀梅").check()
    expect(page.get_by_test_id("checked-count")).to_have_text("2")
    page.locator("#bulk-add").select_option(label="粉尘防爆")
    page.get_by_role("button", name="批量修改标签").click()
    expect(page.get_by_text("已更新 2 名执法人员的标签")).to_be_visible()
    shot(page, "roster-list")
    page.set_viewport_size(PHONE)
    fits_the_phone(page)
    shot(page, "roster-list-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # 4. Mark 王建国 on leave for five days from next week.
    start = timezone.localdate() + 7 * DAY
    end = start + 4 * DAY
    table.get_by_role("link", name="王建国").click()
    page.get_by_role("link", name="登记状态变动").click()
    page.get_by_label("状态").select_option(label="休假")
    page.get_by_label("生效日期").fill(start.isoformat())
    page.get_by_label("截止日期").fill(end.isoformat())
    page.get_by_label("原因").fill("年休假")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"已登记 王建国：休假（{start} 至 {end}）")).to_be_visible()
    expect(page.get_by_test_id("status-periods")).to_contain_text("年休假")
    expect(page.get_by_test_id("audit-history")).to_contain_text("状态变动")
    shot(page, "roster-detail")
    page.set_viewport_size(PHONE)
    fits_the_phone(page)
    shot(page, "roster-detail-phone")

    # The draw's eligibility follows: the officer on leave is out for those dates only.
    wang = Inspector.objects.get(name="王建国")
    li = Inspector.objects.get(name="李秀梅")
    for day in (start, start + 2 * DAY, end):
        assert set(selectors.eligible_inspectors(on=day, tags=[dust])) == {li}
        assert wang not in selectors.eligible_inspectors(on=day)
    assert set(selectors.eligible_inspectors(on=end + DAY, tags=[dust])) == {wang, li}
    assert set(selectors.eligible_inspectors(on=start - DAY, tags=[dust])) == {wang, li}


EDIT_PAGES = [
    "/roster/new/",
    "/roster/{pk}/edit/",
    "/roster/{pk}/status/",
    "/roster/import/",
    "/imports/inspectors/",
    "/roster/departments/new/",
    "/roster/tags/new/",
    "/roster/reconciliation/",
]


def test_an_inspector_cannot_reach_any_edit_page(page, live_server, login, shot):
    user = make_persona("inspector")
    inspector = InspectorFactory(name="某执法员")
    login(page, user.username, PASSWORD)
    page.goto(f"{live_server.url}/roster/")
    expect(page.get_by_role("link", name="某执法员")).to_be_visible()
    expect(page.get_by_role("link", name="新增执法人员")).to_have_count(0)
    expect(page.get_by_test_id("bulk-tag-form")).to_have_count(0)
    for path in EDIT_PAGES:
        response = page.goto(live_server.url + path.format(pk=inspector.pk))
        assert response.status == 403, path
        expect(page.get_by_role("heading", name="无权访问（403）")).to_be_visible()
    shot(page, "roster-inspector-403")

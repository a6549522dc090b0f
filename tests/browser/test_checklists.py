"""Item-list journey: a section chief proposes an item (two legal-basis rows added in the
form), 综合执法四科 approves it, the public sees it without logging in; section 4 retires it
from today, and from that day it is gone from the public list but kept in the staff history."""

import pytest
from playwright.sync_api import expect

from checklists import selectors
from checklists.models import CheckItem, CheckItemRequest
from tests.browser.conftest import PHONE
from tests.checklists.factories import SupervisionSectorFactory
from tests.conftest import make_persona
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

ITEM_NAME = "危险化学品企业安全风险智能化管控平台应用"


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture
def new_page(browser, browser_context_args):
    """`new_page(**options)`: a page in a fresh browser context (its own cookies), closed at
    the end of the test so that no open page keeps talking to the live server."""
    contexts = []

    def make(**options):
        context = browser.new_context(**browser_context_args, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _signed_in(new_page, live_server, username, **options):
    page = new_page(**options)
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="您好")).to_be_visible()
    return page


def test_an_item_is_proposed_approved_published_and_retired(new_page, live_server, shot):
    chief = make_persona("chief")
    section4 = make_persona("section4")
    SupervisionSectorFactory(code="hazchem_production", name="危险化学品生产")

    # 1. The chief proposes the item, adding a sub-item row and a second legal-basis row.
    page = _signed_in(new_page, live_server, chief.username)
    page.goto(f"{live_server.url}/checklists/requests/new/")
    page.get_by_label("事项名称").fill(ITEM_NAME)
    page.get_by_label("事项类别").select_option("general")
    page.get_by_label("网络监测").check()
    page.get_by_label("危险化学品生产").check()
    page.locator('[name="sub-0-content"]').fill("是否按要求建设安全风险智能化管控平台")
    page.get_by_role("button", name="添加一条检查内容").click()
    page.locator('[name="sub-1-content"]').fill("平台预警信息是否及时处置")
    page.locator('[name="basis-0-kind"]').select_option("law")
    page.locator('[name="basis-0-title"]').fill("《中华人民共和国安全生产法》")
    page.locator('[name="basis-0-article"]').fill("第四条")
    page.get_by_role("button", name="添加一条检查依据").click()
    page.locator('[name="basis-1-kind"]').select_option("normative")
    page.locator('[name="basis-1-title"]').fill(
        "《危险化学品企业安全风险智能化管控平台建设指南（试行）》"
    )
    # A third row added by mistake and removed again: the rows renumber.
    page.get_by_role("button", name="添加一条检查依据").click()
    page.get_by_test_id("rows-basis").locator("[data-row]").nth(2).get_by_role(
        "button", name="删除"
    ).click()
    expect(page.get_by_test_id("rows-basis").locator("[data-row]")).to_have_count(2)
    page.get_by_label("申请理由").fill("省平台 2024 年新增监管事项，本科室清单尚未列入。")
    shot(page, "checklists-request-form")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("新增申请已提交")).to_be_visible()
    request = CheckItemRequest.objects.get(name=ITEM_NAME)
    assert [basis.title for basis in request.legal_bases.all()] == [
        "《中华人民共和国安全生产法》",
        "《危险化学品企业安全风险智能化管控平台建设指南（试行）》",
    ]
    assert request.sub_items.count() == 2

    # 2. Section 4 sees the pending request on the home page and approves it.
    page4 = _signed_in(new_page, live_server, section4.username)
    step = page4.get_by_role("link", name="审批各科室的抽查事项新增申请")
    expect(step).to_be_visible()
    step.click()
    page4.get_by_role("link", name=ITEM_NAME).click()
    page4.get_by_label("事项编码").fill("HB-YJ-WH-088")
    page4.get_by_label("审批意见").fill("同意列入。")
    shot(page4, "checklists-request-approve")
    page4.get_by_role("button", name="批准", exact=True).click()
    expect(page4.get_by_text("已列入清单")).to_be_visible()
    expect(page4.get_by_role("heading", name=ITEM_NAME)).to_be_visible()
    item = CheckItem.objects.get(code="HB-YJ-WH-088")
    assert item.responsible_section == chief.section

    # The chief is told.
    page.goto(f"{live_server.url}/notifications/")
    expect(page.get_by_text(f"您申请新增的抽查事项「{ITEM_NAME}」已批准")).to_be_visible()

    # 3. The public sees it, without logging in, on a desktop and on a phone.
    public = new_page()
    public.goto(f"{live_server.url}/public/items/")
    listed = public.locator(f'[data-code="{item.code}"]')
    expect(listed).to_be_visible()
    expect(listed).to_contain_text("一般检查事项")
    expect(listed).to_contain_text("《中华人民共和国安全生产法》第四条")
    expect(public.get_by_test_id("main-nav")).to_have_count(0)
    shot(public, "checklists-public-list")
    phone = new_page(viewport=PHONE)
    phone.goto(f"{live_server.url}/public/items/")
    expect(phone.locator(f'[data-code="{item.code}"]')).to_be_visible()
    _fits(phone, PHONE["width"])
    shot(phone, "checklists-public-list-phone")
    phone.locator(f'[data-code="{item.code}"]').get_by_role("link", name=ITEM_NAME).click()
    expect(phone.get_by_text("平台预警信息是否及时处置")).to_be_visible()
    _fits(phone, PHONE["width"])
    shot(phone, "checklists-public-detail-phone")

    # 4. Section 4 retires it from today.
    page4.get_by_role("link", name="停用").click()
    expect(page4.get_by_label("停用日期")).to_have_value(selectors.today().isoformat())
    page4.get_by_label("停用原因").fill("并入“安全风险分级管控和隐患排查治理”事项")
    page4.get_by_role("button", name="确认停用").click()
    expect(page4.get_by_test_id("retired-note")).to_contain_text("已于")

    # From its retirement date it is gone from the public list and its page …
    public.reload()
    expect(public.locator(f'[data-code="{item.code}"]')).to_have_count(0)
    response = public.goto(f"{live_server.url}/public/items/{item.pk}/")
    assert response.status == 404

    # … and still in the staff list and history, with the reason.
    history = page4.get_by_test_id("version-history")
    expect(history).to_contain_text("第 2 版")
    expect(history).to_contain_text("停用")
    expect(history).to_contain_text("并入“安全风险分级管控和隐患排查治理”事项")
    shot(page4, "checklists-item-history")
    page4.goto(f"{live_server.url}/checklists/?status=retired")
    expect(page4.get_by_role("link", name=ITEM_NAME)).to_be_visible()


def test_the_staff_pages_fit_a_phone(new_page, live_server, shot):
    make_persona("section4")
    page = _signed_in(new_page, live_server, "section4", viewport=PHONE)
    page.goto(f"{live_server.url}/checklists/items/new/")
    page.get_by_role("button", name="添加一条检查依据").click()
    _fits(page, PHONE["width"])
    shot(page, "checklists-item-form-phone")
    # Submitting an empty form shows clear errors and keeps the rows.
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("请至少填写一条检查依据").first).to_be_visible()
    _fits(page, PHONE["width"])
    shot(page, "checklists-item-form-errors-phone")

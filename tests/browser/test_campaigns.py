"""Campaign journey: a section chief plans a joint "一业一查" campaign in the browser, watching
the live preview; 局领导 approves it; the chief publishes it and the public page (anonymous)
shows manifest_sha256 and nonce_sha256; the chief draws with the external value named in
advance; the draw page lists the inspection tasks, an inspector sees theirs and prints the
双清单 notice; a second draw attempt (from a page opened before the draw) is refused."""

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign, Draw, Inspection
from campaigns.selectors.campaigns import current_manifest
from inspectors.models import Inspector
from tests.browser.conftest import PHONE
from tests.campaigns.planning import World
from tests.checklists.factories import make_joint_list
from tests.conftest import make_persona
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SOURCE = "中国福利彩票快乐8第2025128期开奖号码"
LOTTERY = "03 07 11 16 19 24 28 33 35 41 46 50 52 57 61 64 68 72 75 79"


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture
def new_page(browser, browser_context_args):
    """`new_page(**options)`: a page in a fresh browser context (its own cookies)."""
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


def _preview_total(page):
    return page.get_by_test_id("preview-total")


def test_a_joint_campaign_is_planned_approved_published_drawn_and_refused_a_second_draw(
    new_page, live_server, shot
):
    chief = make_persona("chief")
    leader = make_persona("leader")
    inspector_user = make_persona("inspector")
    # Two bureau officers (one with the 危险化学品 field) and three of the market regulator: the
    # inspector persona is the only one who can fill the first slot, so is on every team.
    world = World(chief, bureau_inspectors=2, market_inspectors=3)
    Inspector.objects.filter(pk=world.bureau_inspectors[0].pk).update(user=inspector_user)
    joint_list = make_joint_list(name="危险化学品经营企业“一业一查”联合抽查清单")
    plan_url = f"{live_server.url}/campaigns/plans/{world.plan.pk}/"

    # 1. The chief plans a joint campaign and watches the live preview.
    page = _signed_in(new_page, live_server, chief.username)
    page.goto(plan_url)
    page.get_by_role("link", name="制定抽查任务").click()
    expect(page.get_by_role("heading", name="制定抽查任务")).to_be_visible()
    # Default strata A 3%, B 5%, C 10%, D 20% of 10 enterprises each: 1 + 1 + 1 + 2.
    expect(_preview_total(page)).to_have_text("5")
    page.get_by_label("任务名称").fill("危险化学品经营企业联合抽查")
    page.get_by_label("“一业一查”联合抽查清单").select_option(label=joint_list.name)
    expect(page.locator("[data-joint-note]")).to_contain_text("已按联合清单带入")
    expect(page.get_by_label("石家庄市市场监督管理局", exact=True)).to_be_checked()
    for entry in joint_list.entries.all():
        expect(page.locator(f"#item-{entry.item_id}")).to_be_checked()
    page.locator('[name="stratum-3-ratio"]').fill("50")
    page.locator('[name="stratum-3-ratio"]').blur()
    expect(_preview_total(page)).to_have_text("8")  # D: ceil(10 × 50%) = 5
    page.locator('[name="slot-0-tag"]').select_option(label="执法领域：危险化学品")
    page.get_by_role("button", name="添加一个席位").click()
    page.locator('[name="slot-2-department"]').select_option(label="石家庄市市场监督管理局")
    page.get_by_label("外部公开随机数来源").fill(SOURCE)
    page.get_by_label("外部公开随机数来源").blur()
    preview = page.get_by_test_id("plan-preview")
    expect(preview.get_by_test_id("preview-ok")).to_be_visible()
    expect(preview.get_by_test_id("preview-pool")).to_contain_text("石家庄市市场监督管理局：3 人")
    shot(page, "campaigns-plan-form")
    phone_form = _signed_in(new_page, live_server, chief.username, viewport=PHONE)
    phone_form.goto(f"{live_server.url}/campaigns/plans/{world.plan.pk}/campaigns/new/")
    expect(_preview_total(phone_form)).to_have_text("5")
    _fits(phone_form, PHONE["width"])
    shot(phone_form, "campaigns-plan-form-phone")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("抽查任务已保存为草稿")).to_be_visible()
    campaign = Campaign.objects.get(title="危险化学品经营企业联合抽查")
    assert campaign.is_joint and campaign.joint_list == joint_list
    assert campaign.slots.count() == 3
    page.get_by_role("button", name="提交审批").click()
    expect(page.get_by_text("已提交审批")).to_be_visible()

    # 2. 局领导 approves it (it is on the home page).
    leader_page = _signed_in(new_page, live_server, leader.username)
    leader_page.get_by_role("link", name="审批各科室提交的抽查任务").click()
    leader_page.get_by_role("link", name="危险化学品经营企业联合抽查").click()
    leader_page.get_by_role("button", name="批准").click()
    expect(leader_page.get_by_text("已批准，任务已编号")).to_be_visible()
    campaign.refresh_from_db()
    assert campaign.code == f"石应急抽〔{campaign.year}〕1号"

    # 3. The chief publishes it; the public sees the digests, never the nonce.
    page.reload()
    expect(page.get_by_test_id("preflight-ok")).to_be_visible()
    page.get_by_role("button", name="公示并冻结").click()
    expect(page.get_by_text("已公示：摇号方案已冻结")).to_be_visible()
    manifest = current_manifest(campaign)
    public = new_page()
    public.goto(f"{live_server.url}/public/campaigns/{campaign.pk}/")
    expect(public.get_by_test_id("public-manifest-sha256")).to_have_text(manifest.sha256)
    expect(public.get_by_test_id("public-nonce-sha256")).to_have_text(manifest.nonce_sha256)
    expect(public.get_by_test_id("public-sources-named")).to_contain_text(SOURCE)
    assert manifest.nonce not in public.content()
    shot(public, "campaigns-public-published")
    public_phone = new_page(viewport=PHONE)
    public_phone.goto(f"{live_server.url}/public/campaigns/{campaign.pk}/")
    _fits(public_phone, PHONE["width"])
    shot(public_phone, "campaigns-public-published-phone")

    # A second page of the chief, opened before the draw, still shows the draw form.
    stale = page.context.new_page()
    stale.on("dialog", lambda dialog: dialog.accept())
    stale.goto(page.url)

    # 4. The chief draws with the value the lottery published.
    page.get_by_label(SOURCE).fill(LOTTERY)
    page.get_by_role("button", name="摇号", exact=True).click()
    expect(page.get_by_text("摇号完成：抽中 8 户企业")).to_be_visible()
    draw = Draw.objects.get()
    assert draw.sources == [manifest.nonce, LOTTERY]
    result = page.get_by_test_id("draw-result")
    expect(result.locator("[data-inspection]")).to_have_count(8)
    for inspection in Inspection.objects.filter(draw=draw).select_related("enterprise"):
        expect(result.locator(f'[data-uscc="{inspection.enterprise.uscc}"]')).to_be_visible()
    expect(page.get_by_test_id("draw-sources")).to_contain_text(manifest.nonce)
    page.get_by_role("button", name="验证").click()
    expect(page.locator('[data-check-status="passed"]')).to_have_count(5)
    shot(page, "campaigns-draw")
    draw_phone = _signed_in(new_page, live_server, chief.username, viewport=PHONE)
    draw_phone.goto(f"{live_server.url}/campaigns/draws/{draw.pk}/")
    _fits(draw_phone, PHONE["width"])
    shot(draw_phone, "campaigns-draw-phone")

    # 5. A second draw attempt is refused, and nothing is created.
    stale.get_by_label(SOURCE).fill("01 02 03")
    stale.get_by_role("button", name="摇号", exact=True).click()
    expect(stale.get_by_text("该方案已摇号，不能重复摇号")).to_be_visible()
    assert Draw.objects.count() == 1
    assert Inspection.objects.count() == 8

    # 6. The public page shows the result; the inspector sees their tasks and the notice.
    public.reload()
    expect(public.get_by_test_id("public-result-sha256")).to_have_text(draw.result_sha256)
    expect(public.get_by_test_id("public-selected").locator("li")).to_have_count(8)
    mine = _signed_in(new_page, live_server, inspector_user.username)
    mine.get_by_role("link", name="我的检查任务：打印双清单告知书，开始和完成检查").click()
    expect(mine.get_by_test_id("my-inspections").locator("[data-inspection]")).to_have_count(8)
    mine.get_by_role("link", name="双清单告知书").first.click()
    notice = mine.get_by_test_id("notice")
    expect(notice).to_contain_text("检查事项清单")
    expect(notice.get_by_test_id("notice-team")).to_contain_text(world.bureau_inspectors[0].cert_no)
    expect(notice.get_by_test_id("notice-documents")).to_contain_text("营业执照（副本）")
    shot(mine, "campaigns-notice")
    notice_phone = _signed_in(new_page, live_server, inspector_user.username, viewport=PHONE)
    notice_phone.goto(mine.url)
    _fits(notice_phone, PHONE["width"])
    shot(notice_phone, "campaigns-notice-phone")

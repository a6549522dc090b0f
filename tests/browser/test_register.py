"""Register journey: section 4 imports the monthly grade file (a bad file first, then the good
one: upload → preview → confirm); the enterprise's page shows the new grade and its history;
an inspector finds the enterprise and declares a recusal; section 4 approves it from the home
page, and the draw's selector sees the pair."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import CreditGradeChange, Recusal
from campaigns.selectors.register import active_recusal_pairs
from campaigns.services.register import enterprise_change_grade
from tests.browser.conftest import PHONE
from tests.campaigns.factories import EnterpriseFactory, SectorFactory, area, xlsx_file
from tests.conftest import make_persona
from tests.factories import PASSWORD
from tests.inspectors.factories import InspectorFactory

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def both_sizes(page, shot, name: str) -> None:
    shot(page, name)
    page.set_viewport_size(PHONE)
    fits_the_phone(page)
    shot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)


def sign_in_as(page, login, user) -> None:
    page.context.clear_cookies()
    login(page, user.username, PASSWORD)


def test_grades_are_imported_and_a_recusal_is_declared_and_approved(
    page, live_server, login, shot, tmp_path
):
    section4 = make_persona("section4")
    inspector_user = make_persona("inspector")
    inspector = InspectorFactory(user=inspector_user, name="陈晓明", cert_no="13010020001")
    dust = SectorFactory(name="粉尘涉爆")
    heng = EnterpriseFactory(
        name="石家庄恒达化工有限公司", sectors=[SectorFactory(name="危险化学品生产")],
        contact_person="李娜", contact_phone="13800000000",
    )  # fmt: skip
    xin = EnterpriseFactory(name="辛集市宏泰皮革制品有限公司", area=area("130181"), sectors=[dust])
    for enterprise in (heng, xin):
        enterprise_change_grade(
            by=section4, enterprise=enterprise, grade="A",
            effective_date=dt.date(2025, 5, 1), source="省平台 2025年5月信用风险分类",
        )  # fmt: skip
    today = timezone.localdate()
    header = ["统一社会信用代码", "信用等级", "生效日期"]
    bad = tmp_path / "信用风险分类（有误）.xlsx"
    bad.write_bytes(
        xlsx_file(
            [header, [heng.uscc, "C", "2025-06-01"], ["91440300708461136A", "B", "2025-06-01"]]
        ).getvalue()
    )
    good = tmp_path / "2025年6月信用风险分类.xlsx"
    good.write_bytes(
        xlsx_file(
            [header, [heng.uscc.lower(), "C级", "2025-06-01"], [xin.uscc, "A", "2025-06-01"]]
        ).getvalue()
    )

    # 1. Section 4 opens the register and imports the monthly grade file.
    login(page, section4.username, PASSWORD)
    page.get_by_role("button", name="名录库").click()
    page.get_by_role("link", name="检查对象名录库").click()
    expect(page.get_by_test_id("enterprise-table")).to_contain_text("石家庄恒达化工有限公司")
    both_sizes(page, shot, "register-list")
    page.get_by_role("link", name="导入信用风险分类").click()
    page.get_by_label("导入文件").set_input_files(str(bad))
    page.get_by_role("button", name="上传并预检").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("2 行中有 1 处错误")
    expect(page.get_by_test_id("import-errors")).to_contain_text("第 3 行")
    expect(page.get_by_test_id("import-errors")).to_contain_text("第 18 位应为“T”")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    both_sizes(page, shot, "register-grade-import-errors")
    assert not CreditGradeChange.objects.filter(new_grade="C").exists()

    page.get_by_role("link", name="重新上传").click()
    page.get_by_label("导入文件").set_input_files(str(good))
    page.get_by_role("button", name="上传并预检").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("更新 1，无变化 1")
    expect(page.get_by_test_id("import-preview")).to_contain_text("A 低风险 → C 较高风险")
    both_sizes(page, shot, "register-grade-import-preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("企业信用风险分类导入完成：共 2 行，新增 0，更新 1")).to_be_visible()

    # 2. The enterprise's page shows the new grade and its history.
    page.get_by_label("名称或统一社会信用代码").fill("恒达")
    page.get_by_role("button", name="查询").click()
    page.get_by_role("link", name="石家庄恒达化工有限公司").click()
    expect(page.get_by_test_id("current-grade")).to_have_text("C 较高风险")
    history = page.get_by_test_id("grade-history")
    expect(history).to_contain_text("A → C")
    expect(history).to_contain_text("2025年6月信用风险分类.xlsx")
    expect(history).to_contain_text("未评级 → A")
    both_sizes(page, shot, "register-enterprise")

    # 3. The inspector finds the enterprise and declares a recusal.
    sign_in_as(page, login, inspector_user)
    page.get_by_role("link", name="与企业有利害关系的，申报本人回避").click()
    page.get_by_label("企业名称或统一社会信用代码").fill("恒达化工")
    page.get_by_role("button", name="查找").click()
    results = page.get_by_test_id("enterprise-search")
    expect(results).to_contain_text("石家庄恒达化工有限公司")
    results.get_by_role("link", name="选择").click()
    expect(page.get_by_label("企业统一社会信用代码")).to_have_value(heng.uscc)
    page.get_by_label("回避事由").select_option(label="亲属关系")
    page.get_by_label("情况说明").fill("配偶在该企业任安全总监。")
    both_sizes(page, shot, "register-recusal-declare")
    page.get_by_role("button", name="提交申报").click()
    expect(page.get_by_text("回避申报已提交，待综合执法四科审核。")).to_be_visible()
    expect(page.get_by_test_id("recusal-status")).to_have_text("待审核")
    assert active_recusal_pairs(on=today) == set()

    # 4. Section 4 sees it on the home page and approves it.
    sign_in_as(page, login, section4)
    page.get_by_role("link", name="审核待批的回避申报").click()
    page.get_by_role("link", name="陈晓明").click()
    page.get_by_label("审核意见").fill("经核实属实，同意回避。")
    both_sizes(page, shot, "register-recusal-decide")
    page.get_by_role("button", name="批准").click()
    expect(page.get_by_text("已批准该回避登记。")).to_be_visible()
    expect(page.get_by_test_id("recusal-status")).to_have_text("已批准")
    recusal = Recusal.objects.get()
    assert (recusal.status, recusal.decided_by) == (Recusal.Status.APPROVED, section4)
    assert active_recusal_pairs(on=today) == {(heng.uscc, inspector.cert_no)}

    # The enterprise's page lists the approved recusal for section 4.
    page.goto(f"{live_server.url}/campaigns/enterprises/{heng.pk}/")
    expect(page.get_by_test_id("recusals")).to_contain_text("陈晓明")
    expect(page.get_by_test_id("recusals")).to_contain_text("已批准")

"""The register's pages: list, enterprise page, forms, recusals, and the import pages."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CheckVisit, CreditGradeChange, Enterprise, Recusal
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.core.models import ImportBatch
from tests.campaigns.factories import (
    CheckVisitFactory,
    EnterpriseFactory,
    RecusalFactory,
    SectorFactory,
    area,
    new_uscc,
    xlsx_file,
)
from tests.factories import DepartmentFactory, SectionFactory
from tests.inspectors.factories import InspectorFactory

pytestmark = pytest.mark.django_db
LIST = reverse("campaigns:enterprise_list")
TODAY = timezone.localdate()


def detail(enterprise):
    return reverse("campaigns:enterprise_detail", args=[enterprise.pk])


# --- The list -----------------------------------------------------------------------------------


def test_it_lists_and_searches_the_register(client_for, chief):
    EnterpriseFactory(name="石家庄恒达化工有限公司")
    EnterpriseFactory(name="辛集市宏泰皮革制品有限公司", area=area("130181"))
    client = client_for(chief)
    page = client.get(LIST).content.decode()
    assert "石家庄恒达化工有限公司" in page and "辛集市宏泰皮革制品有限公司" in page
    assert "共 2 条" in page
    found = client.get(LIST, {"q": "皮革"}).content.decode()
    assert "辛集市宏泰皮革制品有限公司" in found and "石家庄恒达化工有限公司" not in found
    by_area = client.get(LIST, {"area": area("130181").pk}).content.decode()
    assert "宏泰" in by_area and "石家庄恒达化工有限公司" not in by_area
    assert "登记检查对象" not in page  # chiefs read, they do not edit


def test_the_list_filters_by_sector_grade_key_supervision_and_status(client_for, section4):
    dust = SectorFactory(name="粉尘涉爆")
    EnterpriseFactory(name="甲企业", sectors=[dust])
    EnterpriseFactory(
        name="乙企业", credit_grade="D", credit_grade_date=dt.date(2025, 1, 1),
        is_key_supervision=True, key_supervision_reason="重大危险源",
        status=Enterprise.Status.SUSPENDED,
    )  # fmt: skip
    client = client_for(section4)

    def names(**query):
        html = client.get(LIST, query).content.decode()
        return [name for name in ("甲企业", "乙企业") if name in html]

    assert names(sector=dust.pk) == ["甲企业"]
    assert names(grade="D") == ["乙企业"]
    assert names(grade="none") == ["甲企业"]
    assert names(key_supervision="on") == ["乙企业"]
    assert names(status="suspended") == ["乙企业"]
    assert names(status="active") == ["甲企业"]


def test_an_empty_search_says_so_and_explains_a_wrong_code(client_for, section4):
    EnterpriseFactory()
    client = client_for(section4)
    page = client.get(LIST, {"q": "没有这家"}).content.decode()
    assert "没有符合条件的检查对象" in page
    page = client.get(LIST, {"q": "91440300708461136A"}).content.decode()
    assert "第 18 位应为“T”" in page


def test_an_empty_register_invites_section4_to_import(client_for, section4):
    page = client_for(section4).get(LIST).content.decode()
    assert "名录库中还没有检查对象" in page
    assert reverse("core:import_start", args=["enterprises"]) in page
    assert reverse("core:import_start", args=["credit-grades"]) in page


def test_the_list_costs_the_same_queries_for_few_or_many_rows(
    client_for, section4, django_assert_max_num_queries
):
    client = client_for(section4)
    sector = SectorFactory()
    for _ in range(3):
        EnterpriseFactory(sectors=[sector])
    client.get(LIST)
    with django_assert_max_num_queries(16) as few:
        client.get(LIST, {"page": 1})
    for _ in range(40):
        EnterpriseFactory(sectors=[sector])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST, {"page": 2})
    assert "第 2 / 2 页" in response.content.decode()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST, {"q": "化工", "sector": sector.pk, "grade": "A"})


# --- The enterprise page ------------------------------------------------------------------------


def test_the_page_shows_profile_grade_history_visits_and_recusals(client_for, section4):
    enterprise = EnterpriseFactory(name="石家庄恒达化工有限公司", contact_person="李娜")
    client = client_for(section4)
    client.post(
        reverse("campaigns:enterprise_grade", args=[enterprise.pk]),
        {"grade": "B", "effective_date": "2025-01-01", "source": "省平台 2025年1月"},
    )
    client.post(
        reverse("campaigns:enterprise_grade", args=[enterprise.pk]),
        {"grade": "C", "effective_date": "2025-06-01", "source": "省平台 2025年6月"},
    )
    CheckVisitFactory(enterprise=enterprise, visited_on=TODAY, reference="石应急检记〔2025〕0012号")
    RecusalFactory(enterprise=enterprise, inspector=InspectorFactory(name="赵敏"))
    page = client.get(detail(enterprise)).content.decode()
    assert "C 较高风险" in page
    assert "未评级 → B" in page and "B → C" in page and "省平台 2025年6月" in page
    assert f'{TODAY.year} 年</div><div class="fs-5">1 次' in page
    assert "石应急检记〔2025〕0012号" in page
    assert "赵敏" in page
    assert "李娜" in page


def test_recusals_are_not_on_the_page_for_those_who_may_not_see_them(client_for, chief):
    enterprise = EnterpriseFactory()
    RecusalFactory(enterprise=enterprise, inspector=InspectorFactory(name="赵敏"))
    page = client_for(chief).get(detail(enterprise)).content.decode()
    assert "赵敏" not in page and "回避登记" not in page


def test_an_unknown_enterprise_is_404(client_for, chief):
    assert (
        client_for(chief).get(reverse("campaigns:enterprise_detail", args=[999])).status_code == 404
    )


# --- Forms --------------------------------------------------------------------------------------


def _form(**overrides):
    return {
        "uscc": new_uscc(),
        "name": "石家庄恒达化工有限公司",
        "area": area("130102").pk,
        "standardisation_level": "none",
        "status": "active",
        "scale": "",
    } | overrides


def test_section4_registers_an_enterprise(client_for, section4):
    sector = SectorFactory(name="危险化学品生产")
    section = SectionFactory(name="危险化学品安全监督管理科")
    code = new_uscc()
    response = client_for(section4).post(
        reverse("campaigns:enterprise_create"),
        _form(
            uscc=f" {code[:6]} {code[6:].lower()} ", supervision_sectors=[sector.pk],
            responsible_sections=[section.pk], grade="B", grade_date="2025-03-01",
            grade_source="省平台",
        ),
    )  # fmt: skip
    enterprise = Enterprise.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(enterprise)
    assert enterprise.uscc == code
    assert enterprise.credit_grade == "B"
    assert AuditEntry.objects.filter(event="campaigns.enterprise.created").exists()


def test_the_form_explains_a_wrong_code_and_a_duplicate(client_for, section4):
    client = client_for(section4)
    response = client.post(reverse("campaigns:enterprise_create"), _form(uscc="9144030070846113IT"))
    assert "不使用字母 I、O、S、V、Z" in response.content.decode()
    existing = EnterpriseFactory(name="原有企业")
    response = client.post(reverse("campaigns:enterprise_create"), _form(uscc=existing.uscc))
    assert "名录库中已有该统一社会信用代码的企业：原有企业。" in response.content.decode()
    response = client.post(reverse("campaigns:enterprise_create"), _form(is_key_supervision="on"))
    assert "须填写重点监管原因" in response.content.decode()
    assert Enterprise.objects.count() == 1


def test_section4_edits_an_enterprise_but_not_its_code(client_for, section4):
    enterprise = EnterpriseFactory(name="旧名称")
    client = client_for(section4)
    form = client.get(reverse("campaigns:enterprise_edit", args=[enterprise.pk])).content.decode()
    assert 'name="uscc"' not in form
    response = client.post(
        reverse("campaigns:enterprise_edit", args=[enterprise.pk]),
        _form(uscc="91440300708461136T", name="新名称", status="suspended"),
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.status) == ("新名称", "suspended")
    assert enterprise.uscc != "91440300708461136T"
    entry = AuditEntry.objects.get(event="campaigns.enterprise.changed")
    assert entry.changes["name"] == ["旧名称", "新名称"]


def test_a_grade_change_in_the_past_of_the_current_grade_is_explained(client_for, section4):
    enterprise = EnterpriseFactory(credit_grade="B", credit_grade_date=dt.date(2025, 5, 1))
    response = client_for(section4).post(
        reverse("campaigns:enterprise_grade", args=[enterprise.pk]),
        {"grade": "C", "effective_date": "2025-04-01", "source": "x"},
    )
    assert "早于现有等级 B（2025-05-01 起）的生效日期" in response.content.decode()
    assert not CreditGradeChange.objects.exists()


def test_section4_records_a_visit_from_the_enterprise_page(client_for, section4):
    enterprise = EnterpriseFactory()
    market = DepartmentFactory(name="石家庄市市场监督管理局")
    response = client_for(section4).post(
        reverse("campaigns:enterprise_visit_create", args=[enterprise.pk]),
        {
            "visited_on": "2025-04-02",
            "departments": [market.pk],
            "reference": "市场监管检〔2025〕5号",
        },
    )
    assert response.status_code == 302
    assert CheckVisit.objects.get().departments.get() == market


def test_section4_records_an_enterprise_request_for_recusal(client_for, section4):
    enterprise = EnterpriseFactory()
    inspector = InspectorFactory(name="赵敏")
    response = client_for(section4).post(
        reverse("campaigns:enterprise_recusal_create", args=[enterprise.pk]),
        {
            "inspector": inspector.pk,
            "reason": Recusal.Reason.ENTERPRISE_REQUEST,
            "description": "企业来函称该执法人员系其股东亲属。",
            "valid_from": TODAY.isoformat(),
        },
    )
    recusal = Recusal.objects.get()
    assert response["Location"] == reverse("campaigns:recusal_detail", args=[recusal.pk])
    assert (recusal.status, recusal.declared_by) == (Recusal.Status.PENDING, section4)


# --- Recusals -----------------------------------------------------------------------------------


def test_an_inspector_finds_an_enterprise_and_declares_a_recusal(client_for, inspector_user):
    InspectorFactory(user=inspector_user, name="陈晓明")
    enterprise = EnterpriseFactory(name="石家庄恒达化工有限公司")
    client = client_for(inspector_user)
    url = reverse("campaigns:recusal_declare")
    found = client.get(url, {"q": "恒达"}).content.decode()
    assert f"?enterprise={enterprise.uscc}" in found
    prefilled = client.get(url, {"enterprise": enterprise.uscc}).content.decode()
    assert f'value="{enterprise.uscc}"' in prefilled
    response = client.post(
        url,
        {
            "enterprise": enterprise.uscc.lower(),
            "reason": Recusal.Reason.FORMER_EMPLOYMENT,
            "description": "2019 年至 2021 年在该企业任安全员。",
            "valid_from": TODAY.isoformat(),
        },
    )
    recusal = Recusal.objects.get()
    assert response["Location"] == reverse("campaigns:recusal_detail", args=[recusal.pk])
    assert recusal.inspector.name == "陈晓明"
    assert recusal.enterprise == enterprise


def test_declaring_needs_a_known_enterprise(client_for, inspector_user):
    InspectorFactory(user=inspector_user)
    response = client_for(inspector_user).post(
        reverse("campaigns:recusal_declare"),
        {"enterprise": "91440300708461136T", "reason": "kinship", "description": "x",
         "valid_from": TODAY.isoformat()},
    )  # fmt: skip
    assert "检查对象名录库中没有该统一社会信用代码的企业" in response.content.decode()


def test_an_inspector_without_a_roster_record_is_told_why_they_cannot_declare(
    client_for, inspector_user
):
    page = client_for(inspector_user).get(reverse("campaigns:recusal_declare")).content.decode()
    assert "尚未关联执法人员名录库中的记录" in page


def test_section4_approves_and_rejects_from_the_recusal_page(client_for, section4, inspector_user):
    pending = RecusalFactory(status=Recusal.Status.PENDING, declared_by=inspector_user)
    client = client_for(section4)
    page = client.get(reverse("campaigns:recusal_detail", args=[pending.pk])).content.decode()
    assert "批准" in page and "驳回" in page
    client.post(reverse("campaigns:recusal_approve", args=[pending.pk]), {"note": "属实"})
    pending.refresh_from_db()
    assert pending.status == Recusal.Status.APPROVED
    other = RecusalFactory(status=Recusal.Status.PENDING)
    response = client.post(
        reverse("campaigns:recusal_reject", args=[other.pk]), {"note": ""}, follow=True
    )
    assert "驳回须说明理由" in response.content.decode()
    other.refresh_from_db()
    assert other.status == Recusal.Status.PENDING


def test_the_recusal_list_filters_by_status(client_for, section4):
    RecusalFactory(status=Recusal.Status.PENDING, inspector=InspectorFactory(name="待审人"))
    RecusalFactory(status=Recusal.Status.APPROVED, inspector=InspectorFactory(name="已批人"))
    page = client_for(section4).get(reverse("campaigns:recusal_list"), {"status": "pending"})
    html = page.content.decode()
    assert "待审人" in html and "已批人" not in html


def test_an_inspector_sees_only_their_own_recusals(client_for, inspector_user):
    mine = RecusalFactory(inspector=InspectorFactory(user=inspector_user, name="本人"))
    RecusalFactory(inspector=InspectorFactory(name="他人"))
    html = client_for(inspector_user).get(reverse("campaigns:recusal_list")).content.decode()
    assert "本人" in html and "他人" not in html
    assert reverse("campaigns:recusal_detail", args=[mine.pk]) in html


# --- Imports through the web --------------------------------------------------------------------


def test_section4_imports_a_grade_file_through_preview_and_confirm(client_for, section4):
    enterprise = EnterpriseFactory(credit_grade="A", credit_grade_date=dt.date(2025, 5, 1))
    client = client_for(section4)
    stream = xlsx_file(
        [["统一社会信用代码", "信用等级", "生效日期"], [enterprise.uscc, "C", "2025-06-01"]]
    )
    upload = SimpleUploadedFile("2025年6月.xlsx", stream.getvalue())
    response = client.post(reverse("core:import_start", args=["credit-grades"]), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("core:import_batch", args=[batch.pk])
    preview = client.get(response["Location"]).content.decode()
    assert "预检通过（尚未保存）" in preview
    enterprise.refresh_from_db()
    assert enterprise.credit_grade == "A"  # the preview saved nothing
    response = client.post(reverse("core:import_apply", args=[batch.pk]))
    assert response["Location"] == LIST
    enterprise.refresh_from_db()
    assert enterprise.credit_grade == "C"
    assert CreditGradeChange.objects.get().source == "2025年6月.xlsx"


def test_the_template_of_the_register_import_has_its_columns(client_for, section4):
    import io

    from openpyxl import load_workbook

    response = client_for(section4).get(reverse("core:import_template", args=["enterprises"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in next(sheet.iter_rows())]
    assert header[:5] == ["统一社会信用代码", "企业名称", "法定代表人", "注册地址", "所属区县"]

"""Item-list factories. Items, joint lists and requests are made through the services, as
users make them, so every test object has its version 1 and its audit entry."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from checklists import services
from checklists.models import (
    CheckItem,
    JointListAttachment,
    LegalBasisKind,
    Method,
    SupervisionSector,
)
from checklists.specs import ItemSpec, LegalBasisSpec
from tests.factories import DepartmentFactory, SectionFactory

BUREAU = "石家庄市应急管理局"
HAZCHEM = "危险化学品安全监督管理科"
START = dt.date(2024, 1, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

_codes = itertools.count(1)


class SupervisionSectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionSector
        django_get_or_create = ("name",)

    code = factory.LazyAttribute(lambda o: f"sector_{abs(hash(o.name)) % 10**8}")
    name = factory.Sequence(lambda n: f"测试领域{n}")


def bureau_section(name: str = HAZCHEM, kind: str = "supervision"):
    return SectionFactory(department=DepartmentFactory(name=BUREAU), name=name, kind=kind)


def item_spec(**overrides) -> ItemSpec:
    values = {
        "code": f"T-{next(_codes):04d}",
        "name": "危险化学品储存安全",
        "category": CheckItem.Category.KEY,
        "methods": [Method.ONSITE, Method.DOCUMENT],
        "responsible_section": None,
        "effective_from": START,
        "sectors": [],
        "sub_items": ["是否储存在专用仓库内", "禁忌物料是否隔离"],
        "legal_bases": [
            LegalBasisSpec(
                LegalBasisKind.ADMIN_REGULATION,
                "《危险化学品安全管理条例》",
                "第二十四条",
                "危险化学品应当储存在专用仓库、专用场地或者专用储存室内。",
            )
        ],
    }
    values.update(overrides)
    if values["responsible_section"] is None:
        values["responsible_section"] = bureau_section()
    return ItemSpec(**values)


def make_item(*, by=None, retired_from=None, reason="新增抽查事项", **overrides) -> CheckItem:
    """An item created through the service; `retired_from` (any date) is set afterwards
    directly, because the retire service refuses past dates and tests need them."""
    item = services.check_item_create(by=by, spec=item_spec(**overrides), reason=reason)
    if retired_from is not None:
        CheckItem.objects.filter(pk=item.pk).update(
            retired_from=retired_from, retire_reason="测试停用"
        )
        item.refresh_from_db()
    return item


def joint_spec(**overrides) -> services.JointListSpec:
    bureau = DepartmentFactory(name=BUREAU)
    market = DepartmentFactory(name="石家庄市市场监督管理局", short_name="市市场监管局")
    if "entries" not in overrides:
        overrides["entries"] = [
            (bureau, make_item(name="危险化学品经营许可情况")),
            (market, make_item(name="特种设备使用登记和定期检验")),
        ]
    values = {
        "name": "危险化学品经营企业联合抽查清单",
        "industry": "危险化学品经营企业",
        "lead_department": bureau,
        "participating_departments": [market],
        "effective_from": START,
        "sectors": [],
        "guidelines": "牵头部门组织，一次上门。",
    }
    values.update(overrides)
    return services.JointListSpec(**values)


def make_joint_list(*, by=None, **overrides):
    return services.joint_list_create(by=by, spec=joint_spec(**overrides))


def make_attachment(joint_list, *, by, name="指引.pdf", content=PDF) -> JointListAttachment:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return services.joint_list_attachment_add(
        by=by,
        joint_list=joint_list,
        title="抽查工作指引",
        upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
    )


def make_request(chief, **overrides):
    justification = overrides.pop("justification", "省平台新增监管事项，本科室清单尚未列入。")
    spec = item_spec(code=overrides.pop("code", ""), **overrides)
    return services.item_request_submit(by=chief, spec=spec, justification=justification)


def item_post_data(*, section=None, reason="新增抽查事项", **overrides) -> dict:
    """The POST of the item form with one sub-item and one legal-basis row."""
    data = {
        "code": "HB-T-001",
        "name": "有限空间作业安全",
        "category": "key",
        "methods": ["onsite", "document"],
        "responsible_section": section.pk if section else "",
        "effective_from": "2024-01-01",
        "reason": reason,
        "frequency_note": "",
        "sub-TOTAL_FORMS": "1",
        "sub-INITIAL_FORMS": "0",
        "sub-0-content": "是否落实先通风、再检测、后作业",
        "basis-TOTAL_FORMS": "1",
        "basis-INITIAL_FORMS": "0",
        "basis-0-kind": "department_rule",
        "basis-0-title": "《工贸企业有限空间作业安全规定》",
        "basis-0-article": "第十五条",
        "basis-0-excerpt": "",
    }
    data.update(overrides)
    return data

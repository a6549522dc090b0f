"""Items: created, changed and retired through services, each a version with its reason and an
audit entry with old → new values. Never deleted."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from checklists import selectors, services
from checklists.models import CheckItem, CheckItemVersion, LegalBasisKind, SupervisionSector
from checklists.specs import ItemSpec, LegalBasisSpec
from shijiazhuang_sr.audit.models import AuditEntry
from tests.checklists.factories import (
    SupervisionSectorFactory,
    item_spec,
    make_item,
)
from tests.inspectors.factories import TagFactory


def test_creating_an_item_writes_version_1_and_an_audit_entry(section4):
    item = services.check_item_create(
        by=section4, spec=item_spec(code="HB-1", name="特殊作业安全管理"), reason="省平台新增"
    )
    assert item.version == 1
    assert [sub.content for sub in item.sub_items.all()] == [
        "是否储存在专用仓库内",
        "禁忌物料是否隔离",
    ]
    version = item.versions.get()
    assert version.event == CheckItemVersion.Event.CREATED
    assert version.reason == "省平台新增"
    assert version.changed_by == section4
    assert version.snapshot["legal_bases"][0]["title"] == "《危险化学品安全管理条例》"
    entry = AuditEntry.objects.get(event="checklists.item.created")
    assert entry.actor == section4
    assert entry.changes["name"] == [None, "特殊作业安全管理"]
    assert entry.data["reason"] == "省平台新增"


def test_a_code_can_be_used_only_once(section4):
    first = make_item(code="HB-1", name="甲事项")
    with pytest.raises(ValidationError) as error:
        make_item(code="HB-1", name="乙事项")
    assert error.value.message_dict["code"] == [f"事项编码「HB-1」已被事项「{first.name}」使用。"]


def test_an_item_needs_a_sub_item_a_legal_basis_and_a_method(db):
    with pytest.raises(ValidationError) as error:
        make_item(sub_items=[" "], legal_bases=[])
    assert "请至少填写一条检查内容及要求。" in error.value.message_dict["sub_items"]
    assert "legal_bases" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_item(methods=[])
    assert error.value.message_dict["methods"] == ["请至少选择一种检查方式。"]
    assert not CheckItem.objects.exists()


def test_the_cap_and_ratio_must_make_sense(db):
    with pytest.raises(ValidationError) as error:
        make_item(annual_cap=0, ratio_percent=Decimal("120"))
    assert "annual_cap" in error.value.message_dict
    assert error.value.message_dict["ratio_percent"] == ["抽查比例应大于 0 且不超过 100。"]


def test_required_expertise_must_be_an_expertise_tag(db):
    field_tag = TagFactory(kind="field", name="危险化学品")
    with pytest.raises(ValidationError) as error:
        make_item(required_expertise=field_tag)
    assert error.value.message_dict["required_expertise"] == ["请选择“执法专长”类标签。"]
    item = make_item(required_expertise=TagFactory(kind="expertise", name="化工工艺"))
    assert item.required_expertise.name == "化工工艺"


def test_changing_an_item_makes_version_2_with_the_reason_and_old_and_new_values(section4):
    item = make_item(code="HB-2", by=section4)
    spec = ItemSpec.from_item(item)
    spec.legal_bases = [
        LegalBasisSpec(LegalBasisKind.LAW, "《中华人民共和国安全生产法》", "第四十条", "")
    ]
    spec.annual_cap = 2
    version = services.check_item_update(by=section4, item=item, spec=spec, reason="法律修订")
    item.refresh_from_db()
    assert item.version == version.number == 2
    assert version.reason == "法律修订"
    assert version.changes["annual_cap"] == [None, 2]
    old, new = version.changes["legal_bases"]
    assert old[0]["title"] == "《危险化学品安全管理条例》"
    assert new[0] == {
        "kind": "法律",
        "title": "《中华人民共和国安全生产法》",
        "article": "第四十条",
        "excerpt": "",
    }
    assert set(version.changes) == {"annual_cap", "legal_bases"}
    entry = AuditEntry.objects.get(event="checklists.item.changed")
    assert entry.changes == version.changes
    assert entry.data == {"reason": "法律修订", "version": 2}
    assert [basis.article for basis in item.legal_bases.all()] == ["第四十条"]


def test_a_change_needs_a_reason(section4):
    item = make_item()
    spec = ItemSpec.from_item(item)
    spec.name = "新名称"
    with pytest.raises(ValidationError) as error:
        services.check_item_update(by=section4, item=item, spec=spec, reason="  ")
    assert "reason" in error.value.message_dict
    item.refresh_from_db()
    assert item.name != "新名称" and item.version == 1


def test_saving_without_changes_makes_no_version(section4):
    item = make_item()
    spec = ItemSpec.from_item(item)
    assert services.check_item_update(by=section4, item=item, spec=spec, reason="无") is None
    assert item.versions.count() == 1
    assert not AuditEntry.objects.filter(event="checklists.item.changed").exists()


def test_line_breaks_inside_a_sub_item_are_kept_as_one_line(section4):
    item = make_item(sub_items=["是否分类\r\n分区储存", "禁忌物料  是否隔离"])
    assert [sub.content for sub in item.sub_items.all()] == [
        "是否分类 分区储存",
        "禁忌物料 是否隔离",
    ]


def test_retiring_an_item_keeps_it_and_records_why(section4):
    item = make_item(by=section4)
    today = selectors.today()
    version = services.check_item_retire(
        by=section4, item=item, retired_from=today, reason="《XX办法》废止"
    )
    item.refresh_from_db()
    assert item.retired_from == today
    assert item.status == CheckItem.Status.RETIRED
    assert version.event == CheckItemVersion.Event.RETIRED and version.number == 2
    assert version.changes["retired_from"] == [None, today.isoformat()]
    entry = AuditEntry.objects.get(event="checklists.item.retired")
    assert entry.changes["retire_reason"] == ["", "《XX办法》废止"]
    assert CheckItem.objects.filter(pk=item.pk).exists()


def test_an_item_cannot_be_retired_in_the_past_or_twice(section4):
    item = make_item()
    today = selectors.today()
    with pytest.raises(ValidationError) as error:
        services.check_item_retire(
            by=section4, item=item, retired_from=today - dt.timedelta(days=1), reason="x"
        )
    assert "不能早于今天" in error.value.message_dict["retired_from"][0]
    services.check_item_retire(by=section4, item=item, retired_from=today, reason="废止")
    with pytest.raises(ValidationError) as error:
        services.check_item_retire(by=section4, item=item, retired_from=today, reason="再次")
    assert "已于" in error.value.messages[0]


def test_a_scheduled_retirement_can_be_moved(section4):
    item = make_item()
    today = selectors.today()
    services.check_item_retire(
        by=section4, item=item, retired_from=today + dt.timedelta(days=30), reason="废止"
    )
    services.check_item_retire(
        by=section4, item=item, retired_from=today + dt.timedelta(days=10), reason="提前废止"
    )
    item.refresh_from_db()
    assert item.retired_from == today + dt.timedelta(days=10)
    assert item.versions.count() == 3


def test_a_retired_item_cannot_be_changed(section4):
    item = make_item(retired_from=selectors.today())
    spec = ItemSpec.from_item(item)
    spec.name = "改名"
    with pytest.raises(ValidationError):
        services.check_item_update(by=section4, item=item, spec=spec, reason="改名")


def test_the_database_refuses_a_retirement_before_the_effective_date(db):
    item = make_item(effective_from=dt.date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckItem.objects.filter(pk=item.pk).update(retired_from=dt.date(2024, 1, 1))


def test_sectors_are_created_and_renamed_with_audit_entries(section4):
    sector = services.supervision_sector_create(by=section4, code="dust", name="粉尘涉爆")
    assert AuditEntry.objects.get(event="checklists.sector.created").changes["name"] == [
        None,
        "粉尘涉爆",
    ]
    services.supervision_sector_update(
        by=section4, sector=sector, name="粉尘爆炸危险", is_active=False
    )
    entry = AuditEntry.objects.get(event="checklists.sector.changed")
    assert entry.changes == {"name": ["粉尘涉爆", "粉尘爆炸危险"], "is_active": [True, False]}


def test_a_sector_name_or_code_cannot_be_taken_twice(section4):
    SupervisionSectorFactory(code="dust", name="粉尘涉爆")
    with pytest.raises(ValidationError) as error:
        services.supervision_sector_create(by=section4, code="dust", name="粉尘涉爆")
    assert set(error.value.message_dict) == {"code", "name"}
    assert SupervisionSector.objects.count() == 1

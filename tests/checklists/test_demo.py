"""The demo data: a realistic item list, two joint lists, the sectors; idempotent."""

import io

from checklists import selectors
from checklists.demo import seed as seed_items
from checklists.models import CheckItem, CheckItemRequest, JointItemList, SupervisionSector
from inspectors.demo import seed as seed_roster
from shijiazhuang_sr.core import demo as core_demo


def _seed():
    out = io.StringIO()
    options = {"enterprises": 0, "inspectors": 20}
    core_demo.seed(stdout=out, options=options)
    seed_roster(stdout=out, options=options)
    seed_items(stdout=out, options=options)


def test_the_demo_has_a_realistic_item_list_and_two_joint_lists(db):
    _seed()
    items = CheckItem.objects.all()
    assert 30 <= items.count() <= 60
    assert items.filter(category="key").exists() and items.filter(category="general").exists()
    names = " ".join(items.values_list("name", flat=True))
    for field in ("危险化学品", "粉尘", "有限空间", "尾矿库", "烟花爆竹", "职业", "应急预案"):
        assert field in names
    assert all(item.legal_bases.exists() and item.sub_items.exists() for item in items)
    joint_departments = {
        department.name
        for joint_list in JointItemList.objects.all()
        for department in joint_list.participating_departments.all()
    }
    assert joint_departments == {"石家庄市市场监督管理局", "石家庄市消防救援支队"}
    assert SupervisionSector.objects.filter(name="危险化学品经营").exists()
    # One item shows a revision for a change of law, one a pending request.
    revised = CheckItem.objects.get(code="HB-YJ-JC-001")
    assert revised.versions.filter(reason__startswith="法律修订").exists()
    assert CheckItemRequest.objects.filter(status="pending").exists()
    assert selectors.public_items().count() >= 30


def test_the_demo_is_idempotent(db):
    _seed()
    counts = (
        CheckItem.objects.count(),
        JointItemList.objects.count(),
        CheckItemRequest.objects.count(),
    )
    _seed()
    assert counts == (
        CheckItem.objects.count(),
        JointItemList.objects.count(),
        CheckItemRequest.objects.count(),
    )

"""The register on the home page and in the navigation."""

import pytest
from django.urls import reverse

from campaigns.models import Recusal
from tests.campaigns.factories import RecusalFactory
from tests.inspectors.factories import InspectorFactory

pytestmark = pytest.mark.django_db


def test_section4_sees_the_recusals_awaiting_a_decision(client_for, section4):
    RecusalFactory(status=Recusal.Status.PENDING)
    RecusalFactory(status=Recusal.Status.APPROVED)
    html = client_for(section4).get("/").content.decode()
    assert "审核待批的回避申报" in html
    assert f"{reverse('campaigns:recusal_list')}?status=pending" in html
    assert 'text-bg-danger">1</span>' in html
    assert "导入本月企业信用风险分类结果（尚未导入过）" in html


def test_an_inspector_sees_their_declared_recusals(client_for, inspector_user):
    inspector = InspectorFactory(user=inspector_user)
    RecusalFactory(inspector=inspector, declared_by=inspector_user, status=Recusal.Status.PENDING)
    RecusalFactory(status=Recusal.Status.PENDING)  # someone else's
    html = client_for(inspector_user).get("/").content.decode()
    assert "我申报的回避（待审核）" in html
    assert 'text-bg-secondary">1</span>' in html
    assert reverse("campaigns:recusal_declare") in html


@pytest.mark.parametrize(
    ("persona", "register", "recusals"),
    [
        ("section4", True, True),
        ("chief", True, False),
        ("inspector", True, True),
        ("leader", True, True),
        ("sysadmin", False, False),
        ("auditor", False, False),
    ],
)
def test_the_navigation_shows_the_register_to_staff_only(
    client_for, persona, register, recusals, request
):
    user = request.getfixturevalue("inspector_user" if persona == "inspector" else persona)
    html = client_for(user).get("/").content.decode()
    assert ('data-nav="campaigns:enterprise_list"' in html) is register
    assert ('data-nav="campaigns:recusal_list"' in html) is recusals

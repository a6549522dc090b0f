"""The planner's live preview, against a register made by hand: the population per stratum,
the quotas, those left out at the annual cap and out of strata, the pool per department."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Enterprise
from tests.campaigns.factories import CheckVisitFactory, EnterpriseFactory
from tests.campaigns.plan_forms import campaign_post
from tests.campaigns.planning import World
from tests.inspectors.factories import InspectorFactory, TagFactory

URL = reverse("campaigns:campaign_preview")


@pytest.fixture
def world(chief):
    world = World(chief)  # 10 enterprises in each of A, B, C, D; 6 + 3 inspectors
    graded = dt.date(2024, 1, 1)
    EnterpriseFactory()  # no grade
    EnterpriseFactory()
    EnterpriseFactory(
        credit_grade="A",
        credit_grade_date=graded,
        is_key_supervision=True,
        key_supervision_reason="构成危险化学品重大危险源",
    )
    EnterpriseFactory(
        credit_grade="A", credit_grade_date=graded, status=Enterprise.Status.CANCELLED
    )
    for enterprise in world.enterprises["B"][:2]:  # checked once this year already
        CheckVisitFactory(enterprise=enterprise, visited_on=timezone.localdate())
    # An officer of the market regulator whose card expires before the checks end: not pooled.
    InspectorFactory(
        department=world.market, section=world.market_section, card_valid_to=world.starts_on
    )
    return world


STRATA = [("A", "10", ""), ("B", "20", ""), ("C", "", "3"), ("key", "100", "")]


def test_the_preview_counts_each_stratum_and_its_quota(
    world, chief, client_for, django_assert_max_num_queries
):
    client = client_for(chief)
    data = campaign_post(world, strata=STRATA, annual_cap="1")
    with django_assert_max_num_queries(25):
        response = client.post(URL, data)
    assert response.status_code == 200
    preview = response.context["preview"]
    population = preview.population
    rows = [(s.label, s.size, s.quota) for s in population.strata]
    assert rows == [
        ("A级（低风险）", 10, 1),  # ceil(10 × 10%) = 1; the key-supervised A is in its own stratum
        ("B级（一般风险）", 8, 2),  # 2 of 10 at the annual cap; ceil(8 × 20%) = 2
        ("C级（较高风险）", 10, 3),  # fixed 3
        ("重点监管企业", 1, 1),
    ]
    assert population.in_scope == 43  # 40 graded + 2 ungraded + 1 key; the cancelled one not
    assert population.at_cap == 2
    assert population.out_of_strata == 12  # the 10 D and the 2 ungraded: no stratum for them
    assert (population.size, population.total_quota) == (29, 7)
    assert preview.pool_by_department == [
        ("石家庄市应急管理局", 6),
        ("石家庄市市场监督管理局", 3),
    ]
    # cap = ceil(7 selected × 3 slots / 9 inspectors) = 3
    assert (preview.cap, preview.cap_is_planned) == (3, False)
    assert preview.problems == []
    page = response.content.decode()
    assert 'data-testid="preview-ok"' in page
    assert '<th class="text-end" data-testid="preview-total">7</th>' in page
    assert '<span data-testid="preview-at-cap">2</span>' in page
    assert '<span data-testid="preview-out-of-strata">12</span>' in page


def test_without_stratification_every_enterprise_is_in_the_one_stratum(world, chief, client_for):
    data = campaign_post(world, strata=[("key", "", "1"), ("all", "5", "")], stratification="none")
    preview = client_for(chief).post(URL, data).context["preview"]
    assert [(s.label, s.size, s.quota) for s in preview.population.strata] == [
        ("重点监管企业", 1, 1),
        ("全部企业", 42, 3),  # ceil(42 × 5%) = 3
    ]
    assert preview.population.out_of_strata == 0


def test_the_preview_names_the_problems_before_anything_is_saved(world, chief, client_for):
    rare = TagFactory(kind="expertise", name="海洋工程")
    data = campaign_post(
        world,
        scope_grades=["-"],
        strata=[("A", "10", "")],
        slots=[(world.bureau.pk, rare.pk), (world.market.pk, "")],
        participating_departments=[],
    )
    response = client_for(chief).post(URL, data)
    problems = response.context["preview"].problems
    assert any("至少选择一个牵头部门以外的参与部门" in p for p in problems)
    assert any("检查对象为空" in p for p in problems)
    assert any("具有“海洋工程”标签的可抽派的执法人员" in p for p in problems)
    assert 'data-testid="preview-problems"' in response.content.decode()
    assert not Campaign.objects.exists()


def test_the_preview_answers_while_the_form_is_still_incomplete(world, chief, client_for):
    data = {
        "stratum-TOTAL_FORMS": "1",
        "stratum-INITIAL_FORMS": "0",
        "stratum-0-stratum": "A",
        "stratum-0-ratio": "abc",
        "slot-TOTAL_FORMS": "0",
        "slot-INITIAL_FORMS": "0",
        "starts_on": "not a date",
    }
    response = client_for(chief).post(URL, data)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.population.strata == []
    assert preview.population.in_scope == 43
    assert any("请至少选择一项抽查事项" in p for p in preview.problems)


def test_the_preview_is_post_only_and_for_planners(world, chief, leader, client_for):
    assert client_for(chief).get(URL).status_code == 405
    assert client_for(leader).post(URL, campaign_post(world)).status_code == 403

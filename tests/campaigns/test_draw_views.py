"""The draw through the pages: start it (as the Celery task), refuse a second one, read it,
verify it in the server, replace a drawn enterprise; the nonce stays secret until the draw."""

import pytest
from django.urls import reverse

from campaigns.models import Campaign, Draw, Inspection, Replacement
from campaigns.selectors.campaigns import current_draw, current_manifest
from campaigns.services.draws import draw_perform
from campaigns.services.plans import campaign_data
from campaigns.views.draws import SESSION_TASKS
from tests.campaigns.factories import RecusalFactory
from tests.campaigns.planning import World

LOTTERY = "05 12 18 23 31 44 52 60 61 66 70 71 72 75 77 78 79 80"


@pytest.fixture
def world(chief):
    return World(chief)


@pytest.fixture
def campaign(world, leader):
    return world.published(leader)


def _page(response) -> str:
    return response.content.decode()


def _draw(client, campaign, capture, **data):
    with capture(execute=True):
        return client.post(reverse("campaigns:campaign_draw", args=[campaign.pk]), data)


# Outside a test transaction, as in production: the task is sent when the view's (autocommit)
# write commits, and on the embedded default it runs there and then, before the page answers.
EAGER = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@EAGER
def test_the_chief_draws_with_the_named_external_value(campaign, chief, client_for):
    client = client_for(chief)
    detail = _page(client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])))
    assert "中国福利彩票快乐8第2025128期开奖号码" in detail
    assert 'name="source_0"' in detail
    response = client.post(
        reverse("campaigns:campaign_draw", args=[campaign.pk]), {"source_0": LOTTERY}
    )
    draw = Draw.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:draw_detail", args=[draw.pk])
    manifest = current_manifest(campaign)
    assert draw.sources == [manifest.nonce, LOTTERY]
    assert draw.drawn_by == chief
    assert Inspection.objects.filter(draw=draw).count() == draw.selected_count == 11
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAWN
    page = _page(client.get(response["Location"]))
    assert manifest.nonce in page  # S1 is public from the draw on
    assert LOTTERY in page and draw.result_sha256 in page
    for inspection in draw.inspections.all():
        assert inspection.enterprise.name in page
        for member in inspection.team.select_related("inspector"):
            assert member.inspector.cert_no in page


def test_a_second_draw_is_refused_and_creates_nothing(
    campaign, chief, client_for, django_capture_on_commit_callbacks
):
    client = client_for(chief)
    _draw(client, campaign, django_capture_on_commit_callbacks, source_0=LOTTERY)
    first = Draw.objects.get()
    count = Inspection.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("campaigns:campaign_draw", args=[campaign.pk]),
            {"source_0": "另一组号码"},
            follow=True,
        )
    assert callbacks == []  # no task was sent
    assert "该方案已摇号，不能重复摇号" in _page(response)
    assert response.redirect_chain[-1][0] == reverse("campaigns:draw_detail", args=[first.pk])
    assert Draw.objects.count() == 1 and Inspection.objects.count() == count


def test_the_named_external_value_is_required(
    campaign, chief, client_for, django_capture_on_commit_callbacks
):
    response = _draw(client_for(chief), campaign, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "请录入“中国福利彩票快乐8第2025128期开奖号码”的公布数值" in _page(response)
    assert not Draw.objects.exists()


@EAGER
def test_without_a_named_source_the_page_says_what_that_means(world, chief, leader, client_for):
    campaign = world.published(leader, external_randomness="")
    client = client_for(chief)
    notice = "仅使用平台随机数：结果可复核、防篡改，但对本局而言并非不可预知"
    assert notice in _page(client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])))
    response = client.post(reverse("campaigns:campaign_draw", args=[campaign.pk]))
    draw = Draw.objects.get()
    assert len(draw.sources) == 1
    assert notice in _page(client.get(response["Location"]))


def test_a_running_draw_is_shown_and_polled_until_it_exists(
    campaign, chief, client_for, django_capture_on_commit_callbacks
):
    client = client_for(chief)
    # The task is queued but not run yet (a real worker picks it up later).
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("campaigns:campaign_draw", args=[campaign.pk]), {"source_0": LOTTERY}
        )
    assert len(callbacks) == 1
    assert response["Location"] == reverse("campaigns:campaign_detail", args=[campaign.pk])
    assert client.session[SESSION_TASKS]
    page = _page(client.get(response["Location"]))
    assert "摇号进行中" in page and 'hx-trigger="every 2s"' in page
    status_url = reverse("campaigns:campaign_draw_status", args=[campaign.pk])
    assert "摇号进行中" in _page(client.get(status_url, HTTP_HX_REQUEST="true"))
    callbacks[0]()  # the worker runs the task
    done = client.get(status_url, HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == reverse("campaigns:draw_detail", args=[Draw.objects.get().pk])


def test_a_failed_draw_is_reported_and_cannot_be_retried(
    chief, leader, client_for, django_capture_on_commit_callbacks
):
    world = World(chief, market_inspectors=1)
    # The only market officer must recuse from every enterprise: slot 3 cannot be filled.
    for enterprises in world.enterprises.values():
        for enterprise in enterprises:
            RecusalFactory(
                inspector=world.market_inspectors[0], enterprise=enterprise, declared_by=chief
            )
    campaign = world.published(leader)
    client = client_for(chief)
    response = _draw(client, campaign, django_capture_on_commit_callbacks, source_0=LOTTERY)
    page = _page(client.get(response["Location"]))
    assert "摇号失败，未保存任何结果" in page
    assert 'name="source_0"' not in page  # no second try with other values
    assert not Draw.objects.exists()


def test_the_nonce_appears_on_no_page_before_the_draw(
    world, campaign, chief, leader, section4, auditor, client, client_for
):
    manifest = current_manifest(campaign)
    nonce = manifest.nonce
    staff_pages = [
        reverse("campaigns:campaign_detail", args=[campaign.pk]),
        reverse("campaigns:campaign_list"),
        reverse("campaigns:plan_detail", args=[campaign.plan_id]),
        reverse("campaigns:plan_list"),
        reverse("campaigns:adjustment_create", args=[campaign.pk]),
        reverse("campaigns:campaign_draw_status", args=[campaign.pk]),
        reverse("audit:entry_list"),
    ]
    for user in (chief, leader, section4, auditor):
        user_client = client_for(user)
        for url in staff_pages:
            response = user_client.get(url)
            assert nonce not in _page(response), (user.username, url)
    public_pages = [
        reverse("publicity:campaign_list"),
        reverse("publicity:campaign_detail", args=[campaign.pk]),
        reverse("publicity:draw_guide"),
    ]
    for url in public_pages:
        page = _page(client.get(url))
        assert manifest.nonce_sha256 in page or url != public_pages[1]
        assert nonce not in page, url


def test_the_draw_page_verifies_in_the_server(
    campaign, chief, client_for, django_assert_max_num_queries
):
    draw = draw_perform(
        manifest_id=current_manifest(campaign).pk, external_sources=[LOTTERY], by=chief
    )
    client = client_for(chief)
    url = reverse("campaigns:draw_detail", args=[draw.pk])
    with django_assert_max_num_queries(22):  # the same for 11 enterprises or 50 a page
        assert client.get(url).status_code == 200
    verify = reverse("campaigns:draw_verify", args=[draw.pk])
    assert client.get(verify).status_code == 405
    response = client.post(verify)
    checks = [(c["name"], c["status"]) for c in response.context["checks"]]
    assert checks == [
        ("manifest", "passed"),
        ("nonce", "passed"),
        ("selection", "passed"),
        ("teams", "passed"),
        ("result", "passed"),
    ]
    page = _page(response)
    assert page.count('data-check-status="passed"') == 5


def test_a_replacement_needs_a_reason_and_takes_the_next_alternate(campaign, chief, client_for):
    draw = draw_perform(
        manifest_id=current_manifest(campaign).pk, external_sources=[LOTTERY], by=chief
    )
    inspection = draw.inspections.order_by("position").first()
    client = client_for(chief)
    url = reverse("campaigns:inspection_replace", args=[inspection.pk])
    refused = client.post(url, {"reason": ""}, follow=True)
    assert "请填写替补原因" in _page(refused)
    assert not Replacement.objects.exists()
    response = client.post(url, {"reason": "企业已于上月注销"}, follow=True)
    replacement = Replacement.objects.get()
    alternates = draw.result_data()["alternates"][inspection.stratum]
    assert replacement.replacement.enterprise.uscc == alternates[0]
    page = _page(response)
    assert "企业已于上月注销" in page
    assert f"已由本层备选企业“{replacement.replacement.enterprise.name}”替补" in page
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.REPLACED


def test_another_sections_chief_cannot_see_or_draw(
    campaign, other_chief, client_for, django_capture_on_commit_callbacks
):
    client = client_for(other_chief)
    assert client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])).status_code == 404
    response = _draw(client, campaign, django_capture_on_commit_callbacks, source_0=LOTTERY)
    assert response.status_code == 404
    assert current_draw(campaign) is None


def test_the_leader_approves_but_does_not_draw(
    campaign, leader, client_for, django_capture_on_commit_callbacks
):
    client = client_for(leader)
    page = _page(client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])))
    assert 'data-testid="draw"' not in page
    response = _draw(client, campaign, django_capture_on_commit_callbacks, source_0=LOTTERY)
    assert response.status_code == 403
    assert not Draw.objects.exists()


def test_an_adjustment_after_the_draw_keeps_the_old_draw_visible(
    campaign, chief, leader, client_for
):
    from campaigns.services import plans

    draw = draw_perform(
        manifest_id=current_manifest(campaign).pk, external_sources=[LOTTERY], by=chief
    )
    data = campaign_data(campaign)
    data.alternates = 4
    adjustment = plans.adjustment_request(
        by=chief, campaign=campaign, reason="扩大备选范围", data=data
    )
    plans.adjustment_approve(by=leader, adjustment=adjustment)
    page = _page(client_for(chief).get(reverse("campaigns:draw_detail", args=[draw.pk])))
    assert "该摇号方案已作废" in page and "扩大备选范围" in page
    assert 'name="reason"' not in page  # no replacement on a superseded draw

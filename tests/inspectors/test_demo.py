"""Demo roster: realistic, deterministic, idempotent."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from inspectors import selectors
from inspectors.demo import officers
from inspectors.models import Inspector, InspectorStatusPeriod, Tag

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_adds_nothing_the_second_time():
    call_command("seed_demo", "--enterprises", "0", "--inspectors", "120", stdout=io.StringIO())
    counts = (
        Inspector.objects.count(),
        InspectorStatusPeriod.objects.count(),
        Inspector.tags.through.objects.count(),
        Tag.objects.count(),
    )
    out = io.StringIO()
    call_command("seed_demo", "--enterprises", "0", "--inspectors", "120", stdout=out)
    assert "本次新增 0 名" in out.getvalue()
    assert counts[0] == 120
    assert (
        Inspector.objects.count(),
        InspectorStatusPeriod.objects.count(),
        Inspector.tags.through.objects.count(),
        Tag.objects.count(),
    ) == counts


def test_the_demo_roster_is_realistic():
    call_command("seed_demo", "--enterprises", "0", "--inspectors", "320", stdout=io.StringIO())
    today = timezone.localdate()
    by_department = Counter(Inspector.objects.values_list("department__name", flat=True))
    assert by_department["石家庄市应急管理局"] > 200
    assert by_department["石家庄市市场监督管理局"] >= 20
    assert by_department["石家庄市消防救援支队"] >= 20
    flags = Counter(selectors.card_flag(i, today) for i in Inspector.objects.all())
    assert flags["expiring"] >= 3 and flags["expired"] >= 3
    statuses = Counter(Inspector.objects.values_list("status", flat=True))
    assert statuses["on_leave"] and statuses["training"] and statuses["seconded"]
    assert statuses["retired"] == 2 and statuses["transferred"] == 1
    linked = Inspector.objects.get(user__username="inspector")
    assert linked.name == "陈晓明" and linked.section.short_name == "危化科"
    eligible = selectors.eligible_inspectors(on=today).count()
    assert 280 < eligible < 320
    assert not Inspector.objects.filter(tags__isnull=True).exists()


def test_a_larger_count_keeps_the_earlier_officers():
    small = officers(50, timezone.localdate())
    large = officers(80, timezone.localdate())
    assert [o.cert_no for o in large[:50]] == [o.cert_no for o in small]
    assert len({o.cert_no for o in large}) == 80

"""Demo register: valid, realistic, deterministic and idempotent."""

import datetime as dt
import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns import demo
from campaigns.models import Area, CheckVisit, CreditGradeChange, Enterprise, Recusal
from campaigns.selectors.register import grade_on, grades_on
from campaigns.uscc import is_valid_uscc
from shijiazhuang_sr.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _seed(count: int) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--enterprises", str(count), "--inspectors", "40", stdout=out)
    return out.getvalue()


def _state():
    return (
        Enterprise.objects.count(),
        CreditGradeChange.objects.count(),
        Enterprise.responsible_sections.through.objects.count(),
        CheckVisit.objects.count(),
        Recusal.objects.count(),
    )


def test_seeding_twice_adds_nothing_and_a_larger_count_adds_the_rest():
    assert "本次新增 1200 家" in _seed(1200)
    first = _state()
    usccs = set(Enterprise.objects.values_list("uscc", flat=True))
    assert "本次新增 0 家" in _seed(1200)
    assert _state() == first
    assert "本次新增 300 家" in _seed(1500)
    assert Enterprise.objects.count() == 1500
    assert usccs < set(Enterprise.objects.values_list("uscc", flat=True))


def test_the_demo_register_is_realistic():
    _seed(2000)
    enterprises = list(Enterprise.objects.select_related("area"))
    assert all(is_valid_uscc(e.uscc) for e in enterprises)
    assert all(e.uscc[2:8] == e.area.code for e in enterprises)
    assert len({e.area_id for e in enterprises}) == Area.objects.count()
    grades = Counter(e.credit_grade for e in enterprises)
    assert grades["A"] > grades["B"] > grades["C"] > grades["D"] > 0
    key = sum(e.is_key_supervision for e in enterprises)
    assert 40 <= key <= 180  # about 5 %
    assert all(e.key_supervision_reason for e in enterprises if e.is_key_supervision)
    assert any(e.name.startswith("辛集市") for e in enterprises)
    assert all(e.name.endswith(("公司", "厂")) for e in enterprises)
    assert Recusal.objects.filter(status=Recusal.Status.APPROVED).exists()
    assert Recusal.objects.filter(
        status=Recusal.Status.PENDING, declared_by__username="inspector"
    ).exists()
    assert CheckVisit.objects.filter(departments__isnull=False).exists()


def test_every_demo_grade_is_in_its_history():
    _seed(800)
    today = timezone.localdate()
    current = dict(Enterprise.objects.values_list("pk", "credit_grade"))
    assert grades_on(today) == current
    sample = Enterprise.objects.order_by("pk")[:50]
    assert {e.pk: grade_on(e, today) for e in sample} == {e.pk: current[e.pk] for e in sample}
    assert CreditGradeChange.objects.filter(old_grade="").count() == Enterprise.objects.count()


def test_the_demo_is_deterministic():
    areas = list(Area.objects.order_by("sort_order"))

    def specs():
        rng = random.Random(demo.SEED)
        today = dt.date(2025, 1, 1)
        return [demo.make_spec(i, rng, areas, [1] * len(areas), today) for i in range(50)]

    first, second = specs(), specs()
    assert [(s.uscc, s.name, s.grade, s.grade_date) for s in first] == [
        (s.uscc, s.name, s.grade, s.grade_date) for s in second
    ]
    assert len({s.uscc for s in first}) == 50


def test_the_demo_writes_no_audit_entry_per_row():
    from django.contrib.contenttypes.models import ContentType

    _seed(300)
    # (The demo campaigns that follow are made through the services, with their entries.)
    register = ContentType.objects.get_for_models(
        Enterprise, CreditGradeChange, CheckVisit, Recusal
    ).values()
    assert not AuditEntry.objects.filter(content_type__in=register).exists()

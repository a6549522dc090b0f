import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from campaigns import drawspec
from campaigns.models import Campaign, Draw, Inspection, Manifest
from campaigns.selectors.campaigns import current_draw, current_manifest
from campaigns.services import plans
from campaigns.services.draws import (
    DrawRefused,
    draw_document,
    draw_document_text,
    draw_perform,
    draw_verify,
    replacement_create,
)
from campaigns.tasks import draw_manifest
from shijiazhuang_sr.audit.models import AuditEntry
from tests.campaigns.factories import RecusalFactory
from tests.campaigns.planning import World

LOTTERY = "05 12 18 23 31 44 52 60 61 66 70 71 72 75 77 78 79 80 ; 第2025128期"
DRAWSPEC = Path(__file__).resolve().parents[2] / "campaigns" / "drawspec.py"


@pytest.fixture
def world(chief):
    return World(chief)


@pytest.fixture
def campaign(world, leader):
    return world.published(leader)


def test_the_draw_creates_one_inspection_per_selected_enterprise_with_its_team(campaign, chief):
    manifest = current_manifest(campaign)
    draw = draw_perform(manifest_id=manifest.pk, external_sources=[LOTTERY], by=chief)
    assert draw.sources == [manifest.nonce, LOTTERY]
    result = draw.result_data()
    assert draw.selected_count == len(result["selected"]) == 1 + 2 + 3 + 5
    inspections = list(draw.inspections.order_by("position"))
    assert [i.enterprise.uscc for i in inspections] == [s["uscc"] for s in result["selected"]]
    for inspection, selected in zip(inspections, result["selected"], strict=True):
        team = list(
            inspection.team.order_by("slot_index").values_list("inspector__cert_no", flat=True)
        )
        assert team == selected["team"]
        assert len(set(team)) == 3
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAWN
    assert AuditEntry.objects.filter(event="campaigns.draw.made").exists()


def test_the_published_document_verifies_with_the_public_engine(campaign, chief):
    draw = draw_perform(
        manifest_id=current_manifest(campaign).pk, external_sources=[LOTTERY], by=chief
    )
    checks = draw_verify(draw)
    assert [(c.name, c.status) for c in checks] == [
        ("manifest", "passed"),
        ("nonce", "passed"),
        ("selection", "passed"),
        ("teams", "passed"),
        ("result", "passed"),
    ]
    public = draw_verify(draw, with_exclusions=False)
    assert [c.status for c in public] == ["passed", "passed", "passed", "skipped", "passed"]
    # The text assembled from stored parts is the canonical JSON of the document.
    assert draw_document_text(draw).encode() == drawspec.canonical_json(draw_document(draw))


def test_anyone_can_recheck_the_document_with_the_downloaded_file(campaign, chief, tmp_path):
    draw = draw_perform(
        manifest_id=current_manifest(campaign).pk, external_sources=[LOTTERY], by=chief
    )
    path = tmp_path / "draw.json"
    path.write_text(draw_document_text(draw), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(DRAWSPEC), "verify", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "teams: skipped" in run.stdout
    tampered = json.loads(path.read_text(encoding="utf-8"))
    tampered["sources"][1] = "05 12 18"
    path.write_text(json.dumps(tampered, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(DRAWSPEC), "verify", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1


def test_a_second_draw_returns_the_first_and_creates_nothing(campaign, chief):
    manifest = current_manifest(campaign)
    first = draw_perform(manifest_id=manifest.pk, external_sources=[LOTTERY], by=chief)
    again = draw_perform(manifest_id=manifest.pk, external_sources=["另一个数值"], by=chief)
    assert again.pk == first.pk
    assert Draw.objects.count() == 1
    assert Inspection.objects.count() == first.selected_count


def test_the_database_allows_one_draw_per_manifest(campaign, chief):
    manifest = current_manifest(campaign)
    draw = draw_perform(manifest_id=manifest.pk, external_sources=[LOTTERY], by=chief)
    with pytest.raises(IntegrityError), transaction.atomic():
        Draw.objects.create(
            manifest=manifest,
            sources=[],
            result="{}",
            result_sha256="x",
            selected_count=0,
            drawn_by=chief,
        )
    assert Draw.objects.get() == draw


def test_the_task_is_idempotent(campaign, chief):
    manifest = current_manifest(campaign)
    first = draw_manifest.delay(manifest.pk, [LOTTERY], chief.pk).get()
    second = draw_manifest.delay(manifest.pk, [LOTTERY], chief.pk).get()
    assert first["ok"] and second["draw_id"] == first["draw_id"]
    assert Draw.objects.count() == 1


def test_the_named_external_source_is_required(campaign, chief):
    with pytest.raises(DrawRefused) as caught:
        draw_perform(manifest_id=current_manifest(campaign).pk, external_sources=["  "], by=chief)
    assert "外部随机数" in str(caught.value)
    assert not Draw.objects.exists()


def test_a_draft_campaign_cannot_be_drawn(world, chief, leader):
    campaign = world.published(leader)
    manifest = current_manifest(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.APPROVED)
    with pytest.raises(DrawRefused):
        draw_perform(manifest_id=manifest.pk, external_sources=[LOTTERY], by=chief)


def test_an_unfillable_team_fails_names_the_enterprise_and_burns_the_manifest(world, chief, leader):
    # Only one market inspector, recused from every enterprise: the market slot can't be filled.
    market = world.market_inspectors[0]
    for other in world.market_inspectors[1:]:
        other.card_valid_to = world.starts_on  # card expires before the end of the checks
        other.save()
    for grade in "ABCD":
        for enterprise in world.enterprises[grade]:
            RecusalFactory(inspector=market, enterprise=enterprise)
    campaign = world.published(leader)
    manifest = current_manifest(campaign)
    with pytest.raises(DrawRefused) as caught:
        draw_perform(manifest_id=manifest.pk, external_sources=[LOTTERY], by=chief)
    assert "slot 2" in str(caught.value) or "席位" in str(caught.value)
    assert not Draw.objects.exists() and not Inspection.objects.exists()
    manifest.refresh_from_db()
    assert manifest.failed_draw["slot"] == 2
    # Trying other randomness on the same manifest would let someone shop for a result.
    with pytest.raises(DrawRefused) as again:
        draw_perform(manifest_id=manifest.pk, external_sources=["另一个数值"], by=chief)
    assert "不能换用其他随机数重摇" in str(again.value)
    assert AuditEntry.objects.filter(event="campaigns.draw.failed").count() == 1


def test_recused_pairs_never_meet_and_are_kept_private(world, chief, leader):
    inspector = world.bureau_inspectors[0]
    enterprise = world.enterprises["D"][0]
    RecusalFactory(inspector=inspector, enterprise=enterprise)
    campaign = world.published(leader)
    manifest = current_manifest(campaign)
    assert [enterprise.uscc, inspector.cert_no] in manifest.exclusion_pairs()
    # The public manifest carries only the digest of the private list.
    public = manifest.manifest()
    assert "exclusions" not in public
    assert public["exclusions_sha256"] == drawspec.exclusions_digest(manifest.exclusion_pairs())
    draw = draw_perform(manifest_id=manifest.pk, external_sources=[LOTTERY], by=chief)
    assert not Inspection.objects.filter(
        draw=draw, enterprise=enterprise, team__inspector=inspector
    ).exists()


def test_inspectors_who_checked_an_enterprise_recently_are_excluded_next_time(world, chief, leader):
    first = world.published(leader)
    draw = draw_perform(
        manifest_id=current_manifest(first).pk, external_sources=[LOTTERY], by=chief
    )
    pairs = {
        (inspection.enterprise.uscc, member.inspector.cert_no)
        for inspection in draw.inspections.all()
        for member in inspection.team.all()
    }
    second = world.published(leader, title="第二轮抽查")
    exclusions = {tuple(pair) for pair in current_manifest(second).exclusion_pairs()}
    assert pairs <= exclusions


def test_a_replacement_takes_the_next_alternate_and_is_audited(campaign, chief):
    draw = draw_perform(
        manifest_id=current_manifest(campaign).pk, external_sources=[LOTTERY], by=chief
    )
    result = draw.result_data()
    first = draw.inspections.order_by("position").first()
    expected = result["alternates"][first.stratum][0]
    replacement = replacement_create(inspection=first, reason="企业已注销", by=chief)
    first.refresh_from_db()
    assert first.status == Inspection.Status.REPLACED
    assert replacement.replacement.enterprise.uscc == expected
    assert replacement.replacement.replaces == first
    assert AuditEntry.objects.filter(event="campaigns.replacement.made").exists()
    with pytest.raises(ValidationError):
        replacement_create(inspection=first, reason="再次替补", by=chief)
    with pytest.raises(ValidationError):
        replacement_create(inspection=replacement.replacement, reason=" ", by=chief)


def test_superseding_a_draw_cancels_its_pending_inspections(world, chief, leader):
    campaign = world.published(leader)
    old = current_manifest(campaign)
    draw_perform(manifest_id=old.pk, external_sources=[LOTTERY], by=chief)
    adjustment = plans.adjustment_request(
        by=chief,
        campaign=campaign,
        reason="企业名录大幅更新，重新冻结",
        data=world.data(),
        redraw=True,
    )
    plans.adjustment_approve(by=leader, adjustment=adjustment)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PUBLISHED
    assert set(Inspection.objects.filter(draw__manifest=old).values_list("status", flat=True)) == {
        Inspection.Status.CANCELLED
    }
    assert Manifest.objects.get(pk=old.pk).draw  # the old draw stays, marked superseded
    new_draw = draw_perform(
        manifest_id=current_manifest(campaign).pk, external_sources=[LOTTERY], by=chief
    )
    assert current_draw(campaign) == new_draw


def test_the_draw_command_uses_the_same_service(campaign, capsys):
    call_command("draw", campaign.code, "--source", LOTTERY)
    draw = current_draw(campaign)
    assert draw is not None and draw.drawn_by is None
    assert draw.result_sha256 in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("draw", "石应急抽〔1999〕9号")


def test_export_draw_prints_the_document_and_writes_exclusions_only_when_asked(
    campaign, chief, tmp_path, capsys
):
    draw_perform(manifest_id=current_manifest(campaign).pk, external_sources=[LOTTERY], by=chief)
    call_command("export_draw", campaign.code)
    document = json.loads(capsys.readouterr().out)
    assert document["spec"] == "sjz-draw/1"
    assert "exclusions" not in document
    target = tmp_path / "exclusions.json"
    call_command("export_draw", campaign.code, "--exclusions", str(target))
    assert json.loads(target.read_text()) == current_manifest(campaign).exclusion_pairs()
    assert AuditEntry.objects.filter(event="campaigns.exclusions.exported").exists()


def test_the_nonce_is_not_exported_before_the_draw(campaign):
    with pytest.raises(CommandError):
        call_command("export_draw", campaign.code)


def test_only_the_owning_section_or_section4_may_draw(campaign, other_chief, section4):
    manifest = current_manifest(campaign)
    with pytest.raises(DrawRefused) as caught:
        draw_perform(manifest_id=manifest.pk, external_sources=[LOTTERY], by=other_chief)
    assert "无权" in str(caught.value)
    assert not Draw.objects.exists()
    assert draw_perform(manifest_id=manifest.pk, external_sources=[LOTTERY], by=section4)


def test_only_those_who_draw_may_replace(campaign, chief, other_chief):
    from django.core.exceptions import PermissionDenied

    draw = draw_perform(
        manifest_id=current_manifest(campaign).pk, external_sources=[LOTTERY], by=chief
    )
    with pytest.raises(PermissionDenied):
        replacement_create(inspection=draw.inspections.first(), reason="企业已注销", by=other_chief)

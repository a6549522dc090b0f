"""Freezing a campaign's manifest, drawing it, and replacing drawn enterprises.

Everything the public can re-check is computed by `campaigns.drawspec` (the same file the
public page offers for download); this module only gathers the inputs from the database and
saves what the engine returns.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import secrets
import time
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns import drawspec
from campaigns.models import (
    Campaign,
    Draw,
    Enterprise,
    Inspection,
    InspectionTeamMember,
    Manifest,
    Replacement,
)
from campaigns.selectors.campaigns import can_draw, default_cap, lookback_pairs, population
from campaigns.selectors.register import active_recusal_pairs
from inspectors.models import Inspector
from inspectors.selectors import eligible_inspectors
from shijiazhuang_sr.audit.models import AuditEntry
from shijiazhuang_sr.audit.services import audit_record
from shijiazhuang_sr.core.bulk import copy_rows, reserve_ids, uses_copy

# --- building the manifest -----------------------------------------------------------------------


def _text(value: str) -> str:
    """Manifest strings are NFC-normalised and trimmed (spec §2)."""
    return unicodedata.normalize("NFC", value.strip())


@dataclass
class ManifestBuild:
    manifest: dict
    exclusions: list[list[str]]
    stats: dict
    problems: list[str]


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def people_day(campaign: Campaign, frozen_on: dt.date) -> dt.date:
    """The day inspectors must be available: the first day of the checks (or today, if the
    checks have already started)."""
    return max(campaign.starts_on, frozen_on)


def campaign_departments(campaign: Campaign) -> list:
    return [campaign.lead_department, *campaign.participating_departments.all()]


def slot_entry(department, tag) -> dict:
    """A team slot as the manifest writes it (spec §2)."""
    return {
        "department": _text(department.name) if department else None,
        "tag": _text(tag.name) if tag else None,
    }


def inspector_pool(departments, *, on: dt.date, until: dt.date) -> list[dict]:
    """The manifest's pool (spec §2): the departments' inspectors eligible on `on` whose card
    stays valid until `until`, sorted by card number."""
    pool_qs = (
        eligible_inspectors(on=on, departments=departments)
        .filter(card_valid_to__gte=until)
        .select_related("department")
        .prefetch_related("tags")
    )
    return sorted(
        (
            {
                "id": _text(inspector.cert_no),
                "department": _text(inspector.department.name),
                "tags": sorted({_text(tag.name) for tag in inspector.tags.all()}),
            }
            for inspector in pool_qs
        ),
        key=lambda entry: entry["id"],
    )


def build_manifest(campaign: Campaign, *, frozen_on: dt.date) -> ManifestBuild:
    """The manifest, exclusion list and statistics of `campaign` frozen on `frozen_on`.

    Grades and the annual cap are read on `frozen_on`; inspectors must be eligible (on duty,
    card valid, not on leave or training) on the first day of the checks, and keep a valid
    card until the last one; recusals valid on either day count.
    """
    problems: list[str] = []
    stratified = population(campaign, on=frozen_on)
    if stratified.size == 0:
        problems.append("抽取范围内没有符合条件的企业（检查对象为空），请调整抽取范围或分层。")

    day = people_day(campaign, frozen_on)
    pool = inspector_pool(campaign_departments(campaign), on=day, until=campaign.ends_on)
    slots = [
        slot_entry(slot.department, slot.tag)
        for slot in campaign.slots.select_related("department", "tag").order_by("position")
    ]
    problems += slot_problems(slots, pool)

    strata = [
        {
            "label": _text(plan.label),
            "ratio": None if plan.ratio is None else format(plan.ratio.normalize(), "f"),
            "quota": plan.quota,
            "members": plan.members,
        }
        for plan in stratified.strata
    ]
    total_selected = sum(stratum["quota"] for stratum in strata)
    cap = campaign.inspector_cap or default_cap(total_selected, len(slots), len(pool))

    members = {uscc for stratum in strata for uscc in stratum["members"]}
    pool_ids = {entry["id"] for entry in pool}
    pairs = active_recusal_pairs(on=frozen_on) | active_recusal_pairs(on=day)
    recusal_count = len({pair for pair in pairs if pair[0] in members and pair[1] in pool_ids})
    since = _months_before(frozen_on, campaign.lookback_months)
    pairs |= lookback_pairs(enterprises_usccs=members, since=since)
    exclusions = sorted(
        [uscc, cert_no] for uscc, cert_no in pairs if uscc in members and cert_no in pool_ids
    )

    manifest = {
        "campaign": _text(campaign.code),
        "strata": strata,
        "pool": pool,
        "slots": slots,
        "cap": cap,
        "alternates": campaign.alternates,
        "exclusions_sha256": drawspec.exclusions_digest(exclusions),
    }
    if not problems:
        problems += drawspec.manifest_problems(manifest)
    stats = {
        "frozen_on": frozen_on.isoformat(),
        "people_day": day.isoformat(),
        "in_scope": stratified.in_scope,
        "at_annual_cap": stratified.at_cap,
        "annual_cap": campaign.annual_cap,
        "out_of_strata": stratified.out_of_strata,
        "population": stratified.size,
        "strata": [
            {"label": s["label"], "rule": plan.rule, "size": len(s["members"]), "quota": s["quota"]}
            for s, plan in zip(strata, stratified.strata, strict=True)
        ],
        "total_selected": total_selected,
        "pool": len(pool),
        "pool_by_department": _count_by(pool, "department"),
        "slots": len(slots),
        "cap": cap,
        "cap_rule": "计划指定" if campaign.inspector_cap else "按公式计算",
        "exclusions": len(exclusions),
        "recusal_pairs": recusal_count,
        "lookback_months": campaign.lookback_months,
        "lookback_since": since.isoformat(),
    }
    return ManifestBuild(manifest, exclusions, stats, problems)


def _count_by(entries: list[dict], key: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry[key]] = counts.get(entry[key], 0) + 1
    return counts


def _candidates(slot: dict, pool: list[dict]) -> set[str]:
    return {
        entry["id"]
        for entry in pool
        if (slot["department"] is None or entry["department"] == slot["department"])
        and (slot["tag"] is None or slot["tag"] in entry["tags"])
    }


def slot_problems(slots: list[dict], pool: list[dict]) -> list[str]:
    """Why a team could not be formed at all, in words a planner understands.

    Each slot needs a candidate, and together the slots need distinct people: checked as a
    bipartite matching, before any exclusion (an exclusion can still make one enterprise's team
    unfillable at the draw; the draw then fails and names it).
    """
    if len(slots) < 2:
        return ["每个检查组至少需要 2 名执法人员，请至少设置 2 个席位。"]
    if not pool:
        return ["执法人员库为空：参与部门在检查期间没有在岗且执法证有效的执法人员。"]
    problems = []
    candidates = [_candidates(slot, pool) for slot in slots]
    for index, (slot, found) in enumerate(zip(slots, candidates, strict=True)):
        if not found:
            who = slot["department"] or "任一部门"
            what = f"具有“{slot['tag']}”标签的" if slot["tag"] else ""
            problems.append(
                f"第 {index + 1} 个席位（{who}）没有{what}可抽派的执法人员"
                "（须在岗、执法证在检查期间有效）。"
            )
    if problems:
        return problems
    assignment: dict[str, int] = {}

    def place(slot_index: int, seen: set[str]) -> bool:
        for person in sorted(candidates[slot_index]):
            if person in seen:
                continue
            seen.add(person)
            if person not in assignment or place(assignment[person], seen):
                assignment[person] = slot_index
                return True
        return False

    for index in range(len(slots)):
        if not place(index, set()):
            problems.append(
                f"人员库中的执法人员不足以组成互不相同的 {len(slots)} 人检查组"
                f"（第 {index + 1} 个席位无人可派），请调整席位或参与部门。"
            )
            break
    return problems


def preflight(campaign: Campaign, *, frozen_on: dt.date | None = None) -> ManifestBuild:
    """What publishing would freeze, and every reason it cannot (nothing is saved)."""
    return build_manifest(campaign, frozen_on=frozen_on or timezone.localdate())


def manifest_freeze(*, campaign: Campaign, by, frozen_on: dt.date | None = None) -> Manifest:
    """Freeze the manifest and commit to a fresh nonce (spec §2, §3, §6). Refuses, saying why,
    when the population is empty or the slots cannot be filled. Call inside a transaction."""
    build = build_manifest(campaign, frozen_on=frozen_on or timezone.localdate())
    if build.problems:
        raise ValidationError(build.problems)
    nonce = secrets.token_hex(32)
    body = drawspec.canonical_json(build.manifest).decode("utf-8")
    exclusions = drawspec.canonical_json(build.exclusions).decode("utf-8")
    version = (
        campaign.manifests.order_by("-version").values_list("version", flat=True).first() or 0
    ) + 1
    manifest = Manifest.objects.create(
        campaign=campaign,
        version=version,
        frozen_on=dt.date.fromisoformat(build.stats["frozen_on"]),
        body=body,
        sha256=drawspec.sha256_hex(body.encode("utf-8")),
        nonce=nonce,
        nonce_sha256=drawspec.sha256_hex(nonce.encode("ascii")),
        exclusions=exclusions,
        exclusions_sha256=build.manifest["exclusions_sha256"],
        external_source_names=campaign.external_randomness,
        stats=build.stats,
        frozen_by=by,
    )
    # The nonce never enters the audit trail; its digest does.
    audit_record(
        action=AuditEntry.Action.CREATE,
        obj=manifest,
        by=by,
        event="campaigns.manifest.frozen",
        data={
            "manifest_sha256": manifest.sha256,
            "nonce_sha256": manifest.nonce_sha256,
            "exclusions_sha256": manifest.exclusions_sha256,
            "population": build.stats["population"],
            "total_selected": build.stats["total_selected"],
            "pool": build.stats["pool"],
        },
    )
    return manifest


def manifest_supersede(*, manifest: Manifest, reason: str, by) -> None:
    """Mark a manifest (and its draw, if any) superseded; it stays published with the reason."""
    manifest.status = Manifest.Status.SUPERSEDED
    manifest.superseded_reason = reason
    manifest.superseded_at = timezone.now()
    manifest.save(update_fields=["status", "superseded_reason", "superseded_at"])
    cancelled = Inspection.objects.filter(
        draw__manifest=manifest, status=Inspection.Status.PENDING
    ).update(status=Inspection.Status.CANCELLED)
    audit_record(
        action=AuditEntry.Action.UPDATE,
        obj=manifest,
        by=by,
        event="campaigns.manifest.superseded",
        changes={"status": ["有效", "已作废（被新方案替代）"]},
        data={"reason": reason, "cancelled_inspections": cancelled},
    )


# --- the draw ------------------------------------------------------------------------------------


class DrawRefused(Exception):
    """The draw cannot be made (wrong state, already drawn, unfillable slot). Nothing saved."""


def _clean_sources(external_sources: list[str]) -> list[str]:
    sources = [value for value in (s.strip() for s in external_sources) if value]
    for value in sources:
        if len(value) > 500:
            raise DrawRefused("外部随机数过长（最多 500 个字符）。")
    return sources


def draw_perform(*, manifest_id: int, external_sources: list[str], by) -> Draw:
    """Draw a published manifest: all or nothing, and at most once.

    Idempotent: if the manifest was already drawn (a retried or duplicated task), the existing
    draw is returned and nothing else happens; the database's one-draw-per-manifest rule stops
    two concurrent attempts. A failed draw burns the manifest (see Manifest.failed_draw).
    """
    sources_external = _clean_sources(external_sources)
    started = time.monotonic()
    try:
        with transaction.atomic():
            manifest = (
                Manifest.objects.select_for_update().select_related("campaign").get(pk=manifest_id)
            )
            existing = Draw.objects.filter(manifest=manifest).first()
            if existing is not None:
                return existing
            campaign = manifest.campaign
            # `by` is None only on the command line, run by whoever runs the server.
            if by is not None and not can_draw(by, campaign):
                raise DrawRefused("您无权为该抽查任务摇号（须为本科室负责人或综合执法四科）。")
            if manifest.status != Manifest.Status.CURRENT:
                raise DrawRefused("该摇号方案已作废，不能摇号。")
            if campaign.status != Campaign.Status.PUBLISHED:
                raise DrawRefused(
                    f"抽查任务当前状态为“{campaign.get_status_display()}”，不能摇号。"
                )
            if manifest.failed_draw:
                raise DrawRefused(
                    "该摇号方案已摇号失败，不能换用其他随机数重摇；请通过计划调整生成新方案。"
                )
            if manifest.external_source_names.strip() and not sources_external:
                raise DrawRefused(
                    f"计划已公布将使用外部随机数：{manifest.external_source_names}。请按公布的"
                    "数值如实录入。"
                )
            sources = [manifest.nonce, *sources_external]
            try:
                document = drawspec.draw(manifest.manifest(), manifest.exclusion_pairs(), sources)
            except drawspec.DrawError as error:
                failure = {
                    "error": str(error),
                    "uscc": error.uscc,
                    "slot": error.slot_index,
                    "external_sources": sources_external,
                    "at": timezone.now().isoformat(),
                }
                # Saved outside the rolled-back block below: the attempt itself is a fact.
                raise _FailedDraw(manifest.pk, failure) from error
            draw = _save_draw(manifest, document, by, time.monotonic() - started)
            campaign.status = Campaign.Status.DRAWN
            campaign.drawn_at = draw.drawn_at
            campaign.save(update_fields=["status", "drawn_at"])
            audit_record(
                action=AuditEntry.Action.CREATE,
                obj=draw,
                by=by,
                event="campaigns.draw.made",
                data={
                    "campaign": campaign.code,
                    "external_sources": sources_external,
                    "result_sha256": draw.result_sha256,
                    "selected": draw.selected_count,
                },
            )
    except _FailedDraw as failed:
        _record_failure(failed.manifest_id, failed.failure, by)
        raise DrawRefused(
            f"摇号失败，未保存任何结果：{failed.failure['error']}。该方案已不能再次摇号，"
            "请调整检查组席位或参与部门后，通过计划调整生成新方案。"
        ) from failed
    except IntegrityError:
        # Another attempt drew the same manifest a moment earlier: that draw stands.
        existing = Draw.objects.filter(manifest_id=manifest_id).first()
        if existing is None:
            raise
        return existing
    _notify_teams(draw)
    return draw


class _FailedDraw(Exception):
    def __init__(self, manifest_id, failure):
        super().__init__(failure["error"])
        self.manifest_id = manifest_id
        self.failure = failure


@transaction.atomic
def _record_failure(manifest_id: int, failure: dict, by) -> None:
    manifest = Manifest.objects.select_for_update().get(pk=manifest_id)
    manifest.failed_draw = failure
    manifest.save(update_fields=["failed_draw"])
    audit_record(
        action=AuditEntry.Action.OTHER,
        obj=manifest,
        by=by,
        event="campaigns.draw.failed",
        data={key: failure[key] for key in ("error", "uscc", "slot", "external_sources")},
    )


def _save_draw(manifest: Manifest, document: dict, by, seconds: float) -> Draw:
    result = document["result"]
    draw = Draw.objects.create(
        manifest=manifest,
        sources=document["sources"],
        result=drawspec.canonical_json(result).decode("utf-8"),
        result_sha256=document["result_sha256"],
        selected_count=len(result["selected"]),
        drawn_by=by,
        seconds=round(seconds, 3),
    )
    selected = result["selected"]
    enterprise_ids = _ids_by(Enterprise, "uscc", [entry["uscc"] for entry in selected])
    cert_nos = {cert_no for entry in selected for cert_no in entry["team"]}
    inspector_ids = _ids_by(Inspector, "cert_no", cert_nos)
    campaign_id = manifest.campaign_id
    if uses_copy():
        # A million-enterprise register selects ~40,000 enterprises and 120,000 team places:
        # COPY with reserved ids takes a second where INSERTs take many.
        ids = reserve_ids(Inspection, len(selected))
        copy_rows(
            Inspection,
            [
                "id",
                "draw_id",
                "campaign_id",
                "enterprise_id",
                "stratum",
                "position",
                "score",
                "over_cap",
                "status",
            ],
            (
                (
                    pk,
                    draw.pk,
                    campaign_id,
                    enterprise_ids[entry["uscc"]],
                    entry["stratum"],
                    position,
                    entry["score"],
                    json.dumps(entry["over_cap"]),
                    Inspection.Status.PENDING,
                )
                for position, (pk, entry) in enumerate(zip(ids, selected, strict=True), start=1)
            ),
        )
        copy_rows(
            InspectionTeamMember,
            ["inspection_id", "inspector_id", "slot_index"],
            (
                (pk, inspector_ids[cert_no], index)
                for pk, entry in zip(ids, selected, strict=True)
                for index, cert_no in enumerate(entry["team"])
            ),
        )
        return draw
    inspections = Inspection.objects.bulk_create(
        [
            Inspection(
                draw=draw,
                campaign_id=campaign_id,
                enterprise_id=enterprise_ids[entry["uscc"]],
                stratum=entry["stratum"],
                position=position,
                score=entry["score"],
                over_cap=entry["over_cap"],
            )
            for position, entry in enumerate(selected, start=1)
        ],
        batch_size=2000,
    )
    InspectionTeamMember.objects.bulk_create(
        [
            InspectionTeamMember(
                inspection=inspection, inspector_id=inspector_ids[cert_no], slot_index=index
            )
            for inspection, entry in zip(inspections, selected, strict=True)
            for index, cert_no in enumerate(entry["team"])
        ],
        batch_size=5000,
    )
    return draw


def _ids_by(model, field: str, values) -> dict[str, int]:
    values = list(values)
    found: dict[str, int] = {}
    for start in range(0, len(values), 5000):
        chunk = values[start : start + 5000]
        found.update(model.objects.filter(**{f"{field}__in": chunk}).values_list(field, "pk"))
    return found


def _notify_teams(draw: Draw) -> None:
    from django.urls import reverse

    from shijiazhuang_sr.core.notifications import notify

    campaign = draw.manifest.campaign
    users = (
        Inspector.objects.filter(team_places__inspection__draw=draw, user__isnull=False)
        .select_related("user")
        .distinct()
    )
    notify(
        [inspector.user for inspector in users],
        f"您被抽派参加抽查任务 {campaign.code}",
        url=reverse("campaigns:my_inspections"),
        body=f"{campaign.title}：检查期间 {campaign.starts_on} 至 {campaign.ends_on}。",
    )


def draw_document(draw: Draw) -> dict:
    """The published draw document (spec §7)."""
    manifest = draw.manifest
    return {
        "spec": drawspec.SPEC,
        "manifest": manifest.manifest(),
        "manifest_sha256": manifest.sha256,
        "nonce_sha256": manifest.nonce_sha256,
        "sources": draw.sources,
        "result": draw.result_data(),
        "result_sha256": draw.result_sha256,
    }


def draw_document_text(draw: Draw) -> str:
    """The document as canonical JSON text, assembled from the stored canonical parts (the
    manifest of a large register is tens of megabytes; it is not parsed again)."""
    manifest = draw.manifest
    sources = drawspec.canonical_json(draw.sources).decode("utf-8")
    # Keys in sorted order, as canonical JSON has them.
    return (
        f'{{"manifest":{manifest.body},"manifest_sha256":"{manifest.sha256}",'
        f'"nonce_sha256":"{manifest.nonce_sha256}","result":{draw.result},'
        f'"result_sha256":"{draw.result_sha256}","sources":{sources},'
        f'"spec":"{drawspec.SPEC}"}}'
    )


def draw_verify(draw: Draw, *, with_exclusions: bool = True) -> list[drawspec.Check]:
    """Run the public verifier on the stored draw (with the private exclusion list for staff)."""
    exclusions = draw.manifest.exclusion_pairs() if with_exclusions else None
    return drawspec.verify(draw_document(draw), exclusions)


# --- replacements (spec §8) -----------------------------------------------------------------------


def replacement_create(*, inspection: Inspection, reason: str, by) -> Replacement:
    """Replace a drawn enterprise (closed, deregistered, out of scope) by the next unused
    alternate of its stratum, with its team per spec §8. Never a re-draw."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写替补原因（如企业已注销、停业或不在抽查范围内）。")
    with transaction.atomic():
        inspection = (
            Inspection.objects.select_for_update()
            .select_related("draw", "enterprise")
            .get(pk=inspection.pk)
        )
        draw = (
            Draw.objects.select_for_update()
            .select_related("manifest__campaign")
            .get(pk=inspection.draw_id)
        )
        campaign = draw.manifest.campaign
        if not can_draw(by, campaign):
            raise PermissionDenied
        if draw.manifest.status != Manifest.Status.CURRENT:
            raise ValidationError("该摇号已作废，不能替补。")
        if campaign.status not in (Campaign.Status.DRAWN, Campaign.Status.IN_PROGRESS):
            raise ValidationError(
                f"抽查任务当前状态为“{campaign.get_status_display()}”，不能替补。"
            )
        if inspection.status != Inspection.Status.PENDING:
            raise ValidationError(
                f"只能替补尚未开始检查的任务（当前状态：{inspection.get_status_display()}）。"
            )
        previous = [r.record for r in draw.replacements.order_by("created_at", "id")]
        try:
            record = drawspec.replace(
                draw_document(draw),
                draw.manifest.exclusion_pairs(),
                inspection.enterprise.uscc,
                previous,
            )
        except (drawspec.ReplacementError, drawspec.DrawError) as error:
            raise ValidationError(f"无法替补：{error}") from error
        enterprise = Enterprise.objects.get(uscc=record["replacement"])
        last = draw.inspections.order_by("-position").values_list("position", flat=True).first()
        replacement = Inspection.objects.create(
            draw=draw,
            campaign=campaign,
            enterprise=enterprise,
            stratum=record["stratum"],
            position=last + 1,
            over_cap=record["over_cap"],
            replaces=inspection,
        )
        inspectors = _ids_by(Inspector, "cert_no", record["team"])
        InspectionTeamMember.objects.bulk_create(
            [
                InspectionTeamMember(
                    inspection=replacement, inspector_id=inspectors[cert_no], slot_index=index
                )
                for index, cert_no in enumerate(record["team"])
            ]
        )
        inspection.status = Inspection.Status.REPLACED
        inspection.save(update_fields=["status"])
        created = Replacement.objects.create(
            draw=draw,
            replaced=inspection,
            replacement=replacement,
            reason=reason,
            record=record,
            created_by=by,
        )
        audit_record(
            action=AuditEntry.Action.CREATE,
            obj=created,
            by=by,
            event="campaigns.replacement.made",
            data={
                "campaign": campaign.code,
                "replaced": inspection.enterprise.uscc,
                "replacement": enterprise.uscc,
                "reason": reason,
                "team": record["team"],
                "team_reformed": record["team_reformed"],
            },
        )
    return created

"""Manifests, draws, and the inspections a draw creates (docs/draw-spec.md).

A manifest is frozen when a campaign is published: its canonical JSON, its digest and the
digest of the platform nonce are public from then on; the nonce and the exclusion list stay
private (the nonce until the draw, the exclusion list for good, auditors aside). The database
allows one draw per manifest; a draw is never deleted or re-run.
"""

import json

from django.conf import settings
from django.db import models


class Manifest(models.Model):
    class Status(models.TextChoices):
        CURRENT = "current", "有效"
        SUPERSEDED = "superseded", "已作废（被新方案替代）"

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="抽查任务",
        on_delete=models.PROTECT,
        related_name="manifests",
    )
    version = models.PositiveSmallIntegerField("方案版本")
    frozen_on = models.DateField("冻结基准日", help_text="信用等级、人员状态、回避均按此日计算。")
    # The manifest's canonical JSON exactly as hashed (docs/draw-spec.md §2). Text, not a
    # JSONField, so the stored bytes are the hashed bytes.
    body = models.TextField("摇号方案（规范 JSON）")
    # Not unique: re-freezing an unchanged plan (after a failed draw) gives the same manifest,
    # with new randomness; the public looks manifests up by this digest.
    sha256 = models.CharField("manifest_sha256", max_length=64, db_index=True)
    # S1. Secret until the draw: never shown, logged or exported before it (views and exports
    # read `revealed_nonce`, which is empty until the draw exists).
    nonce = models.CharField("平台随机数", max_length=64, editable=False)
    nonce_sha256 = models.CharField("nonce_sha256", max_length=64)
    exclusions = models.TextField("回避名单（规范 JSON，不公开）", editable=False)
    exclusions_sha256 = models.CharField("exclusions_sha256", max_length=64)
    external_source_names = models.TextField("事先公布的外部随机数来源", blank=True)
    stats = models.JSONField("冻结统计", default=dict)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.CURRENT)
    superseded_reason = models.TextField("作废原因", blank=True)
    superseded_at = models.DateTimeField("作废时间", null=True, blank=True)
    # A draw that failed (an unfillable team slot) burns the manifest: trying again with other
    # external values would let an operator shop for a result. It needs an adjustment.
    failed_draw = models.JSONField("摇号失败记录", null=True, blank=True, editable=False)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="冻结人", on_delete=models.PROTECT, related_name="+"
    )
    frozen_at = models.DateTimeField("冻结时间", auto_now_add=True)

    class Meta:
        verbose_name = "摇号方案"
        verbose_name_plural = "摇号方案"
        ordering = ["campaign", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "version"], name="manifest_version"),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=models.Q(status="current"),
                name="manifest_one_current",
            ),
        ]

    def __str__(self):
        return f"{self.campaign.display_code} 摇号方案 第{self.version}版"

    def manifest(self) -> dict:
        return json.loads(self.body)

    def exclusion_pairs(self) -> list:
        return json.loads(self.exclusions)


class Draw(models.Model):
    """The one draw of a manifest (摇号结果)."""

    manifest = models.OneToOneField(
        Manifest, verbose_name="摇号方案", on_delete=models.PROTECT, related_name="draw"
    )
    # All sources as entered: S1 (revealed by the draw) and the external public values.
    sources = models.JSONField("随机数来源")
    result = models.TextField("摇号结果（规范 JSON）")
    result_sha256 = models.CharField("result_sha256", max_length=64)
    selected_count = models.PositiveIntegerField("抽中户数")
    # Empty when drawn from the command line without --user.
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="摇号人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField("摇号时间", auto_now_add=True)
    seconds = models.FloatField("用时（秒）", default=0)

    class Meta:
        verbose_name = "摇号"
        verbose_name_plural = "摇号"
        ordering = ["-drawn_at"]

    def __str__(self):
        return f"{self.manifest.campaign.display_code} 摇号"

    def result_data(self) -> dict:
        return json.loads(self.result)


class Inspection(models.Model):
    """The check of one drawn enterprise by its team (抽查检查任务). Later issues add the
    on-site record, findings and follow-up to it."""

    class Status(models.TextChoices):
        PENDING = "pending", "待检查"
        IN_PROGRESS = "in_progress", "检查中"
        DONE = "done", "已完成"
        REPLACED = "replaced", "已替补"
        # The draw was superseded by a plan adjustment before this check began.
        CANCELLED = "cancelled", "已作废"

    draw = models.ForeignKey(
        Draw, verbose_name="摇号", on_delete=models.PROTECT, related_name="inspections"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="抽查任务",
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    enterprise = models.ForeignKey(
        "campaigns.Enterprise",
        verbose_name="检查对象",
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    stratum = models.CharField("所在层", max_length=50)
    # Place in the selection order (1-based); replacements continue after the last one.
    position = models.PositiveIntegerField("顺序")
    score = models.CharField("得分（e(u)）", max_length=64, blank=True)
    over_cap = models.JSONField("超出任务上限的席位", default=list, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default="pending")
    replaces = models.OneToOneField(
        "self",
        verbose_name="替补的任务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    inspectors = models.ManyToManyField(
        "inspectors.Inspector",
        verbose_name="检查组",
        through="InspectionTeamMember",
        related_name="inspections",
    )

    class Meta:
        verbose_name = "检查任务"
        verbose_name_plural = "检查任务"
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "enterprise"], name="inspection_once_per_draw"),
            models.UniqueConstraint(fields=["draw", "position"], name="inspection_position"),
        ]
        indexes = [
            # A campaign's inspections by status (the campaign page, progress counts).
            models.Index(fields=["campaign", "status"], name="inspection_campaign_idx"),
        ]

    def __str__(self):
        return f"{self.campaign.display_code} · {self.enterprise.name}"


class InspectionTeamMember(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    inspector = models.ForeignKey(
        "inspectors.Inspector", on_delete=models.PROTECT, related_name="team_places"
    )
    slot_index = models.PositiveSmallIntegerField("席位")

    class Meta:
        verbose_name = "检查组成员"
        verbose_name_plural = "检查组成员"
        ordering = ["inspection", "slot_index"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "slot_index"], name="team_slot"),
            models.UniqueConstraint(fields=["inspection", "inspector"], name="team_distinct"),
        ]
        indexes = [
            # "My inspections" for an inspector; the look-back exclusions at the next freeze.
            models.Index(fields=["inspector", "inspection"], name="team_inspector_idx"),
        ]

    def __str__(self):
        return f"{self.inspection_id}#{self.slot_index} {self.inspector_id}"


class Replacement(models.Model):
    """A drawn enterprise replaced by the next unused alternate of its stratum (spec §8)."""

    draw = models.ForeignKey(
        Draw, verbose_name="摇号", on_delete=models.PROTECT, related_name="replacements"
    )
    replaced = models.OneToOneField(
        Inspection, verbose_name="被替补", on_delete=models.PROTECT, related_name="+"
    )
    replacement = models.OneToOneField(
        Inspection, verbose_name="替补", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("替补原因")
    # What drawspec.replace returned: replacement, team, over_cap, team_reformed.
    record = models.JSONField("替补记录")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("替补时间", auto_now_add=True)

    class Meta:
        verbose_name = "替补"
        verbose_name_plural = "替补"
        ordering = ["draw", "created_at", "id"]

    def __str__(self):
        return f"替补：{self.replaced.enterprise.name} → {self.replacement.enterprise.name}"

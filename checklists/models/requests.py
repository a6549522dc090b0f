from django.conf import settings
from django.db import models

from checklists.models.items import CheckItem, ItemFields, LegalBasisFields, SubItemFields
from checklists.models.sectors import SupervisionSector


class CheckItemRequest(ItemFields):
    """A section's request to add an item missing from the list (报告增加监管事项).

    综合执法四科 approves it (the item is created from it) or sends it back with a reason.
    The proposed responsible section is the requesting section.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已退回"
        WITHDRAWN = "withdrawn", "已撤回"

    code = models.CharField(
        "事项编码（如有）",
        max_length=50,
        blank=True,
        help_text="省平台已有编码的请填写；没有的由综合执法四科审批时确定。",
    )
    section = models.ForeignKey(
        "inspectors.Section",
        verbose_name="申请科室",
        on_delete=models.PROTECT,
        related_name="check_item_requests",
    )
    sectors = models.ManyToManyField(
        SupervisionSector,
        verbose_name="适用行业领域",
        blank=True,
        related_name="+",
        help_text="不选表示适用于全部行业领域。",
    )
    justification = models.TextField("申请理由", max_length=2000)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True)
    created_item = models.OneToOneField(
        CheckItem,
        verbose_name="新增的事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="origin_request",
    )

    class Meta:
        verbose_name = "抽查事项新增申请"
        verbose_name_plural = "抽查事项新增申请"
        ordering = ["-submitted_at", "-id"]
        permissions = [("approve_checkitemrequest", "可以审批抽查事项新增申请")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(created_item__isnull=False),
                name="itemrequest_approved_has_item",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(decision_note=""),
                name="itemrequest_rejected_has_reason",
            ),
        ]
        indexes = [
            # Section 4's pending queue and a chief's own-section list.
            models.Index(fields=["status", "section"], name="itemrequest_status_idx"),
        ]

    def __str__(self):
        return f"新增申请 #{self.pk} {self.name}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class RequestSubItem(SubItemFields):
    request = models.ForeignKey(
        CheckItemRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="sub_items"
    )

    class Meta(SubItemFields.Meta):
        verbose_name = "申请的检查内容"
        verbose_name_plural = "申请的检查内容"


class RequestLegalBasis(LegalBasisFields):
    request = models.ForeignKey(
        CheckItemRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="legal_bases"
    )

    class Meta(LegalBasisFields.Meta):
        verbose_name = "申请的检查依据"
        verbose_name_plural = "申请的检查依据"

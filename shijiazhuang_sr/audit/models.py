from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    # The audit trail is append-only. The database refuses it too (a trigger, see the
    # migration); these overrides make the mistake visible at the call site.
    def update(self, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能修改。")

    def delete(self):
        raise AppendOnlyError("审计日志只能追加，不能删除。")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        LOGIN = "login", "登录"
        LOGOUT = "logout", "退出"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKED_OUT = "locked_out", "账号锁定"
        EXPORT = "export", "导出"
        OTHER = "other", "其他操作"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        # Users are deactivated, never deleted, while their entries exist.
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept beside the foreign key: the entry must say who acted even for a failed login
    # (no user) or a command run by the system.
    actor_label = models.CharField("操作人（记录时）", max_length=150, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    channel = models.CharField("途径", max_length=16, blank=True)
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    event = models.CharField("事件", max_length=100, blank=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name="对象类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField("对象 ID", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    changes = models.JSONField("变更字段", default=dict, blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        permissions = [("export_auditentry", "可以导出审计日志")]
        indexes = [
            # The auditor's filters: by user, by object type and by date range, newest first.
            models.Index(fields=["actor", "-at"], name="audit_actor_at_idx"),
            models.Index(fields=["content_type", "-at"], name="audit_ctype_at_idx"),
            # An object's own history page.
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能删除。")

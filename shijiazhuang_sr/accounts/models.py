from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from shijiazhuang_sr.accounts.roles import Role


class User(AbstractUser):
    """A member of staff. Roles are groups (`roles.Role`); the section scopes what they plan."""

    # Chinese names are written as one string; first_name/last_name stay empty.
    full_name = models.CharField("姓名", max_length=50, blank=True)
    department = models.ForeignKey(
        "inspectors.Department",
        verbose_name="所属部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    section = models.ForeignKey(
        "inspectors.Section",
        verbose_name="所属科室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)
    must_change_password = models.BooleanField(
        "首次登录须修改密码",
        default=False,
        help_text="管理员创建或重置密码的账号，登录后必须先修改密码。",
    )
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def role_names(self) -> list[str]:
        # Uses the prefetch cache when the caller prefetched groups (user lists).
        return sorted(group.name for group in self.groups.all())

    def has_role(self, role: Role) -> bool:
        return any(group.name == role for group in self.groups.all())

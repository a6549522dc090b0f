from django.db import models


class Department(models.Model):
    """An agency: the bureau itself, or a department it runs joint "一业一查" checks with."""

    name = models.CharField("部门名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    is_own_bureau = models.BooleanField(
        "本局", default=False, help_text="石家庄市应急管理局本身；其他为联合抽查的协作部门。"
    )
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["sort_order", "name"]
        constraints = [
            # There is exactly one "own bureau"; the draws and documents rely on it.
            models.UniqueConstraint(
                fields=["is_own_bureau"],
                condition=models.Q(is_own_bureau=True),
                name="department_single_own_bureau",
            )
        ]

    def __str__(self):
        return self.name


class Section(models.Model):
    """A 科室 of a department, e.g. 危险化学品安全监督管理科 or 综合执法四科."""

    class Kind(models.TextChoices):
        SUPERVISION = "supervision", "监管科室"
        ENFORCEMENT = "enforcement", "综合执法科室"
        OTHER = "other", "其他"

    department = models.ForeignKey(
        Department, verbose_name="所属部门", on_delete=models.PROTECT, related_name="sections"
    )
    name = models.CharField("科室名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("科室类别", max_length=16, choices=Kind.choices, default=Kind.OTHER)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "科室"
        verbose_name_plural = "科室"
        ordering = ["department__sort_order", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="section_unique_name"),
        ]

    def __str__(self):
        return self.short_name or self.name

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


class Tag(models.Model):
    """An entry of the editable vocabularies the roster tags officers with.

    Draws match team slots against these tags, so a tag is renamed or retired, never deleted.
    """

    class Kind(models.TextChoices):
        FIELD = "field", "执法领域"
        EXPERTISE = "expertise", "执法专长"

    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    name = models.CharField("名称", max_length=50)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "人员标签"
        verbose_name_plural = "人员标签"
        ordering = ["kind", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="tag_unique_name"),
        ]

    def __str__(self):
        return self.name


class Inspector(models.Model):
    """An enforcement officer on the roster (执法人员名录库). Never deleted: one who left keeps
    the record, with status 调离 or 退休, so past draws and documents still resolve."""

    class CardType(models.TextChoices):
        HEBEI_ENFORCEMENT = "hebei", "河北省行政执法证"
        EMERGENCY = "emergency", "应急管理综合行政执法证"
        OTHER = "other", "其他执法证件"

    class Category(models.TextChoices):
        # 执法人员种类 as the justice bureau's database records it.
        SUPERVISION = "supervision", "监管执法人员"
        COMPREHENSIVE = "comprehensive", "综合行政执法人员"
        PART_TIME = "part_time", "兼职执法人员"

    class Status(models.TextChoices):
        ON_DUTY = "on_duty", "在岗"
        SECONDED = "seconded", "借调"
        ON_LEAVE = "on_leave", "休假"
        TRAINING = "training", "培训"
        TRANSFERRED = "transferred", "调离"
        RETIRED = "retired", "退休"

    name = models.CharField("姓名", max_length=50)
    cert_no = models.CharField("执法证号", max_length=40, unique=True)
    card_type = models.CharField(
        "证件类型", max_length=16, choices=CardType.choices, default=CardType.HEBEI_ENFORCEMENT
    )
    issuing_authority = models.CharField("发证机关", max_length=100, blank=True)
    card_valid_from = models.DateField("证件有效期自")
    card_valid_to = models.DateField("证件有效期至")
    department = models.ForeignKey(
        Department, verbose_name="所属部门", on_delete=models.PROTECT, related_name="inspectors"
    )
    section = models.ForeignKey(
        Section,
        verbose_name="所属科室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspectors",
    )
    category = models.CharField(
        "执法人员种类", max_length=16, choices=Category.choices, default=Category.SUPERVISION
    )
    tags = models.ManyToManyField(Tag, verbose_name="执法领域与专长", blank=True, related_name="+")
    # The current status, kept in step with the status periods by the services; the periods
    # (InspectorStatusPeriod) are the truth for any other date.
    status = models.CharField(
        "当前状态", max_length=16, choices=Status.choices, default=Status.ON_DUTY
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)  # private: never published
    justice_record_id = models.CharField("司法局库记录号", max_length=60, blank=True)
    user = models.OneToOneField(
        "accounts.User",
        verbose_name="平台账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspector",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        ordering = ["department__sort_order", "name", "cert_no"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(card_valid_to__gte=models.F("card_valid_from")),
                name="inspector_card_dates_ordered",
            ),
        ]
        indexes = [
            # Roster filters: by department/section and status; the expiring-card flag.
            models.Index(fields=["department", "section", "status"], name="inspector_scope_idx"),
            models.Index(fields=["card_valid_to"], name="inspector_card_to_idx"),
            models.Index(fields=["name"], name="inspector_name_idx"),
        ]

    def __str__(self):
        return f"{self.name}（{self.cert_no}）"


class InspectorStatusPeriod(models.Model):
    """A status from a date (to a date, or open-ended), with the reason: the roster's history.

    The status of an inspector on day D is that of the period covering D that started last;
    a leave of 5 days is a 休假 period on top of the open-ended 在岗 one.
    """

    inspector = models.ForeignKey(
        Inspector, verbose_name="执法人员", on_delete=models.PROTECT, related_name="status_periods"
    )
    status = models.CharField("状态", max_length=16, choices=Inspector.Status.choices)
    starts_on = models.DateField("生效日期")
    ends_on = models.DateField("截止日期", null=True, blank=True)
    reason = models.CharField("原因", max_length=200)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    # A period entered by mistake is cancelled, never deleted: the history keeps it, the
    # status rule ignores it.
    cancelled_at = models.DateTimeField("撤销时间", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        "accounts.User",
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancel_reason = models.CharField("撤销原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "人员状态变动"
        verbose_name_plural = "人员状态变动"
        ordering = ["inspector", "-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="status_period_dates_ordered",
            ),
        ]
        indexes = [
            # Eligibility on a date: the periods of many inspectors covering that date.
            models.Index(fields=["inspector", "starts_on", "ends_on"], name="status_period_idx"),
        ]

    def __str__(self):
        return f"{self.inspector.name} {self.get_status_display()} {self.starts_on}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def span_display(self) -> str:
        end = self.ends_on.isoformat() if self.ends_on else "长期"
        return f"{self.get_status_display()}（{self.starts_on.isoformat()} 至 {end}）"


class ReconciliationRun(models.Model):
    """One "应纳尽纳" check of the roster against an export of the justice bureau's database.

    The lines are what section 4 must look at; each is resolved with an action and a note.
    A newer run supersedes the open lines of the older ones.
    """

    filename = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    export_rows = models.PositiveIntegerField("司法局库人数")
    # The departments the export covers: only their officers can be "missing from the export".
    departments = models.ManyToManyField(Department, verbose_name="核对范围", related_name="+")
    created_by = models.ForeignKey(
        "accounts.User", verbose_name="核对人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("核对时间", auto_now_add=True)

    class Meta:
        verbose_name = "应纳尽纳核对"
        verbose_name_plural = "应纳尽纳核对"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.filename}（{self.created_at:%Y-%m-%d %H:%M}）"


class ReconciliationLine(models.Model):
    """One difference between the roster and the justice bureau's export."""

    class Kind(models.TextChoices):
        NOT_ON_ROSTER = "not_on_roster", "司法局库有、名录库无"
        NOT_IN_EXPORT = "not_in_export", "名录库有、司法局库无"
        DIFFERS = "differs", "信息不一致"

    class Resolution(models.TextChoices):
        OPEN = "open", "待处理"
        ADDED = "added", "已加入名录库"
        TRANSFERRED = "transferred", "已登记调离"
        RETIRED = "retired", "已登记退休"
        ACCEPTED = "accepted", "已采用司法局库信息"
        DISMISSED = "dismissed", "不需处理"
        SUPERSEDED = "superseded", "已由新的核对取代"

    run = models.ForeignKey(
        ReconciliationRun, verbose_name="核对", on_delete=models.PROTECT, related_name="lines"
    )
    kind = models.CharField("差异类型", max_length=16, choices=Kind.choices)
    cert_no = models.CharField("执法证号", max_length=40)
    name = models.CharField("姓名", max_length=50)
    inspector = models.ForeignKey(
        Inspector,
        verbose_name="名录库人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The export's row as cleaned values (names for related objects, ISO dates), to add or
    # update the inspector from when the line is resolved.
    export_values = models.JSONField("司法局库信息", default=dict, blank=True)
    # {field name: [roster value, export value]}, readable.
    differences = models.JSONField("不一致的字段", default=dict, blank=True)
    resolution = models.CharField(
        "处理结果", max_length=16, choices=Resolution.choices, default=Resolution.OPEN
    )
    effective_on = models.DateField("生效日期", null=True, blank=True)
    note = models.CharField("处理说明", max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        "accounts.User",
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "应纳尽纳核对项"
        verbose_name_plural = "应纳尽纳核对项"
        ordering = ["run", "kind", "cert_no"]
        indexes = [
            # A run's page filters its lines by state; the home page counts open lines.
            models.Index(fields=["run", "resolution", "kind"], name="recon_line_state_idx"),
            models.Index(fields=["resolution"], name="recon_line_open_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.name}（{self.cert_no}）"

    @property
    def is_open(self) -> bool:
        return self.resolution == self.Resolution.OPEN

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from inspectors import selectors
from inspectors.imports import PHONE_PATTERN
from inspectors.models import Department, Inspector, ReconciliationLine, Section, Tag
from inspectors.services import ACTIONS
from shijiazhuang_sr.accounts.roles import Role
from shijiazhuang_sr.core.forms import FilterForm
from shijiazhuang_sr.core.imports import ALLOWED_EXTENSIONS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def section_label(section: Section) -> str:
    department = section.department
    return f"{department.short_name or department.name} · {section.name}"


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "short_name", "is_own_bureau", "is_active", "sort_order"]


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["name", "short_name", "kind", "is_active", "sort_order"]

    def __init__(self, *args, department: Department, **kwargs):
        self.department = department
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Section.objects.filter(department=self.department, name=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"“{self.department.name}”下已有同名科室。")
        return name


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["kind", "name", "is_active", "sort_order"]
        help_texts = {"is_active": "停用的标签不能再加给人员，已有的保留。"}


def _tag_field(kind: str, label: str) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        required=False,
        queryset=Tag.objects.filter(kind=kind, is_active=True).order_by("sort_order", "name"),
        widget=forms.CheckboxSelectMultiple,
    )


class InspectorForm(forms.ModelForm):
    field_tags = _tag_field(Tag.Kind.FIELD, "执法领域")
    expertise_tags = _tag_field(Tag.Kind.EXPERTISE, "执法专长")

    class Meta:
        model = Inspector
        fields = [
            "name",
            "cert_no",
            "card_type",
            "issuing_authority",
            "card_valid_from",
            "card_valid_to",
            "department",
            "section",
            "category",
            "phone",
            "justice_record_id",
            "user",
        ]
        widgets = {"card_valid_from": DateInput(), "card_valid_to": DateInput()}
        help_texts = {
            "cert_no": "与司法局执法人员数据库一致，导入时按此号匹配。",
            "user": "该执法人员登录平台使用的账号（角色须为“执法人员”）。",
            "phone": "仅平台内部可见，不对外公开。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True)
        self.fields["section"].queryset = Section.objects.filter(is_active=True).select_related(
            "department"
        )
        self.fields["section"].label_from_instance = section_label
        taken = Inspector.objects.filter(user__isnull=False)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        accounts = (
            get_user_model()
            .objects.filter(groups__name=Role.INSPECTOR)
            .filter(Q(is_active=True) | Q(pk=self.instance.user_id or 0))
            .exclude(pk__in=taken.values("user_id"))
            .order_by("username")
            .distinct()
        )
        self.fields["user"].queryset = accounts
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"
        if self.instance.pk:
            tags = list(self.instance.tags.all())
            self.initial["field_tags"] = [t for t in tags if t.kind == Tag.Kind.FIELD]
            self.initial["expertise_tags"] = [t for t in tags if t.kind == Tag.Kind.EXPERTISE]
            self.inactive_tags = [t for t in tags if not t.is_active]
        else:
            self.inactive_tags = []

    def clean_phone(self):
        # The same rule as the import, so that an exported roster imports back.
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_PATTERN.match(phone):
            raise forms.ValidationError("电话号码只能包含数字、“-”、“+”、括号和空格，至少 5 位。")
        return phone

    def clean(self):
        cleaned = super().clean()
        department, section = cleaned.get("department"), cleaned.get("section")
        if section and department and section.department_id != department.pk:
            self.add_error("section", "所选科室不属于所选部门。")
        start, end = cleaned.get("card_valid_from"), cleaned.get("card_valid_to")
        if start and end and end < start:
            self.add_error("card_valid_to", "有效期至不能早于有效期自。")
        return cleaned

    def tags(self) -> list[Tag]:
        # Retired tags are not offered, but an inspector keeps those they already carry.
        return [
            *self.cleaned_data["field_tags"],
            *self.cleaned_data["expertise_tags"],
            *self.inactive_tags,
        ]

    def record_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=Inspector.Status.choices)
    starts_on = forms.DateField(label="生效日期", widget=DateInput())
    ends_on = forms.DateField(
        label="截止日期",
        required=False,
        widget=DateInput(),
        help_text="休假、培训必填（含当日）；借调可不填；调离、退休不填。",
    )
    reason = forms.CharField(
        label="原因", max_length=200, widget=forms.TextInput(attrs={"placeholder": "如：年休假"})
    )


class CancelPeriodForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=200)


class InspectorFilterForm(FilterForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "姓名或执法证号"}),
    )
    department = forms.ModelChoiceField(
        label="部门", required=False, queryset=Department.objects.all(), empty_label="全部部门"
    )
    section = forms.ModelChoiceField(
        label="科室",
        required=False,
        queryset=Section.objects.select_related("department"),
        empty_label="全部科室",
    )
    status = forms.ChoiceField(
        label="当前状态",
        required=False,
        choices=[
            ("", "全部状态"),
            (selectors.SERVING, "在职（调离、退休除外）"),
            *Inspector.Status.choices,
        ],
    )
    tag = forms.ModelChoiceField(
        label="标签", required=False, queryset=Tag.objects.all(), empty_label="全部标签"
    )
    expiring = forms.BooleanField(label="证件 30 天内到期或已过期", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].label_from_instance = section_label
        self.fields["tag"].label_from_instance = lambda t: f"{t.get_kind_display()}：{t.name}"


class BulkTagForm(forms.Form):
    inspectors = forms.ModelMultipleChoiceField(
        label="执法人员",
        queryset=Inspector.objects.all(),
        error_messages={"required": "请先勾选执法人员。"},
    )
    add = forms.ModelMultipleChoiceField(
        label="添加标签", required=False, queryset=Tag.objects.filter(is_active=True)
    )
    remove = forms.ModelMultipleChoiceField(
        label="移除标签", required=False, queryset=Tag.objects.all()
    )

    def clean(self):
        cleaned = super().clean()
        add, remove = cleaned.get("add"), cleaned.get("remove")
        if add is not None and remove is not None:
            if not add and not remove:
                raise forms.ValidationError("请选择要添加或移除的标签。")
            if set(add) & set(remove):
                raise forms.ValidationError("同一个标签不能同时添加和移除。")
        return cleaned


class ReconciliationUploadForm(forms.Form):
    file = forms.FileField(
        label="司法局执法人员数据库导出文件",
        help_text="支持 .xlsx 或 .csv，列与名录库导入相同（第一行为列标题）。",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )


class LineFilterForm(FilterForm):
    state = forms.ChoiceField(
        label="处理情况",
        required=False,
        choices=[("", "全部"), ("open", "待处理"), ("resolved", "已处理")],
    )
    kind = forms.ChoiceField(
        label="差异类型", required=False, choices=[("", "全部"), *ReconciliationLine.Kind.choices]
    )


class LineResolveForm(forms.Form):
    action = forms.ChoiceField(label="处理方式", widget=forms.RadioSelect)
    effective_on = forms.DateField(label="调离/退休生效日期", required=False, widget=DateInput())
    note = forms.CharField(
        label="处理说明",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="选择“不需处理”时必填，例如：新办证，司法局库尚未更新。",
    )

    def __init__(self, *args, line: ReconciliationLine, **kwargs):
        super().__init__(*args, **kwargs)
        actions = ACTIONS[line.kind]
        self.fields["action"].choices = [(key, label) for key, (label, _r) in actions.items()]
        if not any(key in ("transfer", "retire") for key in actions):
            del self.fields["effective_on"]

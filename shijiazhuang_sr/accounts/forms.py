from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import Group

from shijiazhuang_sr.accounts.models import User
from shijiazhuang_sr.accounts.roles import Role
from shijiazhuang_sr.core.forms import FilterForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续输错 5 次，账号将被锁定 15 分钟。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }


class RolesField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Group.objects.filter(name__in=Role.values).order_by("name"),
            widget=forms.CheckboxSelectMultiple,
            label="角色",
            to_field_name="name",
            **kwargs,
        )


class _PasswordPairMixin:
    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "两次输入的密码不一致。")
        elif first:
            try:
                password_validation.validate_password(first, self.user_for_password())
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class UserProfileForm(forms.ModelForm):
    roles = RolesField(required=False)

    class Meta:
        model = User
        fields = ["full_name", "department", "section", "email", "phone"]

    def clean(self):
        cleaned = super().clean()
        department, section = cleaned.get("department"), cleaned.get("section")
        if section and department and section.department_id != department.pk:
            self.add_error("section", "所选科室不属于所选部门。")
        return cleaned


class UserCreateForm(_PasswordPairMixin, UserProfileForm):
    username = forms.CharField(label="用户名", max_length=150)
    password1 = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(render_value=True),
        help_text=(
            "至少 8 位，包含大写字母、小写字母、数字、特殊符号中的至少 3 类；用户首次登录须修改。"
        ),
    )
    password2 = forms.CharField(label="确认初始密码", widget=forms.PasswordInput(render_value=True))

    class Meta(UserProfileForm.Meta):
        fields = ["username", *UserProfileForm.Meta.fields]

    field_order = [
        "username",
        "full_name",
        "department",
        "section",
        "email",
        "phone",
        "roles",
        "password1",
        "password2",
    ]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("该用户名已被使用。")
        return username

    def user_for_password(self):
        return User(
            username=self.cleaned_data.get("username", ""),
            full_name=self.cleaned_data.get("full_name", ""),
        )


class UserEditForm(UserProfileForm):
    class Meta(UserProfileForm.Meta):
        fields = [*UserProfileForm.Meta.fields, "is_active"]
        labels = {"is_active": "账号启用"}


class PasswordResetByAdminForm(_PasswordPairMixin, forms.Form):
    password1 = forms.CharField(label="临时密码", widget=forms.PasswordInput)
    password2 = forms.CharField(label="确认临时密码", widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def user_for_password(self):
        return self.user


class OwnPasswordChangeForm(_PasswordPairMixin, forms.Form):
    old_password = forms.CharField(label="当前密码", widget=forms.PasswordInput)
    password1 = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput,
        help_text="至少 8 位，包含大写字母、小写字母、数字、特殊符号中的至少 3 类。",
    )
    password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def user_for_password(self):
        return self.user

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError("当前密码不正确。")
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") == cleaned.get("old_password"):
            self.add_error("password1", "新密码不能与当前密码相同。")
        return cleaned


class UserFilterForm(FilterForm):
    q = forms.CharField(
        label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "用户名或姓名"})
    )
    role = forms.ChoiceField(
        label="角色", required=False, choices=[("", "全部角色"), *Role.choices]
    )
    locked = forms.BooleanField(label="仅看被锁定", required=False)
    must_change = forms.BooleanField(label="仅看未改初始密码", required=False)
    inactive = forms.BooleanField(label="含已停用", required=False)

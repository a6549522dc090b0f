from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shijiazhuang_sr.accounts import selectors, services
from shijiazhuang_sr.accounts.forms import (
    LoginForm,
    OwnPasswordChangeForm,
    PasswordResetByAdminForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from shijiazhuang_sr.accounts.models import User
from shijiazhuang_sr.core.access import staff_required
from shijiazhuang_sr.core.pagination import paginate


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_POST
def logout(request):
    return auth_views.LogoutView.as_view()(request)


@staff_required()
def password_change(request):
    form = OwnPasswordChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_change_own_password(
            user=request.user, password=form.cleaned_data["password1"]
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改。")
        return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form})


@staff_required("accounts.view_user")
def user_list(request):
    filters = UserFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    page = paginate(request, selectors.user_list(**criteria))
    return render(
        request,
        "accounts/user_list.html",
        {
            "filters": filters,
            "page": page,
            "locked": selectors.locked_usernames(),
        },
    )


@staff_required("accounts.add_user")
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_create(
            by=request.user,
            username=data["username"],
            password=data["password1"],
            roles=[group.name for group in data["roles"]],
            **{name: data[name] for name in UserCreateForm.Meta.fields if name != "username"},
        )
        messages.success(request, f"账号 {user.username} 已创建，用户首次登录须修改密码。")
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "title": "新建账号"})


def _user_for_admin(pk) -> User:
    return get_object_or_404(User, pk=pk)


@staff_required("accounts.change_user")
def user_edit(request, pk):
    user = _user_for_admin(pk)
    form = UserEditForm(request.POST or None, instance=user, initial={"roles": user.groups.all()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if user == request.user and not data["is_active"]:
            form.add_error("is_active", "不能停用自己的账号。")
        else:
            services.user_update(
                by=request.user,
                user=User.objects.get(pk=user.pk),
                roles=[group.name for group in data["roles"]],
                **{name: data[name] for name in UserEditForm.Meta.fields},
            )
            messages.success(request, f"账号 {user.username} 已保存。")
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "title": f"编辑账号 {user.username}", "subject": user},
    )


@staff_required("accounts.change_user")
def user_reset_password(request, pk):
    user = _user_for_admin(pk)
    form = PasswordResetByAdminForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.user_reset_password(
            by=request.user, user=user, password=form.cleaned_data["password1"]
        )
        messages.success(request, f"已为 {user.username} 设置临时密码，用户下次登录须修改。")
        return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "title": f"重置 {user.username} 的密码", "subject": user},
    )


@staff_required("accounts.change_user")
@require_POST
def user_unlock(request, pk):
    user = _user_for_admin(pk)
    services.user_unlock(by=request.user, user=user)
    messages.success(request, f"账号 {user.username} 已解锁。")
    return redirect("accounts:user_list")

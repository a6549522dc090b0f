from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shijiazhuang_sr.accounts"
    label = "accounts"
    verbose_name = "用户与角色"

    def ready(self):
        # Login, logout, failed-login and lock-out events go to the audit trail.
        from shijiazhuang_sr.accounts import signals  # noqa: F401

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shijiazhuang_sr.core"
    label = "core"
    verbose_name = "平台"

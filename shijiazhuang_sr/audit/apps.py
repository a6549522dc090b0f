from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "shijiazhuang_sr.audit"
    label = "audit"
    verbose_name = "审计日志"

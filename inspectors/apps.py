from django.apps import AppConfig


class InspectorsConfig(AppConfig):
    name = "inspectors"
    verbose_name = "执法人员名录库"

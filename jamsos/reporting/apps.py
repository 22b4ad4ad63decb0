from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "jamsos.reporting"
    label = "reporting"

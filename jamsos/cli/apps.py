from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "jamsos.cli"
    label = "cli"

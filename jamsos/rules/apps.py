from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "jamsos.rules"
    label = "rules"

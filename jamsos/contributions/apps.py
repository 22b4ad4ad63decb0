from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "jamsos.contributions"
    label = "contributions"

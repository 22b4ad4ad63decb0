from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "jamsos.benefits"
    label = "benefits"

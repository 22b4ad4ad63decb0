from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jamsos.core"
    label = "core"

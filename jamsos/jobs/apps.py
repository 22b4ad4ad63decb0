from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jamsos.jobs"
    label = "jobs"

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jamsos.notifications"
    label = "notifications"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jamsos.accounts"
    label = "accounts"

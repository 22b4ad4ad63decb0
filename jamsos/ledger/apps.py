from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "jamsos.ledger"
    label = "ledger"

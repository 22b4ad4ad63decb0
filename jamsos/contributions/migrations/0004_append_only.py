from django.db import migrations

from jamsos.core.appendonly import append_only_triggers, append_only_triggers_reinstalled

TABLES = [
    "contributions_billadjustment",
    "contributions_finecharge",
    "contributions_payment",
    "contributions_allocation",
    "contributions_jhtentry",
    "contributions_citation",
]


class Migration(migrations.Migration):
    dependencies = [("contributions", "0003_payments_ledger_jht")]

    operations = [migrations.RunPython(*append_only_triggers(table)) for table in TABLES] + [
        # 0003 altered columns of bill lines: SQLite rebuilt the table without its triggers.
        migrations.RunPython(*append_only_triggers_reinstalled("contributions_billline"))
    ]

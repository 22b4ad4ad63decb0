from django.db import migrations

from jamsos.core.appendonly import append_only_triggers, append_only_triggers_reinstalled

TABLES = [
    "contributions_billadjustment",
    "contributions_finecharge",
    "contributions_payment",
    "contributions_allocation",
    "contributions_jhtentry",
    "contributions_bpucover",
]


class Migration(migrations.Migration):
    dependencies = [("contributions", "0004_ledger_links")]

    operations = [migrations.RunPython(*append_only_triggers(table)) for table in TABLES] + [
        # 0003 altered a column of bill lines: SQLite rebuilt the table without its triggers.
        migrations.RunPython(*append_only_triggers_reinstalled("contributions_billline"))
    ]

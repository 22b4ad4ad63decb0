from django.db import migrations

from jamsos.core.appendonly import append_only_triggers
from jamsos.ledger import triggers


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(*append_only_triggers("ledger_posting")),
        migrations.RunPython(*append_only_triggers("ledger_leg")),
        migrations.RunPython(triggers.install, triggers.remove),
    ]

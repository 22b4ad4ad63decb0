from django.db import migrations

from jamsos.core.appendonly import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("benefits", "0008_stmb_months")]

    operations = [migrations.RunPython(*append_only_triggers("benefits_payout"))]

from django.db import migrations, models

from jamsos.core.appendonly import append_only_triggers_reinstalled


class Migration(migrations.Migration):
    dependencies = [("core", "0002_auditevent_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="origin",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The client address of the request, or the command line.",
                max_length=64,
                verbose_name="from where",
            ),
        ),
        # SQLite may rebuild the table to add the column; the rebuilt table needs its triggers.
        migrations.RunPython(*append_only_triggers_reinstalled("core_auditevent")),
    ]

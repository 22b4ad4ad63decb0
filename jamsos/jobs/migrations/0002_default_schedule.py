from django.db import migrations
from django.utils import timezone

DEFAULT_SCHEDULE = [
    # name, kind, every, month, day, hour, minute (head office time, WIB)
    ("billing-monthly", "billing_run", "month", None, 1, 1, 0),
    ("payroll-monthly", "payroll", "month", None, 1, 3, 0),
    ("reports-nightly", "report_refresh", "day", None, None, 2, 0),
    ("bpu-reminders-daily", "bpu_remind", "day", None, None, 7, 0),
    ("jht-returns-yearly", "jht_returns", "year", 1, 2, 4, 0),
]


def seed(apps, schema_editor):
    Schedule = apps.get_model("jobs", "Schedule")
    now = timezone.now()
    for name, kind, every, month, day, hour, minute in DEFAULT_SCHEDULE:
        Schedule.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "every": every,
                "month": month,
                "day": day,
                "hour": hour,
                "minute": minute,
                "time_zone": "Asia/Jakarta",
                "active_from": now,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

from django.db import migrations

from jamsos.registry.regions import load_regions


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_regions")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]

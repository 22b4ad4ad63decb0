"""Recompute the stored name keys now that the key drops academic titles and honorifics
("Budi Santoso, S.E." and "Dr. Budi Santoso" are "budi santoso"): only names with a comma,
a dot or a title word can change, and only changed rows are written."""

from django.db import migrations
from django.db.models import Q

BATCH = 2000


def recompute(apps, schema_editor):
    from jamsos.registry.enrolment import PREFIX_TITLES, SUFFIX_TITLES, name_key

    Person = apps.get_model("registry", "Person")
    words = sorted(PREFIX_TITLES | SUFFIX_TITLES)
    may_change = Q(full_name__contains=",") | Q(full_name__contains=".")
    for word in words:
        may_change |= Q(full_name__istartswith=f"{word} ") | Q(full_name__iendswith=f" {word}")
    changed = []
    for person in Person.objects.filter(may_change).only("pk", "full_name", "name_key").iterator(
        chunk_size=BATCH
    ):
        key = name_key(person.full_name)[:100]
        if key != person.name_key:
            person.name_key = key
            changed.append(person)
        if len(changed) >= BATCH:
            Person.objects.bulk_update(changed, ["name_key"])
            changed = []
    if changed:
        Person.objects.bulk_update(changed, ["name_key"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0014_wage_reporter_and_link_codes")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]

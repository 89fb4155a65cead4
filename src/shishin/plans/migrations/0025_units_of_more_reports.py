from importlib import import_module

from django.db import migrations

# The same step as 0014's, for the units shipped since (団地, 着, 区域, か国, 軒, 大学, 分団, 種類, 秒…): it adds what is
# missing.
shipped = import_module("shishin.plans.migrations.0014_ranges_and_units")


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0024_council_assessment"),
    ]

    operations = [
        migrations.RunPython(shipped.add_shipped_units, migrations.RunPython.noop),
    ]

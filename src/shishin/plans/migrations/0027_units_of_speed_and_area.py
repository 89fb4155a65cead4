from importlib import import_module

from django.db import migrations

# The same step as 0014's, for the units shipped since (km2, as ㎢ and km² are written; km/h): it adds what is missing.
shipped = import_module("shishin.plans.migrations.0014_ranges_and_units")


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0026_units_of_area"),
    ]

    operations = [
        migrations.RunPython(shipped.add_shipped_units, migrations.RunPython.noop),
    ]

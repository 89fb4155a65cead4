from importlib import import_module

from django.db import migrations

# The same step as 0014's, for the units shipped since (袋, 体, チーム, 会員, 経営体, 平方メートル, ‰…).
shipped = import_module("shishin.plans.migrations.0014_ranges_and_units")


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0017_organisation_and_mail"),
    ]

    operations = [
        migrations.RunPython(shipped.add_shipped_units, migrations.RunPython.noop),
    ]

from __future__ import annotations

from typing import Any

from django.db import migrations

from shishin.lib.quantities import DEFAULT_UNITS


def add_default_units(apps: Any, schema_editor: Any) -> None:
    Unit = apps.get_model("plans", "Unit")
    for name, label in DEFAULT_UNITS.items():
        Unit.objects.get_or_create(name=name, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_indicators")]
    operations = [migrations.RunPython(add_default_units, migrations.RunPython.noop)]

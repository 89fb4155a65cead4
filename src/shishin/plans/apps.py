from __future__ import annotations

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "shishin.plans"
    verbose_name = "指針と取組み"

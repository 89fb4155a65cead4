from __future__ import annotations

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "shishin.plans"
    verbose_name = "指針と取組み"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy checks)

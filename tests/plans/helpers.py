from __future__ import annotations

import io
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command


def run(*args: str) -> tuple[int, str, str]:
    """Run a shishin command in-process; return its exit status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def snapshot() -> dict[str, list[Any]]:
    """Every row of every Shishin table, to show that a command wrote nothing."""
    return {
        model.__name__: list(model._default_manager.order_by("pk").values())
        for model in apps.get_app_config("plans").get_models()
    }


def export(year: int = 2018, *extra: str) -> bytes:
    status, out, err = run("export", "--year", str(year), "--format", "text", *extra)
    if status:
        pytest.fail(err)
    return out.encode("utf-8")

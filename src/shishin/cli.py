"""The ``shishin`` command: Shishin's own commands and every Django management command."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shishin.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["shishin", *(sys.argv[1:] if argv is None else argv)])
    except ImproperlyConfigured as err:  # a bad setting (DATABASE_URL, SHISHIN_…): what, not a traceback
        print(f"shishin: 設定が正しくありません: {err}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()

from __future__ import annotations

import sys
from typing import NoReturn

from django.core.management.base import BaseCommand

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class ShishinCommand(BaseCommand):
    """A command whose errors are plain lines on standard error with a meaningful exit status."""

    def fail(self, message: str, status: int = EXIT_BAD_INPUT) -> NoReturn:
        # Not CommandError: Django would prefix "CommandError: " to the one-line PATH:LINE:COL format.
        self.stderr.write(message)
        sys.exit(status)

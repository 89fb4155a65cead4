"""The whole API, served at /api/: public reads and the departments' records (`views`), and the
administrator's year and people's API keys (`years`)."""

from __future__ import annotations

from . import years  # noqa: F401  (its routes are on `api`)
from .views import api

__all__ = ["api"]

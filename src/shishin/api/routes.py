"""The whole API, served at /api/: public reads and the departments' records (`views`), and the
administrator's year and people's API keys (`years`), a plan from nothing (`founding`),
departments' workbooks (`workbooks`), people's accounts (`people`), indicators' targets (`targets`)."""

from __future__ import annotations

from . import council, founding, people, targets, workbooks, years  # noqa: F401  (their routes are on `api`)
from .views import api

__all__ = ["api"]

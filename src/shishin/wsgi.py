from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shishin.settings")
django_application = get_wsgi_application()

from shishin.web.front import Remembered  # noqa: E402  (reads Django's settings: after the setup)

application = Remembered(django_application)

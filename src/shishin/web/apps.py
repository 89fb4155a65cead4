from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "shishin.web"
    verbose_name = "公開ページ"

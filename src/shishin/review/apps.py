from __future__ import annotations

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "shishin.review"
    verbose_name = "点検と比較"

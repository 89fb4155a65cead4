"""`shishin check --deploy`: what a production server needs for its mail to reach people and work."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def mail_settings(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Links in mail must point at the site, and mail must come from an address people can answer."""
    found = []
    if urlsplit(settings.SITE_URL).hostname in ("127.0.0.1", "localhost", None):
        found.append(
            Warning(
                f"メールのリンクが {settings.SITE_URL} を指しています（招待・照会・督促のリンクが開けません）",
                hint="SHISHIN_SITE_URL に職員が開くアドレス（https://…）を設定してください",
                id="shishin.W001",
            )
        )
    if settings.DEFAULT_FROM_EMAIL.endswith("@localhost"):
        found.append(
            Warning(
                f"メールの差出人が {settings.DEFAULT_FROM_EMAIL} です（返信できず、迷惑メールとされがちです）",
                hint="SHISHIN_EMAIL_FROM に地域安全課などのアドレスを設定してください",
                id="shishin.W002",
            )
        )
    return found

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.utils.cache import patch_vary_headers

from shishin.plans.editions import current_key


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy of settings.CONTENT_SECURITY_POLICY (Django 5.2 has none built in)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class RefuseNulMiddleware:
    """Answer 400 to a query or form value holding a NUL character, which PostgreSQL cannot store
    (the views read request.GET and request.POST directly). The API's schema answers 422 itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # The refusal does not pass through the layers after this one, X-Frame-Options among them.
        self.frame_options = XFrameOptionsMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/api/"):
            values = [*request.GET.lists(), *request.POST.lists()]
            if any("\x00" in key or any("\x00" in v for v in found) for key, found in values):
                refusal = HttpResponse(
                    "入力に NUL 文字（U+0000）は使えません", status=400, content_type="text/plain; charset=utf-8"
                )
                return self.frame_options.process_response(request, refusal)
        return self.get_response(request)


REPORT_PAGE = re.compile(r"^/plans/(?P<plan>[0-9]+)/years/(?P<year>[0-9]+)/$")
# How long the cache trusts its note of a year's current edition without the database (a new
# edition rewrites the note as soon as it is published; this bounds a race with a page being drawn).
CURRENT_EDITION_SECONDS = 300


def report_page_key(plan_id: int, year: int, edition: int) -> str:
    return f"report-page:{plan_id}:{year}:{edition}"


class CachedReportPageMiddleware:
    """Answer a visitor's request for a report page from the cache, before the session,
    authentication and CSRF layers: the most read page costs a cache read and nothing else.

    The cache, shared by every worker, holds each edition's page (editions never change) and which
    edition is current; each worker also remembers what it answered for a while (`shishin.web.front`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.frame_options = XFrameOptionsMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = REPORT_PAGE.match(request.path_info)
        if match and request.method == "GET" and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            plan, year = int(match["plan"]), int(match["year"])
            number = cache.get(current_key(plan, year))
            cached = cache.get(report_page_key(plan, year, number)) if number is not None else None
            if cached is not None:
                return self.answer(request, cached)
        return self.get_response(request)

    def answer(self, request: HttpRequest, content: bytes) -> HttpResponse:
        """The cached page with the headers the layers after this one give the rendered page (the
        layers before it, security and CSP, add theirs to both): a visitor cannot tell the two apart."""
        response = HttpResponse(content)
        response.headers["Content-Length"] = str(len(content))  # CommonMiddleware
        response.headers["Content-Language"] = settings.LANGUAGE_CODE  # LocaleMiddleware: the only language
        patch_vary_headers(response, ("Accept-Language", "Cookie"))  # LocaleMiddleware, SessionMiddleware
        return self.frame_options.process_response(request, response)  # X-Frame-Options

"""What visitors read most, answered before Django: a public page or an edition's file just given.

Building Django's request, sending its signals and passing the middleware layers costs more than
writing bytes already made, and a published edition never changes. `Remembered` wraps the WSGI
application and keeps, in each worker's memory, the whole answer (status, headers, body) Django
gave a visitor — no session or message cookie — for a report page, an edition's page or file, the
index, a measure's or a department's page or a year's changes, and gives it again:

- a numbered edition's file (``…/editions/N/report.pdf``) for good: its bytes never change;
- anything else (the current edition's page and files, an edition's page, which says when a newer
  one exists, the other pages) for settings.REPORT_PAGE_MEMORY_SECONDS, after which Django is asked
  again (and answers a report page from the shared cache, `CachedReportPageMiddleware`, or from the
  edition). A page drawn for each visitor costs 15–25 ms of a worker; a page remembered, a fraction
  of one: heavy requests (search, the number reader) cannot hold up what most visitors read.

Only 200 answers that set no cookie are kept, at most MAX_ANSWERS, the oldest dropped first.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import parse_cookie

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

READ_MOST = re.compile(
    r"^/plans/[0-9]+/years/[0-9]+/(?:(?P<edition>editions/[0-9]+/)?(?P<file>report\.[a-z]+))?$"
    r"|^/plans/[0-9]+/years/[0-9]+/(?:editions/[0-9]+|changes)/$"
    r"|^/plans/[0-9]+/(?:measures|departments)/[0-9]+/$"
    r"|^/$"
)


@dataclass(frozen=True)
class _Answer:
    at: float
    forever: bool
    status: str
    headers: list[tuple[str, str]]
    body: bytes


class Remembered:
    MAX_ANSWERS = 256

    def __init__(self, application: WSGIApp) -> None:
        self.application = application
        self.memory: dict[str, _Answer] = {}
        self.writing = threading.Lock()  # a worker's threads share its memory (gunicorn --threads)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        match = READ_MOST.match(path)
        if (
            match is None
            or environ.get("REQUEST_METHOD") != "GET"
            or environ.get("QUERY_STRING")
            or _signed_in(environ)
        ):
            return self.application(environ, start_response)
        now = time.monotonic()
        known = self.memory.get(path)
        if known is not None and (known.forever or now - known.at < settings.REPORT_PAGE_MEMORY_SECONDS):
            start_response(known.status, known.headers)
            return [known.body]
        given: list[Any] = []

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            given[:] = [status, headers]
            return start_response(status, headers, exc_info)

        answer = self.application(environ, keep)
        try:
            body = b"".join(answer)
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()  # Django's request_finished
        status, headers = given
        if status.startswith("200 ") and not any(name.lower() == "set-cookie" for name, _ in headers):
            forever = bool(match["edition"] and match["file"])
            with self.writing:
                if len(self.memory) >= self.MAX_ANSWERS:
                    self.memory.pop(next(iter(self.memory)))
                self.memory[path] = _Answer(now, forever, status, list(headers), body)
        return [body]


def _signed_in(environ: dict[str, Any]) -> bool:
    """Whether the request carries a session or a pending message: then its answer is its own."""
    cookies = environ.get("HTTP_COOKIE")
    if not cookies:
        return False
    names = parse_cookie(cookies)
    return settings.SESSION_COOKIE_NAME in names or CookieStorage.cookie_name in names

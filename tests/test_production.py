"""Production settings: `shishin check --deploy` is clean with the documented variables; security headers."""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

SHISHIN = str(Path(sys.executable).parent / "shishin")


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SHISHIN, *args], env=env, capture_output=True, text=True, timeout=120, check=False)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SHISHIN_", "DATABASE_URL", "DJANGO_"))}
    return {**clean, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **extra}


def test_the_deploy_check_is_clean_with_the_documented_variables(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        SHISHIN_SECRET_KEY=secrets.token_urlsafe(50),
        SHISHIN_HTTPS="1",
        SHISHIN_ALLOWED_HOSTS="shishin.example.jp",
        SHISHIN_EMAIL_FROM="anzen@city.example.jp",
    )
    result = _run("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    # Served over HTTPS, mail links to the first allowed host unless SHISHIN_SITE_URL says otherwise.
    said = _run("shell", "-c", "from django.conf import settings; print(settings.SITE_URL)", env=env)
    assert said.stdout.splitlines()[-1] == "https://shishin.example.jp"


def test_the_deploy_check_names_what_is_missing(tmp_path: Path) -> None:
    result = _run("check", "--deploy", "--fail-level", "WARNING", env=_env(tmp_path))
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout  # the development secret key
    assert "shishin.W001" in result.stderr + result.stdout  # links in mail to 127.0.0.1
    assert "shishin.W002" in result.stderr + result.stdout  # mail from shishin@localhost


@pytest.mark.django_db
def test_pages_send_the_security_headers(client: Client) -> None:
    response = client.get("/")
    assert response["Content-Security-Policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_https_settings_redirect_and_send_hsts(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/', secure=False); print(r.status_code, r['Location']); "
        "r = Client().get('/', secure=True); print(r.status_code, r['Strict-Transport-Security']); "
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    env = _env(
        tmp_path, SHISHIN_HTTPS="1", SHISHIN_ALLOWED_HOSTS="testserver", DJANGO_SETTINGS_MODULE="shishin.settings"
    )
    subprocess.run([SHISHIN, "migrate", "-v0"], env=env, check=True, timeout=120)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.splitlines() == [
        "301 https://testserver/",
        "200 max-age=31536000; includeSubDomains; preload",
        "True True",
    ], result.stderr


# A request that fails on the server, made inside `shishin shell` as a production process would serve it.
FAILING_REQUEST = (
    "from django.test import Client\n"
    "from shishin.web import views\n"
    "def broken(*args, **kwargs): raise ZeroDivisionError('forced for the test')\n"
    "views.search.search = broken\n"
    "answer = Client(raise_request_exception=False, SERVER_NAME='localhost').get('/search/?q=x')\n"
    "print(answer.status_code)\n"
    "print(answer.content.decode())\n"
)


def test_a_server_error_is_logged_to_stderr_as_a_json_line(tmp_path: Path) -> None:
    import json

    result = _run("shell", "--no-imports", "-c", FAILING_REQUEST, env=_env(tmp_path))
    assert result.stdout.startswith("500")
    logged = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    error = next(line for line in logged if line["level"] == "ERROR")
    assert (error["logger"], error["method"], error["path"], error["status"]) == (
        "django.request",
        "GET",
        "/search/",
        500,
    )
    assert "ZeroDivisionError: forced for the test" in error["exception"]


def test_the_debug_page_does_not_show_the_database_password(tmp_path: Path) -> None:
    env = _env(tmp_path, SHISHIN_DEBUG="1", DATABASE_URL="postgres://shishin:hunter2@127.0.0.1:9/shishin")
    result = _run("shell", "--no-imports", "-c", FAILING_REQUEST, env=env)
    assert result.stdout.startswith("500") and "forced for the test" in result.stdout  # the debug page
    assert "hunter2" not in result.stdout


def test_gunicorn_answers_the_number_reader_within_its_limits(tmp_path: Path, migrated: str) -> None:
    """As `make serve-prod` runs it (2 processes × 4 threads): the worst text for the old reader (digits
    with no unit; 1 KB took it 33 s) is read, a text past the limit refused, and one address is
    answered 429 past its rate, counted across the processes."""
    import json
    import socket
    import time
    import urllib.error
    import urllib.request

    from .helpers import new_database

    with new_database(tmp_path, "served", template=migrated) as url, socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        env = _env(tmp_path, DATABASE_URL=url, SHISHIN_DATA_DIR=str(tmp_path / "var"))
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        command = [gunicorn, "shishin.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4"]
        server = subprocess.Popen(command, env=env, cwd=tmp_path, stderr=subprocess.DEVNULL)
        try:

            def post(text: str) -> tuple[int, dict[str, object]]:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/extract",
                    data=json.dumps({"text": text}).encode(),
                    headers={"Content-Type": "application/json"},
                )
                try:
                    with urllib.request.urlopen(request, timeout=30) as answer:
                        return answer.status, json.loads(answer.read())
                except urllib.error.HTTPError as refused:
                    return refused.code, json.loads(refused.read())

            for _ in range(100):
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
                time.sleep(0.1)
            # The rate is counted per clock minute: begin in a minute with time left for the 61 calls.
            if (left := 60 - time.time() % 60) < 15:
                time.sleep(left + 0.1)
            assert post("1" * 9_999 + "x") == (200, {"indicators": [], "dates": []})
            assert post("あ" * 10_001)[0] == 422
            answers = [post("車両数 15台")[0] for _ in range(60)]
            # 60 a minute: the reading above counted, the text refused by the schema not.
            assert answers == [200] * 59 + [429]
        finally:
            server.terminate()
            server.wait(timeout=20)


def test_a_server_error_is_mailed_to_the_administrators(tmp_path: Path) -> None:
    """With SHISHIN_ADMINS and an SMTP server set, each server error reaches them (a real SMTP server)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list[Any] = []

    class Kept(Message):
        def handle_message(self, message: Any) -> None:
            received.append(message)

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(Kept(), hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        env = _env(
            tmp_path,
            SHISHIN_ADMINS="anzen@city.example.jp, jouhou@city.example.jp",
            SHISHIN_EMAIL_HOST="127.0.0.1",
            SHISHIN_EMAIL_PORT=str(port),
            SHISHIN_EMAIL_FROM="shishin@city.example.jp",
        )
        result = _run("shell", "--no-imports", "-c", FAILING_REQUEST, env=env)
        assert result.stdout.startswith("500"), result.stderr
    finally:
        smtp.stop()
    (mail,) = received
    assert mail["To"] == "anzen@city.example.jp, jouhou@city.example.jp" and mail["From"] == "shishin@city.example.jp"
    assert "Internal Server Error: /search/" in mail["Subject"]
    parts = mail.walk() if mail.is_multipart() else [mail]
    text = "".join(part.get_payload(decode=True).decode() for part in parts if not part.is_multipart())
    assert "ZeroDivisionError at /search/" in text and "forced for the test" in text

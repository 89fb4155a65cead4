"""Django settings, configured from the environment (README: Configuration)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets admin classes and querysets take type parameters at run time, as django-stubs wants.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected 1/0, true/false, yes/no or on/off")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from None


def _database(url: str) -> dict[str, object]:
    shown = re.sub(r"(?<=:)[^:@/]*(?=@)", "***", url)  # never the password, in a message or a log
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as err:
        raise ImproperlyConfigured(f"DATABASE_URL={shown!r}: {err}") from err
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"DATABASE_URL={shown!r}: expected sqlite:///PATH or postgres://USER@HOST:PORT/NAME")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # A transaction takes SQLite's write lock when it begins, so that two writers at once (two imports
        # of a file, a save during an import) wait for each other — up to 30 s — instead of one failing
        # with "database is locked" when it first writes.
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 30}
    return config


DEBUG = envbool("SHISHIN_DEBUG", False)
# The fallback key is for a development machine only; production sets SHISHIN_SECRET_KEY
# (`shishin check --deploy` reports the fallback as insecure).
SECRET_KEY = os.environ.get("SHISHIN_SECRET_KEY") or "django-insecure-shishin-development-key"
# Served over HTTPS in production (SHISHIN_HTTPS=1): redirect http, HSTS, and trust the proxy's
# X-Forwarded-Proto when SHISHIN_BEHIND_PROXY=1.
HTTPS = envbool("SHISHIN_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = envint("SHISHIN_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS
if envbool("SHISHIN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Cookies only over HTTPS, except on a development machine (and `make demo`, which serves plain http).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SHISHIN_SECURE_COOKIES", HTTPS or not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Every page's scripts, styles and images come from the site itself.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
ALLOWED_HOSTS = [h for h in os.environ.get("SHISHIN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

DATA_DIR = Path(os.environ.get("SHISHIN_DATA_DIR", Path.cwd() / "var"))
# Lower case, so that it is no setting: Django's error page (SHISHIN_DEBUG=1) lists every setting, and
# hides passwords only in settings whose names say so (DATABASES' PASSWORD is hidden, a URL is not).
database_url = os.environ.get("DATABASE_URL", "")
if not database_url:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{DATA_DIR / 'shishin.sqlite3'}"
DATABASES = {"default": _database(database_url)}
del database_url
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shishin's and Django's log records at INFO and above, and any library's warnings, go to stderr (gunicorn passes it on) as one JSON object a line
# (`shishin.logs.JsonLines`); a server error is also mailed to SHISHIN_ADMINS (comma-separated
# addresses) when set.
ADMINS = [(address, address) for address in os.environ.get("SHISHIN_ADMINS", "").replace(" ", "").split(",") if address]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "shishin.logs.JsonLines"}},
    "filters": {"production": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json"},
        "mail_admins": {"level": "ERROR", "class": "django.utils.log.AdminEmailHandler", "filters": ["production"]},
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["stderr", "mail_admins"], "level": "INFO", "propagate": False},
        "shishin": {"level": "INFO"},
        # What WeasyPrint says of the screen styles it does not read (the PDF has its own) is no news.
        "weasyprint": {"level": "ERROR"},
    },
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "shishin.plans",
    "shishin.review",
    "shishin.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "shishin.web.middleware.ContentSecurityPolicyMiddleware",
    "shishin.web.middleware.CachedReportPageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "shishin.web.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns away sign-ins from a locked-out user and address.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "shishin.web.signin.AddressBackend",  # Django's, taking an e-mail address in any case
    "shishin.plans.permissions.AdministratorBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Five failed sign-ins lock the user and address pair for an hour.
# Five failed sign-ins to one account, from one address or from many, stop it for a while: 5 minutes,
# doubling with each further failure up to an hour (shishin.web.signin.cool_off), so that someone
# guessing from many addresses gets a few tries an hour, and the real user waits minutes, not a day.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = "shishin.web.signin.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "web:index"

ROOT_URLCONF = "shishin.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["shishin.web.templatetags.wareki"],
        },
    },
]
WSGI_APPLICATION = "shishin.wsgi.application"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Production may collect static files (SHISHIN_STATIC_ROOT, then `shishin collectstatic`);
# otherwise WhiteNoise serves them straight from the packages.
STATIC_ROOT = os.environ.get("SHISHIN_STATIC_ROOT") or None
# One stylesheet serves the web pages and the exports (which inline it).
STATICFILES_DIRS = [BASE_DIR / "report" / "assets"]
# WhiteNoise serves static files in every mode; with finders it needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Published editions' files. A folder by default; with SHISHIN_EDITIONS_S3_BUCKET, an S3-compatible
# object store, so that several application servers serve the same editions (README: Configuration).
EDITIONS_S3_BUCKET = os.environ.get("SHISHIN_EDITIONS_S3_BUCKET", "")
if EDITIONS_S3_BUCKET:
    _editions: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EDITIONS_S3_BUCKET,
            "endpoint_url": os.environ.get("SHISHIN_EDITIONS_S3_ENDPOINT") or None,
            "region_name": os.environ.get("SHISHIN_EDITIONS_S3_REGION") or None,
            "access_key": os.environ.get("SHISHIN_EDITIONS_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("SHISHIN_EDITIONS_S3_SECRET_KEY") or None,
            "location": "editions",
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": False,
        },
    }
else:
    _editions = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("SHISHIN_EDITIONS_DIR") or str(DATA_DIR / "editions")},
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "editions": _editions,
}

# E-mail (reminders): printed to the console unless an SMTP server is configured.
EMAIL_HOST = os.environ.get("SHISHIN_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("SHISHIN_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("SHISHIN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SHISHIN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("SHISHIN_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = SERVER_EMAIL = os.environ.get("SHISHIN_EMAIL_FROM", "shishin@localhost")
EMAIL_TIMEOUT = envint("SHISHIN_EMAIL_TIMEOUT", 30)
# Links in mail (invitations, requests, reminders) point here: the address people open Shishin at;
# served over HTTPS, the first allowed host unless set (`shishin check --deploy` warns of a default).
SITE_URL = os.environ.get("SHISHIN_SITE_URL") or (
    f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if HTTPS and ALLOWED_HOSTS else "http://127.0.0.1:8000"
)
# Mail is sent on a thread after the step that caused it commits (`shishin.plans.mail`); the tests
# send it on the committing thread, whose transaction the test database wraps.
SHISHIN_MAIL_IN_BACKGROUND = envbool("SHISHIN_MAIL_IN_BACKGROUND", True)
# `shishin remind` (daily, from cron) tells departments this many days before the deadline that it is near.
SHISHIN_REMIND_DAYS_BEFORE = envint("SHISHIN_REMIND_DAYS_BEFORE", 7)
if SHISHIN_REMIND_DAYS_BEFORE < 0:
    raise ImproperlyConfigured(f"SHISHIN_REMIND_DAYS_BEFORE={SHISHIN_REMIND_DAYS_BEFORE}: expected 0 or more days")
# An invitation link (a one-time link to set one's password) works this many seconds.
PASSWORD_RESET_TIMEOUT = envint("SHISHIN_INVITATION_SECONDS", 7 * 24 * 3600)

# Each worker keeps what it answered a visitor for a report page or the current edition's files this
# long (shishin.web.front): after a new edition is published the previous one may still be served for
# up to this many seconds. A numbered edition's files are kept for good.
REPORT_PAGE_MEMORY_SECONDS = 2.0
# Published report pages are cached whole, an edition's page under its number (an edition never
# changes); a file cache is shared by every gunicorn worker.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("SHISHIN_CACHE_DIR") or str(DATA_DIR / "cache"),
        "TIMEOUT": None,
    }
}

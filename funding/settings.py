"""Settings for the funding administration system, read from the environment.

Local development: ``DEBUG=1`` is enough (a throw-away secret key is generated per process).
Production: set ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``, and the HTTPS, file,
e-mail and cache variables that docs/deployment.md lists (example: deploy/funding.env.example).
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def email_settings(url: str) -> dict[str, str | int | bool]:
    """smtp://user:password@host:port?tls=1 or smtps://… (implicit TLS); {} when not set."""
    if not url:
        return {}
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(f"EMAIL_URL must start with smtp:// or smtps://, not {url!r}.")
    query = parse_qs(parts.query)
    return {
        "host": parts.hostname or "localhost",
        "port": parts.port or (465 if parts.scheme == "smtps" else 25),
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "tls": query.get("tls", ["0"])[0] in {"1", "true", "yes", "on"},
        "ssl": parts.scheme == "smtps",
    }


def cache_settings(url: str) -> dict[str, Any]:
    """db://TABLE (Django's database cache), redis://… or rediss://…, locmem://, dummy://."""
    parts = urlsplit(url)
    if parts.scheme == "db":
        table = parts.netloc or parts.path.lstrip("/")
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    if parts.scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if parts.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL must start with db://, redis://, rediss://, locmem:// or dummy://, not {url!r}."
    )


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "health_check",
    "simple_history",
    "rest_framework",
    "knox",
    "django_filters",
    "django_countries",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "programmes",
    "budgets",
    "applications",
    "competition",
    "correspondence",
    "disbursements",
    "change_requests",
    "monitoring",
    "statements",
    "reports",
    "notifications",
    "exports",
    "demo",
    # Operation: the cache table migration, /health/, the request log, the static-files check.
    "funding.ops",
    # Background tasks (django-tasks) with their queue in the default database (django-tasks-db).
    "django_tasks",
    "django_tasks_db",
    # Login protection (issue 13): axes counts failed logins in the database, django-otp keeps
    # the TOTP devices and recovery codes of the second factor.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    # First, so that its line covers every response, redirects and errors included.
    "funding.ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "funding.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as axes asks: it turns a lockout noticed during the request into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "funding.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "funding" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "funding.context_processors.portal",
                "notifications.context_processors.inbox",
            ],
        },
    },
]

WSGI_APPLICATION = "funding.wsgi.application"

# SQLite is the embedded default; DATABASE_URL=postgres://... switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in one style per language: "27 Feb 2015, 11:05" and "27.02.2015, 11:05".
FORMAT_MODULE_PATH = "funding.formats"
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` puts the files WhiteNoise serves; MEDIA_ROOT holds uploads, and the
# private root holds files that no URL serves (finished exports, documents on applications,
# receipts), handed out by views that check access. Both roots live outside STATIC_ROOT and
# outside any web server location.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "funding" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", BASE_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # base_url None: a file here has no URL at all.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Documents on an application (messages, outline): at most this many bytes each (20 MB).
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)))

# The portal's own login; the admin keeps its login page for the back office.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Production operation (issue 13): HTTPS, e-mail, cache, logs; docs/deployment.md --------------
# Login protection (issue 13) ----------------------------------------------------------------
# Failed logins on the portal, the admin and the API all pass through axes' backend and are
# counted in the database, so every worker and machine sees the same lockout. Locked by
# username alone: an attacker rotating addresses cannot go on guessing one account's password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the address too. Not here: behind a proxy every request shares its address
# until the proxy headers are set up, and a ministry's office shares one; and axes sums a
# username's failures over all its (address, browser) rows, so rotating browsers gains nothing.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# The lock lifts when the cool-off has passed since the failures, not since the last try.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "funding.accounts.lockout.lockout_response"
# Roles (kernel.roles.Role values) whose sessions and API logins need a second factor (TOTP);
# TWO_FACTOR=required turns it on for officers and auditors (docs: the production guide).
TWO_FACTOR_REQUIRED_ROLES: list[str] = (
    ["officer", "auditor"] if os.environ.get("TWO_FACTOR", "") == "required" else []
)
OTP_TOTP_ISSUER = "InterSpiN"
# Password reset links (issue 13) stay valid for one day.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto: opt in, since a client could send the
# header itself when no such proxy strips it.
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
# /health/ answers load balancers that probe over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")

# E-mail: EMAIL_URL (smtp://user:password@host:587?tls=1, smtps://… for implicit TLS) or the
# EMAIL_HOST/… variables; the console backend prints mails in the demo.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_email = email_settings(os.environ.get("EMAIL_URL", ""))
EMAIL_HOST = _email.get("host") or os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(_email.get("port") or os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = _email.get("user") or os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("password") or os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = bool(_email.get("tls")) or env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = bool(_email.get("ssl")) or env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Notifications (issue 14): the portal's address for links in e-mails, and the retries of an
# e-mail that failed (NOTIFICATION_RETRY_MINUTES, doubling, NOTIFICATION_MAX_ATTEMPTS in all).
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000")
NOTIFICATION_RETRY_MINUTES = int(os.environ.get("NOTIFICATION_RETRY_MINUTES", "5"))
NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "8"))

# One cache shared by every worker: by default a database table (created by `migrate`, see
# funding/ops/migrations), so no other server is needed; CACHE_URL=redis://… for Redis.
CACHES = {"default": cache_settings(os.environ.get("CACHE_URL", "db://funding_cache"))}

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
# Production logs one JSON object per line; the demo (`dev.py serve`) keeps runserver's plain lines.
LOG_PLAIN = env_bool("LOG_PLAIN", DEBUG)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({} if LOG_PLAIN else {"formatter": "json"}),
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own console handler would print every line a second time.
        "django": {"handlers": [], "propagate": True},
        # One line per request: in production the request log (funding.ops.middleware, with the
        # request id and user id); in the demo runserver's own lines, as before.
        **(
            {"funding.requests": {"level": "WARNING"}}
            if LOG_PLAIN
            else {"django.server": {"handlers": [], "propagate": False}}
        ),
    },
}

# The REST API under /api/v1/ (funding/api/). Tokens expire after knox's default of 10 hours.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "funding.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["kernel.api.permissions.FundingRole"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "kernel.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "funding.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "funding.api.errors.exception_handler",
    # Proxies in front of the app whose X-Forwarded-For to trust; 0 means the peer address.
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Funding administration API",
    "DESCRIPTION": (
        "Programmes, rounds, applications and their workflow, and budgets.\n\n"
        "Scripts log in with `POST /api/v1/auth/login/` and send the token it returns in the "
        "header `Authorization: Token YOUR-TOKEN`; browsers use their session."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "applications.states.State",
        "DrawdownStateEnum": "disbursements.states.DrawdownState",
        "ChangeRequestStateEnum": "change_requests.states.ChangeState",
        "PhaseEnum": "budgets.models.Phase",
        "StatementStateEnum": "statements.states.StatementState",
        "SettlementStateEnum": "statements.states.SettlementState",
        "StatementKindEnum": "statements.states.StatementKind",
    },
}

# Background tasks (django-tasks): the database backend's queue lives in the default database and
# `manage.py db_worker` runs it; TASKS_BACKEND switches to another backend with the same task code
# (docs/operations.md).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Exports above this many budget lines are built in the background (exports/), below it at once.
EXPORT_BACKGROUND_LINES = int(os.environ.get("EXPORT_BACKGROUND_LINES", "20000"))
# API lists count their rows exactly up to this many; beyond it they give PostgreSQL's estimate
# (kernel/api/pagination.py), so no page counts a million rows.
API_EXACT_COUNT_LIMIT = int(os.environ.get("API_EXACT_COUNT_LIMIT", "10000"))
# Hours a finished export stays downloadable; `manage.py purge_exports` deletes older ones.
EXPORT_RETENTION_HOURS = int(os.environ.get("EXPORT_RETENTION_HOURS", "24"))
# The health check fails when more tasks than this wait longer than TASK_BACKLOG_MINUTES.
TASK_BACKLOG_LIMIT = int(os.environ.get("TASK_BACKLOG_LIMIT", "20"))
TASK_BACKLOG_MINUTES = int(os.environ.get("TASK_BACKLOG_MINUTES", "5"))

"""Settings for every environment, read from environment variables on one code path.

DJANGO_SECRET_KEY   secret key; required when DJANGO_DEBUG is off
DJANGO_DEBUG        "1"/"true" for development; off by default
DJANGO_ALLOWED_HOSTS comma-separated host names (default: localhost,127.0.0.1,[::1])
DATABASE_URL        e.g. postgres://user@127.0.0.1:5432/db; default an SQLite file in var/
API_ANON_RATE       requests per client address, e.g. "1200/minute"; "off" disables throttling
API_TRUSTED_PROXIES proxies in front that append to X-Forwarded-For (default 0; make serve: 1)
API_CACHE_MAX_AGE   seconds clients and shared caches may reuse an API response (default 60)
API_RESPONSE_CACHE_SECONDS, _MAX_BYTES, _BUDGET_BYTES: the rendered-response cache (below)
ADMIN_LOGIN_FAILURE_LIMIT, ADMIN_LOGIN_COOLOFF_MINUTES, ADMIN_LOGIN_LOCKOUT_BY: admin lockout
INGEST_MAX_BYTES    the largest article an analyst may upload (default 512 KiB)
DATABASE_REPLICA_URL a read replica: API GET requests read from it
REDIS_URL           a shared cache for several app servers, e.g. redis://127.0.0.1:6379/0
DJANGO_SSL_REDIRECT, DJANGO_BEHIND_PROXY, DJANGO_HSTS_SECONDS: HTTPS (see below)
DJANGO_LOG_FORMAT   json (default: one object per line) or text; DJANGO_LOG_LEVEL (INFO)
STATS_DOWNLOADS_DIR where the published files are built (default var/downloads/)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """A boolean from the environment: 1/true/yes/on are true."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """A comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
#: True when no key was given: management commands (migrate, load_corpus) work, but the web
#: server refuses to start (config/wsgi.py), since sessions need one key shared by all workers.
SECRET_KEY_MISSING = not SECRET_KEY
if SECRET_KEY_MISSING:
    SECRET_KEY = (
        "insecure-development-key-do-not-use-in-production" if DEBUG else secrets.token_urlsafe(50)
    )

# Django's test runner adds "testserver" itself; a production server never answers to it.
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",  # admin login throttling: see "Admin logins and uploads" below
    "stats",
]

MIDDLEWARE = [
    "config.logging.RequestLogMiddleware",
    "config.replica.ReplicaReadsMiddleware",
    "stats.api.middleware.ApiGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "stats.api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "stats.api.middleware.DataVersionConditionalMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project-wide overrides of other apps' templates (the API docs' ReDoc page).
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DEFAULT_SQLITE = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets API reads run while an analyst saves in admin; IMMEDIATE transactions take the
    # write lock up front instead of failing with "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000;"
        ),
    }
    # A file (not memory), so live-server threads share it; several checkouts or concurrent
    # runs can each name their own.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("DJANGO_TEST_DATABASE", str(BASE_DIR / "var" / "test.sqlite3"))
    }

# API reads from a replica (a streaming replica of the primary), when one is given.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60, conn_health_checks=True
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["replica"]["CONN_MAX_AGE"] = 0
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English by default (API messages are a contract); admin follows the browser (zh-hans).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
# Static files (admin, Swagger UI, ReDoc) are served by the app itself through WhiteNoise,
# compressed, from STATIC_ROOT (`manage.py collectstatic`; `make serve` runs it); in
# development straight from the apps.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing one

# Deployment: HTTPS everywhere unless told otherwise (behind a proxy that terminates TLS, set
# DJANGO_BEHIND_PROXY=1 so X-Forwarded-Proto is trusted; on plain loopback, DJANGO_SSL_REDIRECT=0).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", not DEBUG)
# Probes come from the orchestrator or load balancer over plain HTTP (through make serve's
# nginx, or straight to the app): never redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

#: Where the seed texts, manifest, vocabularies and annotations live, and where fixtures go.
SEEDS_DIR = Path(os.environ.get("STATS_SEEDS_DIR", BASE_DIR / "seeds"))
FIXTURES_DIR = Path(os.environ.get("STATS_FIXTURES_DIR", BASE_DIR / "fixtures"))
#: Where the published files (SQLite, Parquet, the data package) of each data version are built
#: and served from (stats.publishing; docs/downloads.md).
DOWNLOADS_DIR = Path(os.environ.get("STATS_DOWNLOADS_DIR", BASE_DIR / "var" / "downloads"))

# One process: local memory. Several app servers share a Redis cache (throttle counts, the data
# version, rendered responses) when REDIS_URL is set, e.g. redis://127.0.0.1:6379/0. Rendered
# responses have a cache of their own, so big pages never push throttle counts out.
REDIS_URL = os.environ.get("REDIS_URL", "")


def cache_config(prefix: str, max_entries: int = 300) -> dict[str, Any]:
    """Redis under ``prefix`` when REDIS_URL is set, else this process's memory."""
    if REDIS_URL:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": prefix,
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


CACHES = {
    "default": cache_config("party-stats"),
    "responses": cache_config("party-stats-responses", max_entries=500),
    # Throttle counts alone: no other traffic can push a client's count out.
    "throttle": cache_config("party-stats-throttle", max_entries=100_000),
}
#: Seconds a rendered API response is kept for its data version (0: no response cache), and the
#: largest body kept. Entries are keyed by the data version, so a change never serves old bytes.
API_RESPONSE_CACHE_SECONDS = int(os.environ.get("API_RESPONSE_CACHE_SECONDS", "600"))
API_RESPONSE_CACHE_MAX_BYTES = int(os.environ.get("API_RESPONSE_CACHE_MAX_BYTES", str(2**20)))
#: The most bytes of rendered responses stored per API_RESPONSE_CACHE_SECONDS window, on any
#: backend: the cache holds at most about twice this, however many distinct questions arrive.
API_RESPONSE_CACHE_BUDGET_BYTES = int(
    os.environ.get("API_RESPONSE_CACHE_BUDGET_BYTES", str(64 * 2**20))
)
#: How long a process may reuse the data version it read (see stats.data_version).
DATA_VERSION_CACHE_SECONDS = 2

#: Anonymous requests allowed per client address; None turns throttling off.
API_ANON_RATE: str | None = os.environ.get("API_ANON_RATE", "1200/minute")
if API_ANON_RATE in ("", "off", "none"):
    API_ANON_RATE = None
API_CACHE_MAX_AGE = int(os.environ.get("API_CACHE_MAX_AGE", "60"))
#: How many proxies in front of the app append to X-Forwarded-For (make serve's nginx: 1). The
#: client is the address the outermost of them saw; with 0, the connection's address.
API_TRUSTED_PROXIES = int(os.environ.get("API_TRUSTED_PROXIES", "0"))

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Anonymous reads only: no API logins, so no API sessions or CSRF to worry about.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["stats.api.renderers.OrjsonRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "stats.api.renderers.StrictContentNegotiation",
    "DEFAULT_THROTTLE_CLASSES": ["stats.api.throttling.AnonymousRateThrottle"],
    "NUM_PROXIES": API_TRUSTED_PROXIES,
    "EXCEPTION_HANDLER": "stats.api.problems.problem_exception_handler",
}

# Anyone may read the API from a web page on any origin; nothing else crosses origins.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Retry-After", "Content-Disposition"]
CORS_PREFLIGHT_MAX_AGE = 86400

SPECTACULAR_SETTINGS = {
    "TITLE": "Fujian grassroots party-building statistics API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "DESCRIPTION": (
        "Figures on grassroots party building (党建) in Fujian, read out of Chinese report "
        "texts: each one normalised (value, bounds, qualifier, unit, period) and traceable to "
        "the words it came from (document, offsets, quote). Anonymous, read-only. Quantities "
        'are decimal strings ("16000", "95.3"). Errors are RFC 9457 problem documents.'
    ),
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "stats.api.v1.sdmx.document_sdmx",
        "stats.api.schema.add_http_behaviour",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "stats.models.DATE_PRECISION_CHOICES",
        "QualifierEnum": "stats.models.QUALIFIER_CHOICES",
        "PeriodKindEnum": "stats.models.PERIOD_KIND_CHOICES",
    },
}

# One JSON object per line on standard error; DJANGO_LOG_FORMAT=text for plain lines.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Each request is logged once, by config.logging; Django's own 4xx/5xx lines repeat it.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}


# --- Admin logins and uploads -----------------------------------------------------------------
# Admin logins are throttled by django-axes. After ADMIN_LOGIN_FAILURE_LIMIT wrong passwords
# (default 5) for one username from one address, that username cannot log in from that address,
# not even with the right password, for ADMIN_LOGIN_COOLOFF_MINUTES (default 15; a failed
# attempt while locked starts the wait again), and the login page says so (HTTP 429).
# ADMIN_LOGIN_LOCKOUT_BY chooses what is counted: "username,ip" (the default) or "ip" (every
# username from one address: stricter, but analysts behind one NAT share it). Attempts are kept in
# the database, so all workers and servers agree; a successful login clears the count, and
# `manage.py axes_reset` (or `axes_reset_username NAME`) lifts every lock (or one). The address
# is the one the API's throttle uses (API_TRUSTED_PROXIES), never one the client chose.
_LOCKOUT_BY: dict[str, list[str | list[str]]] = {
    "username,ip": [["username", "ip_address"]],
    "ip": ["ip_address"],
}
ADMIN_LOGIN_LOCKOUT_BY = os.environ.get("ADMIN_LOGIN_LOCKOUT_BY", "username,ip").replace(" ", "")
if ADMIN_LOGIN_LOCKOUT_BY not in _LOCKOUT_BY:
    raise ValueError(
        f"ADMIN_LOGIN_LOCKOUT_BY={ADMIN_LOGIN_LOCKOUT_BY!r}: use "
        + " or ".join(repr(mode) for mode in _LOCKOUT_BY)
    )
AXES_LOCKOUT_PARAMETERS = _LOCKOUT_BY[ADMIN_LOGIN_LOCKOUT_BY]
AXES_FAILURE_LIMIT = int(os.environ.get("ADMIN_LOGIN_FAILURE_LIMIT", "5"))
#: In hours, as django-axes reads a float.
AXES_COOLOFF_TIME = float(os.environ.get("ADMIN_LOGIN_COOLOFF_MINUTES", "15")) / 60
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no start-up banner in every command's log
AXES_LOCKOUT_CALLABLE = "stats.admin.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "stats.api.throttling.client_address"

# An article may be at most INGEST_MAX_BYTES of UTF-8 (default 512 KiB; real ones are a few to a
# few dozen KB): the upload page and `manage.py ingest` refuse a bigger file from its size,
# before reading it. Uploads bigger than that are spooled to a temporary file, never held in
# memory, and the other fields of a request may take at most 1 MiB.
INGEST_MAX_BYTES = int(os.environ.get("INGEST_MAX_BYTES", str(512 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = INGEST_MAX_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = 2**20

"""Settings for Pandu Inovasi, all taken from the environment.

The embedded default (no variables set) runs on SQLite with the in-memory channel layer;
with DATABASE_URL and REDIS_URL it uses PostgreSQL and Redis.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# DEBUG only when asked for: any 500 page would otherwise show paths and settings.
DEBUG = env_bool("DJANGO_DEBUG", False)


def local_secret_key() -> str:
    """A key made once for this machine and kept outside the repository (`make run`);
    production sets DJANGO_SECRET_KEY."""
    default = Path.home() / ".config" / "pandu-inovasi" / "secret_key"
    path = Path(os.environ.get("PANDU_SECRET_KEY_FILE", default))
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "core.http.csrf_failure"  # our 403 page, with a way home

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "core",
    "rest_framework",
    "knox",
    "axes",
    "csp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "viewflow",
    "viewflow.workflow",
    "mentoring",
    "workflow",
    "notifications",
    "api",
    "portal",
    "scoring",
    "reports",
    "dashboards",
    "submission",
    "audit",
    "recognition",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.http.RejectNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.http.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
    # Last: it turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# Under ASGI every request runs in a thread of its own, and each thread opens its own database
# connection: persistent connections (DATABASE_CONN_MAX_AGE) then pile up past PostgreSQL's
# max_connections under load. A pool per process bounds them instead (psycopg's pool, through
# Django's "pool" option); a request waits up to DATABASE_POOL_TIMEOUT seconds for a connection.
DATABASE_POOL_MAX_SIZE = int(os.environ.get("DATABASE_POOL_MAX_SIZE", "0"))
if DATABASE_POOL_MAX_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_MAX_SIZE,
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short transactional queries: the JIT compiler spends 20-70 ms on a plan it deems costly
    # (a count over a long list at national size) that the query itself runs in less.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Server, worker and timers share one file: WAL plus IMMEDIATE transactions make
    # concurrent writers wait for each other instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # The pub/sub layer: in bench/notifications_fanout.py it delivered 1,000 sockets with a
    # third of RedisChannelLayer's p99 and lost nothing (RedisChannelLayer dropped late messages).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # The database's name keeps apart the pushes of deployments (or parallel test
            # runs, each on its own database with the same user ids) that share one Redis,
            # as the cache's key function does.
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"pandu:{DATABASES['default']['NAME']}"},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Results worth keeping between requests (the home page's IID panel), keyed by generation
# (core/generations.py): in Redis every process and machine shares them; without it, each
# process keeps its own.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache"
        if REDIS_URL
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": REDIS_URL or "pandu",
        "KEY_PREFIX": "pandu",
        "KEY_FUNCTION": "core.generations.make_key",
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    # Not a rule on the password: its password_changed hook revokes the person's API tokens.
    {"NAME": "core.tokens.RevokeTokensOnPasswordChange"},
]
AUTHENTICATION_BACKENDS = [
    # Counts failed logins (web, admin, API token) and refuses a locked-out one.
    "core.throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute force: after 5 failures within the hour, the account AND the address are refused for
# 15 minutes (429 with Retry-After), the right password included.
AXES_FAILURE_LIMIT = int(os.environ.get("PANDU_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("PANDU_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "core.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.throttle.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded evidence is private: it lives under MEDIA_ROOT and is only served by a view that
# checks who may see the case; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# On several machines the uploads live in S3-compatible object storage (AWS S3, MinIO, Ceph...),
# private too: the same view reads them through the storage API. Credentials come from boto3's
# usual sources (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or an instance role).
S3_BUCKET = os.environ.get("PANDU_S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("PANDU_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("PANDU_S3_REGION") or None,
            "location": os.environ.get("PANDU_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            # Stored names are already unique (uuid); never overwrite one silently.
            "file_overwrite": False,
        },
    }
UPLOAD_MAX_BYTES = int(float(os.environ.get("UPLOAD_MAX_MB", "20")) * 1024 * 1024)
# Office documents are zip archives: what they may grow to when opened, and their entries.
UPLOAD_MAX_INFLATED_BYTES = int(float(os.environ.get("UPLOAD_MAX_INFLATED_MB", "100")) * 1024**2)
UPLOAD_MAX_ARCHIVE_MEMBERS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # JSON everywhere; the evidence upload alone reads multipart (api.views.EvidenceListView).
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# API tokens: stored as digests, valid for TOKEN_DAYS, listed and revocable by their owner.
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Bearer",
    "TOKEN_TTL": timedelta(days=int(os.environ.get("PANDU_TOKEN_DAYS", "30"))),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pandu Inovasi API",
    "DESCRIPTION": "Case engine for mentoring regional government innovations (BRIDA Kukar).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_common_errors",
    ],
    # One name per choice set, so that the document is stable and generates without warnings.
    "ENUM_NAME_OVERRIDES": {
        "NotificationKindEnum": "notifications.models.Kind",
        "UnitKindEnum": "mentoring.models.UnitKind",
        "ParameterEnum": "mentoring.models.PARAMETERS",
        "StageEnum": "mentoring.models.Stage",
    },
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "pandu-inovasi@localhost")
# SMTP, used when DJANGO_EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))

# Absolute links in e-mails and webhooks.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Chat-gateway webhook (e.g. WhatsApp): off unless a URL is set; bodies signed with the secret.
NOTIFICATIONS_WEBHOOK_URL = os.environ.get("NOTIFICATIONS_WEBHOOK_URL", "")
NOTIFICATIONS_WEBHOOK_SECRET = os.environ.get("NOTIFICATIONS_WEBHOOK_SECRET", "")
NOTIFICATIONS_WEBHOOK_TIMEOUT = float(os.environ.get("NOTIFICATIONS_WEBHOOK_TIMEOUT", "10"))

# Trusted only when a proxy that sets it is configured: otherwise any client could claim https.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# TLS follows the site's address: an https site gets redirects, secure cookies and HSTS;
# `make run` (http://127.0.0.1:8000) serves plain HTTP with DEBUG still off.
HTTPS = SITE_URL.startswith("https://")
SECURE_SSL_REDIRECT = HTTPS and env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Probes come from inside the network, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Nothing from other origins. Style attributes remain (viewflow's components set them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # viewflow's own "Back" buttons (onclick handlers), allowed by their exact text.
        "script-src": [
            SELF,
            "'unsafe-hashes'",
            "'sha256-seD630z7277f97kwMcz927xhDjB8+HQCe4f0EztcsAU='",
            "'sha256-GdAjV6tJJrCv5L8FkbHYzJwNrscSj7aTuYJzS/C7wZY='",
        ],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

# WebSocket handshakes with a session cookie must come from the site itself: scheme, host
# and port, as the browser sends them.
WEBSOCKET_ORIGINS = sorted({SITE_URL, *CSRF_TRUSTED_ORIGINS, *env_list("PANDU_WEBSOCKET_ORIGINS")})

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

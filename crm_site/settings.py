"""Django settings: one file, every knob read from the environment.

A `.env` file in the project folder is read first (python-dotenv; variables
already in the environment win). ENV_FILE points at another file, or at
nothing when set empty, which is what the test suite does. Every variable is
listed with a comment in `.env.example`.
"""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

from crm_site.env import env_bool, env_float, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

_env_file = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if _env_file:
    load_dotenv(_env_file, override=False)

# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. `make run` writes one into .env; in production set it "
            "in the environment (50+ random characters), or set DEBUG=true for a throwaway key."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    # unfold must come before django.contrib.admin: it overrides the admin's templates.
    "unfold",
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "crm_site.apps.AdminConfig",  # django.contrib.admin, discovering the admin modules on first use
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_celery_results",
    "crm_site",
    "crm",
    "recruiting",
    "messaging",
    "webhooks",
    "campaigns",
    "documents",
    "hub",
]

MIDDLEWARE = [
    # First, so load balancers and container probes get an answer whatever the
    # Host header or scheme; see crm_site/health.py.
    "crm_site.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = env_str("ROOT_URLCONF", "crm_site.urls")  # bench/webhook_ingest.py adds a bare view
WSGI_APPLICATION = "crm_site.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Indexes with INCLUDE columns are a PostgreSQL speed-up (the analytics); SQLite builds them without.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

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
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded run has a web server, a worker and beat writing to one file:
    # WAL lets readers and a writer overlap, IMMEDIATE avoids upgrade deadlocks,
    # and the timeout makes a busy database wait instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so a Celery worker started by the tests shares it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# --- Cache -------------------------------------------------------------------
# Shared by web, workers and beat (it holds the Zoho access tokens): files under
# var/ in the embedded run, Redis when CACHE_URL says so.

CACHE_URL = env_str("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(BASE_DIR / env_str("CACHE_DIR", "var/cache")),
        }
    }

# --- Authentication ---------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "en-au"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------
# Relative paths in these variables are taken from the project folder.

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / env_str("STATIC_ROOT", "var/static")
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / env_str("MEDIA_ROOT", "var/media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Security ---------------------------------------------------------------

# HTTPS_ONLY is the one switch for a deployment behind TLS; see README "Production".
HTTPS_ONLY = env_bool("HTTPS_ONLY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS_ONLY else None
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS_ONLY)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Field encryption for secrets kept in the database (brand credentials).
# Comma-separated Fernet keys: the first encrypts, all decrypt (rotation).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEY", [])
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY is not set. `make run` writes one into .env; in production "
            "generate one with `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`."
        )
    _derived = hashlib.sha256(f"field-encryption:{SECRET_KEY}".encode()).digest()
    FIELD_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(_derived).decode()]

# --- Logging ----------------------------------------------------------------

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # urllib3 at DEBUG prints request lines with query strings: keep it quiet.
        "urllib3": {"level": "WARNING"},
    },
}

# --- REST API ---------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "crm_site.tokens.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "crm_site.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "crm_site.api_errors.exception_handler",
    # Throttled views name their scope; share links and lead capture are used without a login.
    "DEFAULT_THROTTLE_RATES": {
        "document_share": env_str("DOCUMENT_SHARE_RATE", "60/minute"),
        # The website's lead capture: per address, and per brand key.
        "lead_capture": env_str("LEAD_CAPTURE_RATE", "10/minute"),
        "lead_capture_brand": env_str("LEAD_CAPTURE_BRAND_RATE", "600/hour"),
    },
}
_token_ttl_days = env_int("API_TOKEN_TTL_DAYS", 365)
REST_KNOX = {
    "TOKEN_PREFIX": "crm_",
    # Only the hash is stored; the token is shown once when it is created.
    "TOKEN_TTL": timedelta(days=_token_ttl_days) if _token_ttl_days else None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Agency back office API",
    "DESCRIPTION": (
        "CRM, recruiting and messaging. Authenticate with `Authorization: Token <token>` (or `Bearer <token>`) "
        "(create one with `python manage.py create_api_token <username>`) or a staff session."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["crm_site.api.schema_without_slashless_twins"],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    # The hub's event types appear in several serializers (webhooks, integrations, Zapier): one enum.
    "ENUM_NAME_OVERRIDES": {"EventTypeEnum": "hub.models.webhooks.EVENT_TYPES"},
    # Swagger UI served from our own static files: the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery -----------------------------------------------------------------
# Ordering that must hold (tested): HTTP timeouts < soft limit < hard limit <
# broker visibility timeout, or a slow task is redelivered while it still runs.

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://localhost//")
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = BASE_DIR / env_str("CELERY_FILESYSTEM_DIR", "var/broker")
    CELERY_BROKER_TRANSPORT = "crm_site.broker:Transport"  # kombu's, with atomic publishing
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        "polling_interval": env_float("CELERY_BROKER_POLLING_INTERVAL", 1.0),
    }
    for _folder in ("queue", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        "socket_connect_timeout": 3,
        "socket_timeout": 10,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = env_float("CELERY_BROKER_CONNECTION_TIMEOUT", 3.0)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Seconds the worker waits for a killed pool process's result before re-queueing its task.
CELERY_WORKER_LOST_WAIT = env_float("CELERY_WORKER_LOST_WAIT", 10.0)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
# A web request that enqueues must not hang while the broker is away: a few
# quick publish retries, then the caller falls back on what it stored.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULER = "crm_site.beat:DatabaseScheduler"  # keeps staff edits of schedules
CELERY_WORKER_SEND_TASK_EVENTS = False

# --- Outside services ---------------------------------------------------------
# Each is optional in the embedded run: without credentials the product uses its
# offline fallback (rule-based AI, the local outbox, sync kept pending).

HTTP_TIMEOUT_SECONDS = env_float("HTTP_TIMEOUT_SECONDS", 20.0)

# Email sending (crm.services.sending): a row left in "sending" longer than this was
# abandoned by a dead worker and is reconciled; one send run stops after the budget.
EMAIL_SENDING_STALE_SECONDS = env_int("EMAIL_SENDING_STALE_SECONDS", 600)
EMAIL_SEND_BUDGET_SECONDS = env_int("EMAIL_SEND_BUDGET_SECONDS", 200)
# Opens within this many seconds of sending are likely image proxies or scanners.
EMAIL_MACHINE_OPEN_SECONDS = env_int("EMAIL_MACHINE_OPEN_SECONDS", 10)
# Clicks within this many seconds of sending are likely link scanners (Safe Links, Mimecast...).
EMAIL_MACHINE_CLICK_SECONDS = env_int("EMAIL_MACHINE_CLICK_SECONDS", 30)

# Backlink verification (crm.services.backlinks): each placed link's page is fetched (public
# addresses only, capped in time and size) and searched for the link, every N days.
BACKLINK_CHECK_INTERVAL_DAYS = env_int("BACKLINK_CHECK_INTERVAL_DAYS", 7)
BACKLINK_CHECK_TIMEOUT_SECONDS = env_float("BACKLINK_CHECK_TIMEOUT_SECONDS", 15.0)
BACKLINK_CHECK_MAX_BYTES = env_int("BACKLINK_CHECK_MAX_BYTES", 3_000_000)
# Networks a fetched page may be on besides the public internet (CIDR list; e.g. an intranet).
PUBLIC_FETCH_ALLOWED_NETWORKS = env_networks("PUBLIC_FETCH_ALLOWED_NETWORKS")

OPENAI_API_KEY = env_str("OPENAI_API_KEY")
# Which AI the autopilot, the skills extractor and the tagger use: "openai" (needs the key) or
# "rules" (offline). Unset: OpenAI with a key; without one, the rules in development (DEBUG) and
# an error in production, which never swaps in the rules unasked.
AI_PROVIDER = env_str("AI_PROVIDER", "openai" if OPENAI_API_KEY else ("rules" if DEBUG else ""))
if AI_PROVIDER not in ("openai", "rules"):
    raise ImproperlyConfigured(
        "OPENAI_API_KEY is not set: set it, or set AI_PROVIDER=rules to run the AI offline on rules."
        if not AI_PROVIDER
        else f"AI_PROVIDER must be openai or rules, not {AI_PROVIDER!r}."
    )
if AI_PROVIDER == "openai" and not OPENAI_API_KEY:
    raise ImproperlyConfigured("AI_PROVIDER=openai needs OPENAI_API_KEY.")
OPENAI_BASE_URL = env_str("OPENAI_BASE_URL")
OPENAI_MODEL = env_str("OPENAI_MODEL", "gpt-4o-mini")
# The SDK's defaults (10 minutes, 2 retries) would outlive a task's time limit.
OPENAI_TIMEOUT_SECONDS = env_float("OPENAI_TIMEOUT_SECONDS", 30.0)
OPENAI_MAX_RETRIES = env_int("OPENAI_MAX_RETRIES", 2)

# Where a brand without Zoho Mail credentials sends: "outbox" (the local outbox in the admin) or
# "zoho" (nowhere: its emails are held with the reason shown). Unset: the outbox in development
# (DEBUG), Zoho in production, which never reports an email sent that no provider accepted.
MAIL_BACKEND = env_str("MAIL_BACKEND", "outbox" if DEBUG else "zoho")
if MAIL_BACKEND not in ("zoho", "outbox"):
    raise ImproperlyConfigured(f"MAIL_BACKEND must be zoho or outbox, not {MAIL_BACKEND!r}.")

ZOHO_CLIENT_ID = env_str("ZOHO_CLIENT_ID")
ZOHO_CLIENT_SECRET = env_str("ZOHO_CLIENT_SECRET")
ZOHO_REFRESH_TOKEN = env_str("ZOHO_REFRESH_TOKEN")
ZOHO_ACCOUNT_ID = env_str("ZOHO_ACCOUNT_ID")
ZOHO_FROM_EMAIL = env_str("ZOHO_FROM_EMAIL")
ZOHO_API_DOMAIN = env_str("ZOHO_API_DOMAIN", "zoho.com")
ZOHO_ACCOUNTS_BASE_URL = env_str("ZOHO_ACCOUNTS_BASE_URL")
ZOHO_MAIL_BASE_URL = env_str("ZOHO_MAIL_BASE_URL")

ZOHO_CRM_CLIENT_ID = env_str("ZOHO_CRM_CLIENT_ID", ZOHO_CLIENT_ID)
ZOHO_CRM_CLIENT_SECRET = env_str("ZOHO_CRM_CLIENT_SECRET", ZOHO_CLIENT_SECRET)
ZOHO_CRM_REFRESH_TOKEN = env_str("ZOHO_CRM_REFRESH_TOKEN", ZOHO_REFRESH_TOKEN)
ZOHO_CRM_API_DOMAIN = env_str("ZOHO_CRM_API_DOMAIN", ZOHO_API_DOMAIN)
ZOHO_CRM_BASE_URL = env_str("ZOHO_CRM_BASE_URL")

WEBHOOK_SECRET = env_str("WEBHOOK_SECRET")

# Recruiting: CV files, their sandboxed parsing, and the match weights (any scale; they are
# normalised). ZOHO_CRM_ROLES_MODULE names the CRM module open roles are synced from.
CV_DOWNLOAD_DIR = BASE_DIR / env_str("CV_DOWNLOAD_DIR", "downloads/cvs")
CV_MAX_BYTES = env_int("CV_MAX_BYTES", 10 * 1024 * 1024)
CV_MAX_PAGES = env_int("CV_MAX_PAGES", 30)
CV_PARSE_TIMEOUT_SECONDS = env_float("CV_PARSE_TIMEOUT_SECONDS", 20.0)
CV_PARSE_MEMORY_MB = env_int("CV_PARSE_MEMORY_MB", 512)
MATCH_WEIGHT_INDUSTRY = env_float("MATCH_WEIGHT_INDUSTRY", 40)
MATCH_WEIGHT_LOCATION = env_float("MATCH_WEIGHT_LOCATION", 25)
MATCH_WEIGHT_POLICY = env_float("MATCH_WEIGHT_POLICY", 20)
MATCH_WEIGHT_SKILLS = env_float("MATCH_WEIGHT_SKILLS", 15)
ZOHO_CRM_ROLES_MODULE = env_str("ZOHO_CRM_ROLES_MODULE")

# Documents: uploads (checked by content; files live under MEDIA_ROOT and are only served through
# the checked download views), text extraction and OCR in a limited child process, share links.
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 25 * 1024 * 1024)
DOCUMENT_MAX_PAGES = env_int("DOCUMENT_MAX_PAGES", 200)
DOCUMENT_PARSE_TIMEOUT_SECONDS = env_float("DOCUMENT_PARSE_TIMEOUT_SECONDS", 120.0)
DOCUMENT_PARSE_MEMORY_MB = env_int("DOCUMENT_PARSE_MEMORY_MB", 768)
DOCUMENT_OCR_LANGUAGES = env_str("DOCUMENT_OCR_LANGUAGES", "eng")  # Tesseract's, joined by +: eng+deu
DOCUMENT_OCR_MAX_PAGES = env_int("DOCUMENT_OCR_MAX_PAGES", 10)
DOCUMENT_SHARE_MAX_HOURS = env_int("DOCUMENT_SHARE_MAX_HOURS", 24 * 90)

# Integration hub: outgoing webhooks reach public addresses only unless this allows private ones
# (a receiver on the same network; tests allow loopback).
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
WEBHOOK_TIMEOUT_SECONDS = env_float("WEBHOOK_TIMEOUT_SECONDS", 10.0)
# Events (with their messages and attempts) are kept this long, then pruned daily.
HUB_EVENT_RETENTION_DAYS = env_int("HUB_EVENT_RETENTION_DAYS", 30)

WHATSAPP_VERIFY_TOKEN = env_str("WHATSAPP_VERIFY_TOKEN")
WHATSAPP_APP_SECRET = env_str("WHATSAPP_APP_SECRET")
# Meta sends large payloads (media captions, batched statuses); anything bigger gets 413.
WHATSAPP_MAX_BODY_BYTES = env_int("WHATSAPP_MAX_BODY_BYTES", 3 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, WHATSAPP_MAX_BODY_BYTES)
# A whatsapp-web style gateway (WAHA) posts to /webhook/waha/ with this token (header
# X-Webhook-Token or ?token=).
WAHA_WEBHOOK_TOKEN = env_str("WAHA_WEBHOOK_TOKEN")

CHATWOOT_BASE_URL = env_str("CHATWOOT_BASE_URL").rstrip("/")
CHATWOOT_API_TOKEN = env_str("CHATWOOT_API_TOKEN")
CHATWOOT_ACCOUNT_ID = env_str("CHATWOOT_ACCOUNT_ID")
CHATWOOT_WHATSAPP_INBOX_ID = env_str("CHATWOOT_WHATSAPP_INBOX_ID")
# A message whose sync keeps failing is retried with back-off this many times, then shown as failed.
CHATWOOT_SYNC_MAX_ATTEMPTS = env_int("CHATWOOT_SYNC_MAX_ATTEMPTS", 6)

# --- Admin (django-unfold) ----------------------------------------------------

UNFOLD = {
    "SITE_TITLE": _("Agency back office"),
    "SITE_HEADER": _("Agency back office"),
    "SITE_SUBHEADER": _("CRM, recruiting and messaging"),
    "SITE_SYMBOL": "hub",
    "SITE_URL": "/api/docs/",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "ENVIRONMENT": "crm_site.admin_site.environment_badge",
    "DASHBOARD_CALLBACK": "crm.admin.dashboard.dashboard_callback",
    "COLORS": {
        "primary": {
            "50": "oklch(97.8% .014 180.7)",
            "100": "oklch(95.3% .051 180.8)",
            "200": "oklch(91% .096 180.4)",
            "300": "oklch(85.5% .138 181.1)",
            "400": "oklch(77.7% .152 181.9)",
            "500": "oklch(70.4% .14 182.5)",
            "600": "oklch(60% .118 184.7)",
            "700": "oklch(51.1% .096 186.4)",
            "800": "oklch(43.7% .078 188.2)",
            "900": "oklch(38.6% .063 188.4)",
            "950": "oklch(27.7% .046 192.5)",
        },
    },
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        "navigation": "crm_site.admin_site.sidebar_navigation",
    },
}
LOGIN_REDIRECT_URL = reverse_lazy("admin:index")

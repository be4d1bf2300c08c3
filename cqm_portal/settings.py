"""CQM Portal settings: one module, configured from the environment.

With no environment at all the portal runs self-contained (SQLite, local media folder, Celery on a
SQLite broker file, e-mail to the console). Production sets DATABASE_URL, CELERY_BROKER_URL,
DJANGO_SECRET_KEY and DJANGO_DEBUG=0 (see README).
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("CQM_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str(
        "DJANGO_SECRET_KEY", default="insecure-development-key-never-used-in-production"
    )
else:
    # No fallback: a production deployment without its own key must not start.
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "accounts",
    "customers",
    "claims",
    "audits",
    "ppap",
    "changes",
    "metrics",
    "surveys",
    "special_status",
    # Last: its demo turns the notifications the other demos caused into a history.
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early: a database or broker outage becomes a clear 503 instead of a stack trace.
    "core.middleware.ServiceUnavailableMiddleware",
    # Then every table the request reads is known: cached figures key on those tables' versions.
    "core.reads.RequestReadsMiddleware",
    # Before anything reads the body: a request larger than CQM_MAX_REQUEST_BYTES is a 413.
    "core.middleware.RequestSizeLimitMiddleware",
    "core.middleware.SignatureAttemptsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns lockouts raised further up into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cqm_portal.urls"
WSGI_APPLICATION = "cqm_portal.wsgi.application"

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
                "django.template.context_processors.tz",
                "core.context_processors.navigation",
                "core.context_processors.background_alert",
                "notifications.context_processors.unread_count",
            ],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'cqm_portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Each web or worker process keeps its database connection for this many seconds instead of
# opening one per request (connection setup was half the cost of a small page). 0: one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
# A kept connection is checked before a request uses it: one that died while the database was
# away is replaced instead of failing the request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded mode runs the web server, a worker and beat side by side: wait for locks,
    # don't fail. Write transactions take the lock when they begin (no failing lock upgrade) and
    # the WAL journal lets readers go on while one process writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
    # Covering columns (INCLUDE) are a PostgreSQL speed-up; SQLite builds the same indexes
    # without them, which is all the embedded mode needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis outage makes cached pages slower, never an error page (core/cache.py).
    CACHES["default"]["BACKEND"] = "core.cache.TolerantRedisCache"

# Sessions: with a cache that all web processes share, read from the cache and written through to
# the database (core/sessions.py): no session query per signed-in request, and a cache outage or
# restart signs nobody out. A local memory cache (no CACHE_URL, the embedded mode) is one per
# process, where a sign-out in one process would not reach the others: sessions stay in the
# database alone there.
_PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
SESSION_ENGINE = env.str(
    "DJANGO_SESSION_ENGINE",
    default="django.contrib.sessions.backends.db"
    if CACHES["default"]["BACKEND"] in _PROCESS_LOCAL_CACHES
    else "core.sessions",
)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock the pair (account, address) for a while instead of forever (axes' default), so one
# attacker cannot lock a colleague out of the portal from elsewhere.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
# E-mail addresses are case-insensitive: count "Ada@X.com" and "ada@x.com" as one account.
AXES_USERNAME_CALLABLE = "accounts.lockout.axes_username"
AXES_VERBOSE = False
# Behind a reverse proxy every sign-in would come from the proxy's address, so one attacker could
# lock an account for everybody: name the proxies, and the client address is taken from
# X-Forwarded-For. Only set this when the proxy overwrites that header.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# Unambiguous dates in English ("7 Dec 2026"); see cqm_portal/formats/en/formats.py.
FORMAT_MODULE_PATH = ["cqm_portal.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
if DEBUG:
    # Development serves from the source folders; an empty root keeps whitenoise from warning.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads live outside the static root and are never served directly: downloads go through a view
# that checks the user may see the owning record.
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# No URL pattern serves this prefix; it exists because Django's static handlers expect a string.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Every upload is scanned before it is accepted: "" (no scanner), "clamd://host:port" or
# "clamd:///path/to/clamd.ctl" for a ClamAV daemon, or the dotted path of a scanner class.
CQM_VIRUS_SCANNER = env.str("CQM_VIRUS_SCANNER", default="")
# Images above this many pixels are refused at upload, read from the header before decoding.
CQM_MAX_IMAGE_PIXELS = env.int("CQM_MAX_IMAGE_PIXELS", default=40_000_000)
# PDF layout runs in a child process bounded in time and memory (core/pdf.py): a web request gets
# CQM_PDF_SECONDS, a background worker CQM_PDF_WORKER_SECONDS. Documents whose HTML is larger than
# CQM_PDF_INLINE_MAX_BYTES are made by the worker and kept (core/downloads.py).
CQM_PDF_ISOLATED = env.bool("CQM_PDF_ISOLATED", default=hasattr(os, "fork"))
CQM_PDF_SECONDS = env.int("CQM_PDF_SECONDS", default=15)
CQM_PDF_WORKER_SECONDS = env.int("CQM_PDF_WORKER_SECONDS", default=120)
CQM_PDF_MEMORY_MB = env.int("CQM_PDF_MEMORY_MB", default=1024)
CQM_PDF_INLINE_MAX_BYTES = env.int("CQM_PDF_INLINE_MAX_BYTES", default=150_000)
CQM_PDF_KEEP_DAYS = env.int("CQM_PDF_KEEP_DAYS", default=7)
# Password reset mails per address and per client address within the window (then silently none).
CQM_PASSWORD_RESET_MAILS_PER_ADDRESS = env.int("CQM_PASSWORD_RESET_MAILS_PER_ADDRESS", default=3)
CQM_PASSWORD_RESET_MAILS_PER_CLIENT = env.int("CQM_PASSWORD_RESET_MAILS_PER_CLIENT", default=10)
CQM_PASSWORD_RESET_WINDOW_SECONDS = env.int("CQM_PASSWORD_RESET_WINDOW_SECONDS", default=3600)
# Where `manage.py backup` writes its archives unless told otherwise.
CQM_BACKUP_DIR = Path(env.str("CQM_BACKUP_DIR", default=str(VAR_DIR / "backups")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest request body, files included: a larger one is refused with a 413 before it is read
# (core.middleware.RequestSizeLimitMiddleware). The default lets through the largest single file a
# customer's attachment policy may allow (500 MB) with its form; keep it at least that.
CQM_MAX_REQUEST_BYTES = env.int("CQM_MAX_REQUEST_BYTES", default=510 * 1024 * 1024)
# Page and form posts (not their files, which the customer's attachment policy limits): a larger
# body is refused with a 413 page (core.views.bad_request).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
if "EMAIL_URL" in env:
    vars().update(env.email("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="CQM Portal <quality@cqm-portal.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if "EMAIL_FILE_PATH" in env:
    # For django.core.mail.backends.filebased.EmailBackend: the folder the mails are written to.
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
# Where people reach the portal: e-mails sent outside a request link to pages under this address.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# How many months of closed claims the demo writes before its current ones (claims/demo.py): the
# dashboard's trends need a past. Deliveries go back 24 months; 21 leaves room for late 8Ds.
CQM_DEMO_PAST_MONTHS = env.int("CQM_DEMO_PAST_MONTHS", default=21)
# How long the link in a user invitation works (accounts/invitations.py).
CQM_INVITATION_VALID_DAYS = env.int("CQM_INVITATION_VALID_DAYS", default=14)
# The bulk claim import (claims/imports.py): at most this many claims and bytes in one file. All
# rows are filed in one transaction within the request (10-25 ms a claim measured), which holds
# the claim number counter until it commits: keep a full file well inside GUNICORN_TIMEOUT.
CQM_CLAIM_IMPORT_MAX_ROWS = env.int("CQM_CLAIM_IMPORT_MAX_ROWS", default=1000)
CQM_CLAIM_IMPORT_MAX_BYTES = env.int("CQM_CLAIM_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# How many days before the date a provisionally accepted 8D's effectiveness evidence is due our
# engineer is reminded, once (claims/provisional.py).
CQM_PROVISIONAL_REMINDER_DAYS = env.int("CQM_PROVISIONAL_REMINDER_DAYS", default=7)
# Company-wide targets of the monthly report's summary, over the defaults in metrics/targets.py,
# as JSON: {"reaction_hours": {"target": "16", "limit": "40"}}.
CQM_REPORT_TARGETS = env.json("CQM_REPORT_TARGETS", default={})
# Who receives the company-wide monthly management report, besides every active quality manager.
MANAGEMENT_REPORT_RECIPIENTS = env.list("MANAGEMENT_REPORT_RECIPIENTS", default=[])
# Test and diagnostic hook: seconds to wait after each progress step of a report, so a test can
# stop a worker in the middle of a generation. Always 0 in production.
CQM_REPORT_TEST_PAUSE_SECONDS = env.float("CQM_REPORT_TEST_PAUSE_SECONDS", default=0)

# --- Security (production values come from DJANGO_DEBUG=0) -------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Off only where the portal is served over plain HTTP on this machine (`make run`).
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer probes the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Staff sign in with a second factor (TOTP) in production; customer users may opt in.
CQM_STAFF_2FA_REQUIRED = env.bool("CQM_STAFF_2FA_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "CQM Portal"
# The admin site may remove a lost authenticator, never read its key or the backup codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- API ----------------------------------------------------------------------------------------
# Request body limits of the API (core.api.parsers): a JSON or form body above API_MAX_BODY_BYTES
# is a 413, JSON nested deeper than API_MAX_JSON_DEPTH a 400. The bulk delivery import takes more.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
API_MAX_BULK_BODY_BYTES = env.int("API_MAX_BULK_BODY_BYTES", default=20 * 1024 * 1024)
API_MAX_JSON_DEPTH = env.int("API_MAX_JSON_DEPTH", default=32)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "core.api.parsers.FormParser",
        "core.api.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.base.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_TOKEN_THROTTLE_RATE", default="20/min"),
        "anon": env.str("API_ANON_THROTTLE_RATE", default="60/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CQM Portal API",
    "DESCRIPTION": "Customer quality management: customers, parts, actions and quality records.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents the error answers it can give (400, 401, 403, 404, 409, 429, 503).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.document_error_responses",
    ],
}

# --- Celery ------------------------------------------------------------------------------------
# Without a broker URL, tasks travel through a SQLite file under var/ (core/broker.py), so
# `make run` needs no Redis: safe with the web server, the worker, beat and more processes at once.
EMBEDDED_BROKER_PATH = VAR_DIR / "celery" / "broker.sqlite3"
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default=f"embedded+sqlite:///{EMBEDDED_BROKER_PATH}"
)
if CELERY_BROKER_URL.startswith("embedded+"):
    (VAR_DIR / "celery" / "results").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {"polling_interval": 0.2}
    CELERY_RESULT_BACKEND = env.str(
        "CELERY_RESULT_BACKEND", default=f"file://{VAR_DIR / 'celery' / 'results'}"
    )
else:
    # A task whose worker died comes back after this many seconds: above the longest task (the
    # monthly report takes well under ten minutes). Tests shorten it to see a redelivery.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=3600)
    }
    CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Tasks sent without an explicit queue, including those a task sends, go here; a test worker on a
# private queue keeps the follow-up tasks to itself this way.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 7 * 24 * 3600
# django-celery-beat's scheduler with a heartbeat (core/beat.py).
CELERY_BEAT_SCHEDULER = "core.beat:HeartbeatScheduler"
# Worker and beat write a heartbeat this often; silent for longer than CQM_BACKGROUND_SILENT_AFTER
# seconds, /healthz and the managers' banner report them (tests shorten both).
CQM_HEARTBEAT_SECONDS = env.float("CQM_HEARTBEAT_SECONDS", default=30)
CQM_BACKGROUND_SILENT_AFTER = env.int("CQM_BACKGROUND_SILENT_AFTER", default=300)
CELERY_TIMEZONE = TIME_ZONE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True
FORM_RENDERER = "core.forms.FormRenderer"

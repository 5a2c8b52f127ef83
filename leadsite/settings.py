"""Leadsite settings, read from the environment.

Every setting that differs between machines is an environment variable with a
safe default (see `.env.example` and the README's configuration table). The
embedded default is SQLite and local file storage; production sets
DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and leaves DEBUG off.
"""

import datetime
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from exports import conf as export_conf
from leads import conf as lead_conf
from leadsite.env import env_bool, env_choice, env_int, env_list, env_str, load_env_file
from leadsite.storage_config import export_storage_config
from outreach import conf as outreach_conf

BASE_DIR = Path(__file__).resolve().parent.parent
# A local `.env` (written by scripts/run with a generated secret) fills in what the environment lacks.
load_env_file(BASE_DIR / ".env")
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("DEBUG", False)

# A missing secret in production must stop the process, not fall back silently.
SECRET_KEY = env_str("SECRET_KEY")
EXAMPLE_SECRET_KEY = "change-me-to-a-long-random-string"  # the placeholder in .env.example
if not SECRET_KEY or SECRET_KEY == EXAMPLE_SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. On a development machine, scripts/run writes "
            "one to .env; in production, set a long random value."
        )
    SECRET_KEY = "dev-only-secret-key-not-for-production-use-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "operations",  # before django_tasks_db: its resilient db_worker command replaces that one
    "django_tasks_db",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework_api_key",
    "leads",
    "exports",
    "api",
    "ingest",  # the scraper ingest API, above leads
    "rules",  # above leads and exports: rules act on leads
    "dashboard",  # above leads and exports: it reads both
    "anymail",  # provider webhooks for outreach (delivery, bounces, replies)
    "outreach",  # above leads (and exports); nothing below imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "leads.middleware.ContactSearchMiddleware",  # `q` leaves contact fields alone without the permission
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "leadsite.urls"

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
                "django.template.context_processors.csp",  # {{ csp_nonce }} for the few inline blocks
                "leadsite.context_processors.site_time_zone",
            ],
        },
    },
]

WSGI_APPLICATION = "leadsite.wsgi.application"
ASGI_APPLICATION = "leadsite.asgi.application"


def _database_config() -> dict:
    url = env_str("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))
        config["CONN_HEALTH_CHECKS"] = True
        return config
    return {
        "ENGINE": "leadsite.sqlite",  # Django's SQLite backend; makes DATA_DIR on first connection
        "NAME": DATA_DIR / "leadsite.sqlite3",
        # WAL and IMMEDIATE transactions let the web process and the export
        # worker share the embedded database without "database is locked".
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_TIMEOUT", 20, minimum=1),
        },
    }


DATABASES = {"default": _database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# One date-time style for people ("1 Dec 2026 18:05"): leadsite/formats/en/formats.py.
FORMAT_MODULE_PATH = ["leadsite.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))

# Export settings have their defaults in exports/conf.py (lead settings in leads/conf.py), which
# the code reads them through; the values here come from the environment.
_EXPORT = export_conf.DEFAULTS

# Export files live behind Django's storage API so S3-style storage is only a
# setting: EXPORT_STORAGE_BACKEND names any storage class, EXPORT_DIRECTORY is
# the local folder used by the default file-system backend.
EXPORT_DIRECTORY = Path(env_str("EXPORT_DIRECTORY", str(export_conf.default_export_directory(DATA_DIR))))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    "exports": export_storage_config(export_directory=EXPORT_DIRECTORY),
}
# How a download from object storage is served: "stream" passes it through Django (same audit and
# headers as local files); "redirect" sends the browser to a pre-signed URL valid this many seconds.
EXPORT_DOWNLOAD_MODE = env_choice(
    "EXPORT_DOWNLOAD_MODE", _EXPORT["EXPORT_DOWNLOAD_MODE"], choices=("stream", "redirect")
)
EXPORT_DOWNLOAD_URL_SECONDS = env_int(
    "EXPORT_DOWNLOAD_URL_SECONDS", _EXPORT["EXPORT_DOWNLOAD_URL_SECONDS"], minimum=1, maximum=3600
)

# The export formats and data types, as dotted paths to their classes (comma-separated in the
# environment); the registries in exports.formats.registry and exports.datasets.registry read them.
EXPORT_FORMATS = env_list("EXPORT_FORMATS", _EXPORT["EXPORT_FORMATS"])
EXPORT_DATASETS = env_list("EXPORT_DATASETS", _EXPORT["EXPORT_DATASETS"])
EXPORT_MAX_RECORDS = env_int("EXPORT_MAX_RECORDS", _EXPORT["EXPORT_MAX_RECORDS"], minimum=1)
EXPORT_CLEANUP_DAYS = env_int("EXPORT_CLEANUP_DAYS", _EXPORT["EXPORT_CLEANUP_DAYS"], minimum=1)
EXPORT_COMPRESSION_LEVEL = env_int(
    "EXPORT_COMPRESSION_LEVEL", _EXPORT["EXPORT_COMPRESSION_LEVEL"], minimum=0, maximum=9
)
# On PostgreSQL, CSV exports stream through COPY (byte-identical to the portable writer, ~6x faster).
EXPORT_CSV_COPY = env_bool("EXPORT_CSV_COPY", _EXPORT["EXPORT_CSV_COPY"])
QUICK_EXPORT_LIMIT = env_int("QUICK_EXPORT_LIMIT", _EXPORT["QUICK_EXPORT_LIMIT"], minimum=1)
# Refuse to start writing an export when less than this many megabytes are free.
EXPORT_MIN_FREE_MB = env_int("EXPORT_MIN_FREE_MB", _EXPORT["EXPORT_MIN_FREE_MB"], minimum=0)
# A running export whose worker has shown no sign of life for this long is marked failed.
EXPORT_STALE_SECONDS = env_int("EXPORT_STALE_SECONDS", _EXPORT["EXPORT_STALE_SECONDS"], minimum=60)

# Lead import (leads/importing/): checked in full, then written in one transaction, all or nothing.
# Defaults in leads/conf.py. Files larger than LEAD_IMPORT_MAX_BYTES are refused before they are read;
# LEAD_IMPORT_MAX_ROWS is never below EXPORT_MAX_RECORDS (any export re-imports); files with more than
# LEAD_IMPORT_QUICK_ROWS rows run in the background; uploads wait in LEAD_IMPORT_DIRECTORY for their preview.
LEAD_IMPORT_MAX_BYTES = env_int("LEAD_IMPORT_MAX_BYTES", lead_conf.DEFAULTS["LEAD_IMPORT_MAX_BYTES"], minimum=1)
LEAD_IMPORT_MAX_ROWS = env_int("LEAD_IMPORT_MAX_ROWS", lead_conf.DEFAULTS["LEAD_IMPORT_MAX_ROWS"], minimum=1)
LEAD_IMPORT_QUICK_ROWS = env_int("LEAD_IMPORT_QUICK_ROWS", lead_conf.DEFAULTS["LEAD_IMPORT_QUICK_ROWS"], minimum=1)
LEAD_IMPORT_DIRECTORY = Path(env_str("LEAD_IMPORT_DIRECTORY", str(DATA_DIR / "imports")))

# Worker liveness (operations app): heartbeats, recovery of lost and orphaned exports, /health/.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10, minimum=1)
WORKER_DEAD_SECONDS = env_int("WORKER_DEAD_SECONDS", 60, minimum=2)
WORKER_DB_RETRY_SECONDS = env_int("WORKER_DB_RETRY_SECONDS", 300, minimum=0)
# Finished task-queue rows (django-tasks-db) are pruned after this many days; 0 keeps them forever.
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 7, minimum=0)

# The dashboard and the analytics API read the daily lead rollups (leads/rollups/) when the spec allows;
# off, every figure is computed from the leads themselves (same numbers, slower).
# The scraper ingest API (defaults in ingest/conf.py): leads per POST /api/v1/leads/ingest, body size.
LEAD_INGEST_MAX_BATCH = env_int("LEAD_INGEST_MAX_BATCH", 1000, minimum=1)
LEAD_INGEST_MAX_BYTES = env_int("LEAD_INGEST_MAX_BYTES", 20_000_000, minimum=1)
LEAD_ROLLUPS = env_bool("LEAD_ROLLUPS", lead_conf.DEFAULTS["LEAD_ROLLUPS"])
# The secret of the do-not-contact list's keyed hashes; empty: derived from SECRET_KEY (leads/conf.py).
# Set it once and keep it: changing it (or SECRET_KEY while it is empty) orphans the list's entries.
SUPPRESSION_HASH_KEY = env_str("SUPPRESSION_HASH_KEY", lead_conf.DEFAULTS["SUPPRESSION_HASH_KEY"])

# Duplicates and reposts (leads/duplicates/): near-identical titles in one category found within
# LEAD_DUPLICATE_WINDOW_DAYS are reposts; LEAD_DUPLICATE_TEXT_SIMILARITY is the trigram similarity in
# percent; a merge of duplicates can be undone for LEAD_MERGE_UNDO_DAYS.
LEAD_DUPLICATE_WINDOW_DAYS = env_int(
    "LEAD_DUPLICATE_WINDOW_DAYS", lead_conf.DEFAULTS["LEAD_DUPLICATE_WINDOW_DAYS"], minimum=0
)
LEAD_DUPLICATE_TEXT_SIMILARITY = env_int(
    "LEAD_DUPLICATE_TEXT_SIMILARITY", lead_conf.DEFAULTS["LEAD_DUPLICATE_TEXT_SIMILARITY"], minimum=1, maximum=100
)
LEAD_MERGE_UNDO_DAYS = env_int("LEAD_MERGE_UNDO_DAYS", lead_conf.DEFAULTS["LEAD_MERGE_UNDO_DAYS"], minimum=0)

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LOGIN_URL = "admin:login"
# Password of the demo logins made by `manage.py create_demo_users`; empty means the documented
# default "leadsite-demo", which the command only uses while DEBUG is on.
DEMO_PASSWORD = env_str("DEMO_PASSWORD")

# The JSON API (api/): staff sessions for the browser, tokens for scripts.
REST_FRAMEWORK = {
    # Token first: DRF answers a request without valid credentials after the first class, and only
    # tokens have a WWW-Authenticate challenge, so scripts get 401 (not 403) for a missing or dead token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        # A scraper's key (Authorization: Api-Key ...) authenticates as no staff user: 403 outside ingest.
        "ingest.authentication.ScraperKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsActiveStaff"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.FirstRendererNegotiation",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_EXPORT_RATE = env_str("API_EXPORT_RATE", "30/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Leadsite export API",
    "DESCRIPTION": "Lead exports, export history and analytics. Filters follow the one lead filter spec.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs page describe a staff-only API: staff only, as the API itself.
    "SERVE_PERMISSIONS": ["api.permissions.IsActiveStaff"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# The export rate limit counts in this cache; the database cache works across
# processes on the embedded default (created by `manage.py createcachetable`).
CACHES = {
    "default": {
        "BACKEND": env_str("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": env_str("CACHE_LOCATION", "leadsite_cache"),
    }
}

# E-mail for scheduled-export notifications: printed to the console while
# DEBUG is on, sent over SMTP (EMAIL_HOST, ...) otherwise.
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25, minimum=1, maximum=65535),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "leadsite@localhost")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Rules (rules/): per-lead outcomes kept this many days, then rolled up by day (by the rule scheduler, at most
# once per RULE_OUTCOME_PRUNE_SECONDS); leads per batch of a run.
# A scheduled job (export or rule) starting more than SCHEDULE_LATE_SECONDS after its slot counts as late.
RULE_OUTCOME_RETENTION_DAYS = env_int("RULE_OUTCOME_RETENTION_DAYS", 30, minimum=1)
RULE_OUTCOME_PRUNE_SECONDS = env_int("RULE_OUTCOME_PRUNE_SECONDS", 3600, minimum=60)
RULE_BATCH_SIZE = env_int("RULE_BATCH_SIZE", 2000, minimum=1)
SCHEDULE_LATE_SECONDS = env_int("SCHEDULE_LATE_SECONDS", 300, minimum=0)

# Outreach (outreach/): auto-responses sent in the background within caps and sending hours (site time
# zone), signed with the sender identity and postal address; defaults in outreach/conf.py.
_OUTREACH = outreach_conf.DEFAULTS
OUTREACH_MAX_PER_HOUR = env_int("OUTREACH_MAX_PER_HOUR", _OUTREACH["OUTREACH_MAX_PER_HOUR"], minimum=0)
OUTREACH_MAX_PER_DAY = env_int("OUTREACH_MAX_PER_DAY", _OUTREACH["OUTREACH_MAX_PER_DAY"], minimum=0)
OUTREACH_SENDING_HOURS = env_str("OUTREACH_SENDING_HOURS", _OUTREACH["OUTREACH_SENDING_HOURS"])
outreach_conf.parse_sending_hours(OUTREACH_SENDING_HOURS)  # a malformed window stops start-up with a sentence
OUTREACH_SENDER_NAME = env_str("OUTREACH_SENDER_NAME", _OUTREACH["OUTREACH_SENDER_NAME"])
OUTREACH_POSTAL_ADDRESS = env_str("OUTREACH_POSTAL_ADDRESS", _OUTREACH["OUTREACH_POSTAL_ADDRESS"])
OUTREACH_FROM_EMAIL = env_str("OUTREACH_FROM_EMAIL", _OUTREACH["OUTREACH_FROM_EMAIL"])
OUTREACH_BATCH_SIZE = env_int("OUTREACH_BATCH_SIZE", _OUTREACH["OUTREACH_BATCH_SIZE"], minimum=1)
AB_TEST_MIN_SAMPLE = env_int("AB_TEST_MIN_SAMPLE", _OUTREACH["AB_TEST_MIN_SAMPLE"], minimum=1)
# Provider webhooks (django-anymail): the shared secret of the tracking/inbound webhook URLs
# ("user:password" in the provider's webhook settings) and the provider's signing key.
ANYMAIL = {
    key: value
    for key, value in {
        "WEBHOOK_SECRET": env_str("ANYMAIL_WEBHOOK_SECRET"),
        "MAILGUN_WEBHOOK_SIGNING_KEY": env_str("MAILGUN_WEBHOOK_SIGNING_KEY"),
    }.items()
    if value
}

# Security: strict by default whenever DEBUG is off (manage.py check --deploy
# is clean); each switch can be relaxed through the environment, e.g. behind a
# proxy that terminates TLS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Load balancers probe /health/ over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Hardening: login throttling, Content-Security-Policy, cookies, query time limits ------------------
# (django-axes, Django's built-in CSP, and a PostgreSQL statement_timeout; README "Security".)

INSTALLED_APPS.append("axes")
# After an off-site or missing `next`, a login lands on the admin index (not Django's /accounts/profile/).
LOGIN_REDIRECT_URL = "admin:index"
# The API refuses bodies it cannot take with a JSON 400 (api.negotiation) and bad paging values.
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = ["api.negotiation.BoundedJSONParser"]
REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"] = "api.strict.StrictLimitOffsetPagination"
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "api.spec_schema.add_export_links",
    "ingest.schema.strict_bodies",
]
REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = ["api.permissions.IsActiveStaff", "api.permissions.NotFromAnotherSite"]
# Axes sees every authenticate() call (the admin login form and anything else that checks a password).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
MIDDLEWARE.append("leadsite.db_timeouts.StatementTimeoutMiddleware")
MIDDLEWARE.append("leadsite.hardening.ApiNoStoreMiddleware")
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
# Locked out by user name (whatever the address) and by address (whatever the user name).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/login_locked.html"
AXES_VERBOSE = False
if env_bool("BEHIND_TLS_PROXY", False):
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Content-Security-Policy on every response: scripts and styles from this site only, inline blocks
# only with the per-request nonce. The admin, the dashboard (Chart.js) and the API docs need no more.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if env_bool("CSP_REPORT_ONLY", False):
    SECURE_CSP_REPORT_ONLY, SECURE_CSP = SECURE_CSP, {}

# A session cookie never travels with a request started by another site, not even a top-level
# link: no page elsewhere can make a signed-in user's browser create an export or change a record.
SESSION_COOKIE_SAMESITE = env_str("SESSION_COOKIE_SAMESITE", "Strict")
if SESSION_COOKIE_SAMESITE not in ("Strict", "Lax"):
    raise ImproperlyConfigured(f"SESSION_COOKIE_SAMESITE must be Strict or Lax, not {SESSION_COOKIE_SAMESITE!r}.")

# On PostgreSQL every statement of a web request is cancelled after DB_STATEMENT_TIMEOUT seconds
# (leadsite.db_timeouts); the export worker's statements get EXPORT_STATEMENT_TIMEOUT. 0 turns it off.
DB_STATEMENT_TIMEOUT = env_int("DB_STATEMENT_TIMEOUT", 5, minimum=0)
EXPORT_STATEMENT_TIMEOUT = env_int("EXPORT_STATEMENT_TIMEOUT", 900, minimum=0)
_WORKER_COMMANDS = {"db_worker", "run_scheduled_exports", "export_leads"}
_IS_WORKER = bool(set(sys.argv[1:2]) & _WORKER_COMMANDS)
# work_mem: the dashboard groups the daily rollups (about 150,000 rows at 1,000,000 leads); with
# PostgreSQL's default 4MB that sort spills to disk and takes about twice as long. Empty: server default.
DB_WORK_MEM = env_str("DB_WORK_MEM", "32MB")
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    _server_options = [f"-c work_mem={DB_WORK_MEM}"] if DB_WORK_MEM else []
    if _IS_WORKER and EXPORT_STATEMENT_TIMEOUT:
        _server_options.append(f"-c statement_timeout={EXPORT_STATEMENT_TIMEOUT * 1000}")
    if _server_options:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(_server_options)

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOG_FILE = env_str("LOG_FILE", str(DATA_DIR / "logs" / "leadsite.log"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # key=value context (export id, user, rows) is appended by the callers.
        "context": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},
    },
    "handlers": {
        "file": {
            # A RotatingFileHandler that makes the log folder on the first record, not here.
            "class": "leadsite.log_files.FolderCreatingRotatingFileHandler",
            "filename": LOG_FILE,
            "maxBytes": 10 * 1024 * 1024,
            "backupCount": 5,
            "formatter": "context",
        },
        "console": {"class": "logging.StreamHandler", "formatter": "context"},
    },
    "root": {"handlers": ["file"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["file"], "level": LOG_LEVEL, "propagate": False},
        "leads": {"handlers": ["file"], "level": LOG_LEVEL, "propagate": False},
        "exports": {"handlers": ["file"], "level": LOG_LEVEL, "propagate": False},
    },
}
if env_bool("LOG_TO_CONSOLE", False):
    for logger in ("django", "leads", "exports"):
        LOGGING["loggers"][logger]["handlers"].append("console")

"""Settings for Alliance Portal: one module, configured from the environment.

Embedded defaults suit a laptop (SQLite, Celery eager, console email). Setting
``DJANGO_ENV=production`` switches on the hardened profile that ``check --deploy`` accepts;
``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL and Redis.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ

from operability import error_reporting as _error_reporting

from .core.api_enums import ENUM_NAME_OVERRIDES as API_ENUM_NAME_OVERRIDES

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
for _name in [name for name, value in os.environ.items() if value == ""]:
    # An empty variable (``DATABASE_URL=`` in a copied .env) means "use the default", not "empty".
    del os.environ[_name]

PRODUCTION = env("DJANGO_ENV", default="development") == "production"

if PRODUCTION:
    SECRET_KEY = env("SECRET_KEY")  # required: production never runs on a built-in key
    DEBUG = env.bool("DEBUG", default=False)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    DEBUG = env.bool("DEBUG", default=True)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver", "[::1]"])

# The portal's own apps come first: for a word that several catalogues translate (Django admin's
# "Filter", celery-beat's "Name"), the first installed app's translation wins.
INSTALLED_APPS = [
    "accounts",
    "alliances",
    "calls",
    "recommendations",
    "site_visits",
    "reviews",
    "assessments",
    "projects",
    "notifications",
    "reminders",
    "alliance_portal.outbox",
    "alliance_portal.workdays",
    "demo",  # load_demo_data, generate_scale_data: builds data through every app's services
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "dashboards",  # after knox: its admin replaces knox's AuthToken admin
    "django_prometheus",
    "dbbackup",
    "operability",  # backups, request logs, metrics (README, "Running it")
]

MIDDLEWARE = [
    # first: every response, redirects and refusals included, is counted, timed, logged and carries its id
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "operability.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # before anything reads the form in the request's declared charset; inside CSP, so its 400 has the headers
    "accounts.middleware.DeclaredCharsetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # last resort: a number the database cannot compare is a 400 (pages bound them before)
    "alliance_portal.core.middleware.OutOfRangeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # before CSRF's view check reads the form: a body over REQUEST_MAX_BYTES is refused unread (413)
    "alliance_portal.core.uploads.RequestSizeLimitMiddleware",
    # after authentication (it names the user); every refusal inside, CSRF's included, passes it
    "accounts.middleware.RefusalAuditMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.RequestContextMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",  # per-view figures: the view is resolved here
    # axes must come last: it answers locked-out requests itself
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "alliance_portal.urls"
WSGI_APPLICATION = "alliance_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "accounts.context_processors.portal",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if USING_POSTGRES:
    # Solid-state storage: a random page costs little more than a sequential one. With the default (4) the
    # planner read the whole projects table (wide rows) to count a list or to reach a deep page, where the
    # list's covering index answers in a third of the time (projects/models.py: the sort-order indexes).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c random_page_cost={env.float('PG_RANDOM_PAGE_COST', default=1.1)}")
if not USING_POSTGRES:
    # The embedded default under concurrent writes: WAL lets readers run beside the writer; every transaction
    # takes the write lock when it starts (IMMEDIATE), so two writers queue (busy timeout, seconds) instead of
    # one failing with "database is locked" when it upgrades a read to a write; a double-clicked action then
    # finds the first click's result and is refused as on PostgreSQL.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# django-prometheus's backends (the same backends, counting statements, errors and connections per alias for
# /metrics); USING_POSTGRES above keeps naming Django's own. django-dbbackup knows both engines.
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.postgresql": "django_prometheus.db.backends.postgresql",
    "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
if not USING_POSTGRES:
    # Django's default test database for SQLite, named: pytest-django recognises an in-memory one by this name
    # only (under another engine's name it would give each xdist worker a "test_<path>_gw0" file).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ---------------------------------------------------------------------------
# Redis has two roles, kept in two instances in docker-compose.yml (or at least two databases): the cache
# (sessions, throttles, rate limits; ``maxmemory`` with allkeys-lru, every key with an expiry) and the Celery
# broker (never evicts: an evicted key would be a lost task). ``REDIS_URL`` alone serves both (a laptop, CI).
REDIS_URL = env("REDIS_URL", default="")
REDIS_CACHE_URL = env("REDIS_CACHE_URL", default=REDIS_URL)
REDIS_BROKER_URL = env("REDIS_BROKER_URL", default=REDIS_URL)
# The cache is an accelerator (alliance_portal/redis_cache.py): a page waits at most this long for it
# before treating it as down (seconds), and after this many failures in a row stops asking for a while.
REDIS_CACHE_CONNECT_TIMEOUT = env.float("REDIS_CACHE_CONNECT_TIMEOUT", default=0.2)
REDIS_CACHE_SOCKET_TIMEOUT = env.float("REDIS_CACHE_SOCKET_TIMEOUT", default=0.2)
REDIS_CACHE_CIRCUIT_FAILURES = env.int("REDIS_CACHE_CIRCUIT_FAILURES", default=2)
REDIS_CACHE_CIRCUIT_RESET_SECONDS = env.float("REDIS_CACHE_CIRCUIT_RESET_SECONDS", default=5.0)
CACHE_DEFAULT_TIMEOUT = 300  # never None: no key of the portal lives for ever
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "alliance_portal.redis_cache.DegradingRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="alliance"),
            "TIMEOUT": CACHE_DEFAULT_TIMEOUT,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CACHE_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_CACHE_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "TIMEOUT": CACHE_DEFAULT_TIMEOUT}}

CELERY_BROKER_URL = REDIS_BROKER_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True  # outcomes live in our own models, not a result backend
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    # A request that enqueues a task must not hang on a broker that does not answer.
    "socket_connect_timeout": env.float("REDIS_BROKER_CONNECT_TIMEOUT", default=1.0),
    "socket_timeout": env.float("REDIS_BROKER_SOCKET_TIMEOUT", default=2.0),  # above kombu's 1 s BRPOP
    "socket_keepalive": True,
    "health_check_interval": 25,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Publishing from a page: two quick retries, then the error (the services enqueue on commit, robustly).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# After a failed hand-over to the broker a web process leaves new messages to the periodic relay for this
# long instead of trying on every commit (alliance_portal/outbox/services.py).
OUTBOX_BROKER_RETRY_SECONDS = env.float("OUTBOX_BROKER_RETRY_SECONDS", default=10.0)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A task still running when the visibility timeout ends is handed to a second worker: stop it well before.
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_TIME_LIMIT = 30 * 60

# --- Auth and security ----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.StaffModelBackend",  # model permissions of admin (staff) accounts only
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 idle minutes: the cookie's age is renewed on every request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = False  # accounts.middleware.IdleSessionMiddleware renews used sessions
# Sessions live in the database only: a Redis outage must not sign anyone out or fail a page, and a
# session ended (signed out) while Redis was away must not come back from a stale cache when it returns.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lockout: 5 failed logins within 15 minutes lock the account name (from anywhere, and from that address)
# for 15 minutes; an address alone is locked after 50 failures (any names) in 15 minutes, so that one
# office behind a NAT is not locked out by five mistyped passwords (accounts/lockout.py).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "username"]]
AXES_HANDLER = "accounts.lockout.PortalAxesHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env.int("PROXY_COUNT", default=0) else ["REMOTE_ADDR"]
)
AXES_VERBOSE = False

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^livez$", r"^healthz$"]  # probes from inside the container speak plain HTTP
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
else:
    # HSTS is sent by the development server too, so that tests see every security header.
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=3600)

# Content-Security-Policy: no inline scripts or styles, no third-party origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded documents are private: stored outside the web root, served only through views that
# check permissions. There is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "uploads")))
# Uploaded and issued files go through Django's storage API only. On the embedded default they are files under
# MEDIA_ROOT; with S3_BUCKET set they live in an S3-compatible object store (MinIO in docker-compose.yml), which
# every web and worker machine shares (django-storages). Downloads still go through the portal's views, which
# check access and stream the object; the bucket is private and the portal never hands out its addresses.
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    S3_STORAGE_OPTIONS = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env("S3_ENDPOINT_URL", default=None),  # empty: AWS itself
        "access_key": env("S3_ACCESS_KEY_ID", default=None),
        "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
        "region_name": env("S3_REGION", default="us-east-1"),
        "addressing_style": "path",  # MinIO and other self-hosted stores
        "signature_version": "s3v4",
        "default_acl": None,  # the bucket's own policy: private
        "file_overwrite": False,  # a second file of the same name gets a new name, as on the file system
        "querystring_auth": True,
        "location": env("S3_PREFIX", default=""),
    }
    file_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_STORAGE_OPTIONS}
else:
    file_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": file_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if not PRODUCTION:
    # Serve straight from static/ and the apps while developing; collectstatic is for production.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing root even when it uses finders
# Size limits (alliance_portal/core/uploads.py): a request over REQUEST_MAX_BYTES is refused before its body is read
# (nginx in docker-compose.yml has the same client_max_body_size); a file is stored up to UPLOAD_MAX_BYTES
# only, then refused by its form's own check; form fields (no files) at most DATA_UPLOAD_MAX_MEMORY_SIZE.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files go to a temporary file while they arrive
FILE_UPLOAD_HANDLERS = [
    "alliance_portal.core.uploads.SizeLimitedUploadHandler",  # first: the later ones store only what it passes on
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Email ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="alliance-portal@kjj.example.gov.cn")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # knox first: an anonymous request is then answered 401 with a WWW-Authenticate header
        "alliance_portal.core.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "alliance_portal.core.auth.TokenScopePermission",
        "alliance_portal.core.permissions.RulesPermission",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "alliance_portal.core.auth.AnonRateThrottle",
        "alliance_portal.core.auth.SessionRateThrottle",
        "alliance_portal.core.auth.TokenRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/min"),
        "user": env("API_THROTTLE_USER", default="1200/min"),
        "token": env("API_THROTTLE_TOKEN", default="600/min"),
    },
    "EXCEPTION_HANDLER": "alliance_portal.core.rest.exception_handler",
    "DEFAULT_FILTER_BACKENDS": [
        "alliance_portal.core.filters.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "alliance_portal.core.pagination.TotalOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "alliance_portal.core.pagination.PortalPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "alliance_portal.core.api_schema.PortalAutoSchema",
}
REST_KNOX = {"TOKEN_TTL": timedelta(days=90), "AUTO_REFRESH": False}
KNOX_TOKEN_MODEL = "knox.AuthToken"  # noqa: S105 (a model name) — dashboards.ApiTokenScope refers to it
SPECTACULAR_SETTINGS = {
    "TITLE": "Alliance Portal API",
    "DESCRIPTION": "Industrial technology innovation strategic alliances (产业技术创新战略联盟).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": API_ENUM_NAME_OVERRIDES,
}

# Bare /bench/ping and /bench/alliances/ (benchmarks/): off unless asked for; only `make bench`'s own server sets it.
BENCHMARK_ENDPOINTS = env.bool("PORTAL_BENCHMARK_ENDPOINTS", default=False)

# --- Portal settings (lead times, thresholds) -----------------------------------------------
PORTAL = {
    "CITY_NAME": env("PORTAL_CITY_NAME", default="淄博市"),
    "BUREAU_NAME": env("PORTAL_BUREAU_NAME", default="淄博市科学技术局"),
    "AUDIT_RETENTION_DAYS": env.int("AUDIT_RETENTION_DAYS", default=400),
    # The portal's address, for links in emails (none when empty)
    "SITE_URL": env("PORTAL_SITE_URL", default="" if PRODUCTION else "http://127.0.0.1:8000"),
    # Reminder lead times in days before a deadline (the sweeps in reminders/; more keys in reminders/conf.py)
    "REMINDERS": {
        "ASSESSMENT_LEAD_DAYS": env.list("REMINDER_ASSESSMENT_LEAD_DAYS", cast=int, default=[60, 30, 7]),
        "SELF_ASSESSMENT_LEAD_DAYS": env.list("REMINDER_SELF_ASSESSMENT_LEAD_DAYS", cast=int, default=[7]),
        "PROGRESS_REPORT_LEAD_DAYS": env.list("REMINDER_PROGRESS_REPORT_LEAD_DAYS", cast=int, default=[7]),
        "EXPERT_REVIEW_LEAD_DAYS": env.list("REMINDER_EXPERT_REVIEW_LEAD_DAYS", cast=int, default=[3]),
        "RECTIFICATION_LEAD_DAYS": env.list("REMINDER_RECTIFICATION_LEAD_DAYS", cast=int, default=[30, 7]),
        "RESUBMISSION_DAYS": env.int("REMINDER_RESUBMISSION_DAYS", default=30),
        "ANNUAL_PLAN_DUE_MONTH": env.int("REMINDER_ANNUAL_PLAN_DUE_MONTH", default=1),
        "ANNUAL_PLAN_MISSING_MONTH": env.int("REMINDER_ANNUAL_PLAN_MISSING_MONTH", default=3),
        "OVERDUE_REPEAT_DAYS": env.int("REMINDER_OVERDUE_REPEAT_DAYS", default=7),
    },
}

# --- Logging -------------------------------------------------------------------------------
# One line per request (portal.request) and per task (portal.task), each with its request id; JSON objects,
# one per line, when LOG_FORMAT=json (operability/request_log.py). Audit events go to their own logger as well
# as to the AuditEvent table.
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOG_LEVEL = env("LOG_LEVEL", default="WARNING")
# The request and task lines: on in production and with JSON; on a laptop runserver prints its own request lines.
LOG_REQUESTS = env.bool("LOG_REQUESTS", default=PRODUCTION or LOG_FORMAT == "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "operability.request_log.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "timestamp": "time",  # ISO 8601 in UTC, with milliseconds
            "rename_fields": {"levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
            # INFO at most, so that Django's DEBUG lines of SQL (counted below) are not printed unless asked for
            "level": LOG_LEVEL if LOG_LEVEL == "DEBUG" else "INFO",
        },
        "sql_count": {"class": "operability.request_log.SqlCountHandler"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "audit": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "portal.request": {"handlers": ["console"], "level": "INFO" if LOG_REQUESTS else "WARNING",
                           "propagate": False},
        "portal.task": {"handlers": ["console"], "level": "INFO" if LOG_REQUESTS else "WARNING", "propagate": False},
        "portal.backup": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Django logs each statement here while DEBUG is on: the request line's sql_count
        "django.db.backends": {"handlers": ["sql_count"], "level": "DEBUG"},
    },
}
# Our proxy (deploy/nginx.conf) sends its own X-Request-ID; without one, a client's header is not trusted.
REQUEST_ID_FROM_PROXY = env.bool("REQUEST_ID_FROM_PROXY", default=bool(env.int("PROXY_COUNT", default=0)))

# --- Metrics (operability/metrics.py) ---------------------------------------------------------------
# /metrics answers these addresses (or networks) only; the address is REMOTE_ADDR, never a forwarded header.
METRICS_ALLOWED_ADDRESSES = env.list("METRICS_ALLOWED_ADDRESSES", default=["127.0.0.1", "::1"])
# The Celery worker serves its task counters on this port (0: not at all); needs PROMETHEUS_MULTIPROC_DIR.
WORKER_METRICS_PORT = env.int("WORKER_METRICS_PORT", default=0)
WORKER_METRICS_ADDRESS = env("WORKER_METRICS_ADDRESS", default="127.0.0.1")

# --- Error reporting: a self-hosted Sentry-compatible collector, off unless SENTRY_DSN is set --------
SENTRY_ENABLED = _error_reporting.init(
    dsn=env("SENTRY_DSN", default=""),
    environment=env("SENTRY_ENVIRONMENT", default="production" if PRODUCTION else "development"),
    release=env("SENTRY_RELEASE", default=None),
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)

# --- Backups (operability/backups.py; README, "Running it") -------------------------------------------
# Each run is a dated folder under BACKUP_ROOT: the database (pg_dump custom format, or SQLite's online backup),
# the uploaded and issued files (read through the storage API), and a manifest (sizes, SHA-256, duration,
# row counts per table, a checksum of every file).
BACKUP_ROOT = Path(env("BACKUP_ROOT", default=str(BASE_DIR / "var" / "backups")))
BACKUP_KEEP_DAILY = env.int("BACKUP_KEEP_DAILY", default=7)
BACKUP_KEEP_WEEKLY = env.int("BACKUP_KEEP_WEEKLY", default=8)
STORAGES["dbbackup"] = {"BACKEND": "django.core.files.storage.FileSystemStorage",
                        "OPTIONS": {"location": str(BACKUP_ROOT)}}
DBBACKUP_SEND_EMAIL = False  # a failed run fails its command (and its cron job); the log says why

# --- Official documents (issue 17): how the bureau numbers its designation documents ----------------
# 淄科字〔2026〕1号: the issuing office's prefix (发文字号的机关代字) before the year and number.
PORTAL["DOCUMENT_NUMBER_PREFIX"] = env("PORTAL_DOCUMENT_NUMBER_PREFIX", default="淄科字")

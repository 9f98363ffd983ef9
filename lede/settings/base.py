"""Settings read from the environment, with defaults that run Lede on one laptop (embedded PostgreSQL, no broker)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from lede import embedded_postgres, version

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# True only when a reverse proxy is the one way in and sets X-Forwarded-Proto and X-Real-IP itself
# (docker-compose's nginx): only then are those headers believed (`lede.proxy`).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)

INSTALLED_APPS = [
    # First, so that its registration/ templates (login, logout, password change) win over the admin's.
    "frontend",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "annotator",
    "claims",
    "curation",
    "machine",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Listed before CommonMiddleware so that it sees the answer after it: a slash-appending redirect stays one.
    "lede.middleware.ApiNotFoundMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it turns a sign-in refused for too many failures into a 429 (lede.signin).
    "axes.middleware.AxesMiddleware",
]

# django-axes counts failed sign-ins (the login form and the token endpoint) and new accounts made
# with an invitation link, per client address (with the username, and alone) and per link (see
# lede.signin), and refuses further tries without hashing a password: a run of guesses or joins can
# neither find a password nor take the CPU that reviewers' saves need, nor lock an owner out.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("SIGNIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGNIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = "lede.signin.lockout_parameters"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password_again"]
AXES_CLIENT_IP_CALLABLE = "lede.proxy.client_ip"
AXES_LOCKOUT_CALLABLE = "lede.signin.lockout_response"
AXES_VERBOSE = False

# Every answer carries a Content-Security-Policy: pages run only Lede's own script and style files (no inline
# script, no style attribute), so text that slipped through escaping could still run nothing. Only the API's
# docs page loosens it (inline styles that Swagger UI draws), in lede/urls.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

ROOT_URLCONF = "lede.urls"
WSGI_APPLICATION = "lede.wsgi.application"

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
        },
    },
]

# PostgreSQL is Lede's one database: the server DATABASE_URL names, or else the embedded one whose data
# is in the project's .postgres folder (`lede.embedded_postgres`), started by whatever connects first.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASES = {
    "default": {
        **(
            dj_database_url.parse(DATABASE_URL)
            if DATABASE_URL
            else embedded_postgres.database_settings(BASE_DIR / ".postgres")
        ),
        "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "60")),
        # A kept connection the database dropped (a restart, a failover) is replaced when a request
        # first uses it, instead of failing that request.
        "CONN_HEALTH_CHECKS": True,
    }
}
if DATABASES["default"]["ENGINE"] not in {"django.db.backends.postgresql", "lede.embedded_postgres"}:
    raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL database (postgres://user@host:port/name).")
# Pages run many short queries; PostgreSQL's JIT compiles any whose estimate passes its threshold,
# which costs far more than such a query takes to run.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# The statements of every label save are prepared once per PostgreSQL connection (`lede.prepared`).
# Off behind a pooler that shares server connections between transactions (PgBouncer's transaction mode).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Request bodies: a JSON body or a form's fields over DATA_UPLOAD_MAX_MEMORY_SIZE are refused (413)
# before they are read (a 2 MB article pasted as JSON, escaped, fits); an uploaded file larger than
# FILE_UPLOAD_MAX_MEMORY_SIZE is written to a temporary file as it arrives instead of held in memory.
# The one-article endpoint stops reading an upload once it passes the 2 MB article limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 16 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_MEMORY_SIZE", 2621440))
# The work one article may cost: more sentences, or longer splitting, is a 400 naming the field
# that carried it (an import job fails naming the article).
ARTICLE_MAX_SENTENCES = int(os.environ.get("ARTICLE_MAX_SENTENCES", "20000"))
ARTICLE_SEGMENTATION_SECONDS = float(os.environ.get("ARTICLE_SEGMENTATION_SECONDS", "15"))
# A bulk import (JSONL) of at most this many bytes is split and saved in the request that uploads it;
# a larger one is queued for a worker (the `bulk` queue) and followed by polling its status.
ARTICLE_IMPORT_IN_REQUEST_BYTES = int(os.environ.get("ARTICLE_IMPORT_IN_REQUEST_BYTES", 1024 * 1024))
# A worker splits a bulk import's articles with this many processes (forked for the import).
ARTICLE_IMPORT_PROCESSES = int(os.environ.get("ARTICLE_IMPORT_PROCESSES", str(os.cpu_count() or 1)))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "annotator.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "annotator.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "annotator.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "annotator.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# API tokens (django-rest-knox): stored as hashes, each expires, can be revoked, and a password
# change revokes them all (annotator/receivers.py). Sent as `Authorization: Token <token>`.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=int(os.environ.get("API_TOKEN_TTL_HOURS", "24"))),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Lede API",
    "DESCRIPTION": "Sentence-level annotation of news articles: projects, documents, labels, agreement and exports.",
    # One version, the package's (pyproject.toml); reports add the commit (`lede.version`).
    "VERSION": version.package_version(),
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "annotator.jobs.JobStatus",
        "InvitationStatusEnum": "annotator.models.Invitation.Status",
        "AssignmentStatusEnum": "annotator.models.Assignment.Status",
        "ProvenanceEnum": "curation.models.Provenance",
        "DecisionWayEnum": "curation.api.serializers.DECIDED_BY_CURATOR",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "lede.openapi.add_error_responses"],
    # Swagger UI from the installed drf-spectacular-sidecar, so /api/v1/docs/ works without internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery: with no broker configured every task runs in-process, so the demo and most tests need no
# broker.
# Fetching an article by URL reaches public web servers only. Tests turn this on (tests/conftest.py)
# so that no test reaches beyond 127.0.0.0/8: then only loopback servers can be fetched
# (annotator.text.webfetch). A deployment leaves it off.
LEDE_FETCH_LOOPBACK_ONLY = False

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's Django fixup closes the database connection before and after every task unless this is
# set (then only every 2 x this many tasks): a new PostgreSQL backend for each of the many short
# agreement tasks. Workers keep theirs as requests do instead (`lede.celery_app`: CONN_MAX_AGE,
# and a connection that failed is replaced).
CELERY_DB_REUSE_MAX = 1000
# Imports and archive builds run for minutes and may be many: they have a queue of their own, so
# that agreement reports (the default queue) never wait behind them. docker-compose runs a worker
# for each queue; `celery -A lede worker -Q celery,bulk` serves both.
CELERY_TASK_ROUTES = {
    "annotator.tasks.import_articles": {"queue": "bulk"},
    "claims.tasks.build_export_archive": {"queue": "bulk"},
    "machine.tasks.train_model": {"queue": "bulk"},
}
# Celery beat (docker-compose's `beat` service) sweeps every JOB_SWEEP_SECONDS: a job or report whose
# worker has written no heartbeat for JOB_STALLED_AFTER_SECONDS is requeued (up to JOB_MAX_ATTEMPTS
# runs, then failed), and a report left pending that long is queued again (see annotator/jobs.py).
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "10"))
JOB_STALLED_AFTER_SECONDS = float(os.environ.get("JOB_STALLED_AFTER_SECONDS", "45"))
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "2"))
JOB_SWEEP_SECONDS = float(os.environ.get("JOB_SWEEP_SECONDS", "30"))
# A report's run the sweeper queued is queued again only if no worker took it this long (the broker
# lost it): sweeps while its worker is down add no copies (see claims/reports/running.py).
JOB_SWEEP_REQUEUE_SECONDS = float(os.environ.get("JOB_SWEEP_REQUEUE_SECONDS", "3600"))
CELERY_BEAT_SCHEDULE = {
    "sweep-article-imports": {"task": "annotator.tasks.sweep_article_imports", "schedule": JOB_SWEEP_SECONDS},
    "sweep-claims-jobs": {"task": "claims.tasks.sweep_jobs", "schedule": JOB_SWEEP_SECONDS},
}
# Export archives (zips under MEDIA_ROOT/exports/) are deleted this many days after they were built.
EXPORT_ARCHIVE_RETENTION_DAYS = float(os.environ.get("EXPORT_ARCHIVE_RETENTION_DAYS", "7"))
# Seconds a recomputation waits after a label change, so a burst of saves coalesces into one run.
AGREEMENT_DEBOUNCE_SECONDS = float(os.environ.get("AGREEMENT_DEBOUNCE_SECONDS", "2"))
# Without a broker a label save leaves the recomputation to a thread of its process and answers at
# once; the tests turn this off, since another thread cannot see their open transaction.
AGREEMENT_RECOMPUTE_IN_BACKGROUND = True
# During a long burst a report is still recomputed at least this often (see claims/reports/running.py).
AGREEMENT_MAX_WAIT_SECONDS = float(os.environ.get("AGREEMENT_MAX_WAIT_SECONDS", "20"))
# Bootstrap resamples for alpha's 95% interval (seeded, so a report is reproducible).
AGREEMENT_BOOTSTRAP_RESAMPLES = int(os.environ.get("AGREEMENT_BOOTSTRAP_RESAMPLES", "1000"))
# Resamples of the articles behind the reviewers' competence intervals (each refits Dawid-Skene and MACE).
COMPETENCE_RESAMPLES = int(os.environ.get("COMPETENCE_RESAMPLES", "200"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""Settings derived from defaults.py; nothing here reads the environment directly."""
import dj_database_url
from csp.constants import NONCE

from .defaults import *  # noqa: F401,F403
from .defaults import (
    BASE_DIR,
    CELERY_BROKER_URL,
    DATABASE_URL,
    LOGIN_COOLOFF_MINUTES,
    LOGIN_FAILURE_LIMIT,
    SECURE_PROXY_SSL_HEADER_ENABLED,
    TOKEN_TTL_HOURS,
    VAR_DIR,
    ZHONGTAI_VERTICALS,
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "core.platform",
    "core.hub",
    "core.data",
    "core.training",
    "core.inference",
    "core.kg",
    "core.ui",
    "core.api",
    *ZHONGTAI_VERTICALS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # NUL bytes in the URL and oversized bodies are refused before anything reads them.
    "core.api.middleware.RequestGuardMiddleware",
    "csp.middleware.CSPMiddleware",
    # Serves the vendored static assets from the app folders: no CDN, no collectstatic step.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out login into core.ui.lockout's 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "core.urls"
WSGI_APPLICATION = "core.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.ui.context.platform",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    from pathlib import Path as _Path

    # A fresh clone has no var/ yet; SQLite will not create the folder itself.
    _Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the embedded web server read while the worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
# Axes first: a locked-out username+address is refused before any password is hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = LOGIN_COOLOFF_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.platform.login_guard.client_ip"
AXES_LOCKOUT_CALLABLE = "core.ui.lockout.lockout_response"
AXES_VERBOSE = False

if SECURE_PROXY_SSL_HEADER_ENABLED:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Browsers that know CSP obey its frame-ancestors 'self' (the city dashboard frames its own
# map) and ignore this; older ones get DENY.
X_FRAME_OPTIONS = "DENY"

# Everything is served from this origin (vendored assets, no CDN). Scripts only from files:
# no inline script, no eval. Style attributes stay allowed because templates size bars and
# colour swatches with them; <style> elements and foreign stylesheets do not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'", NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "ui:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "core" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

# Upload bodies above this spill to disk instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.platform.rest.pagination.BoundedLimitOffsetPagination",
    "DEFAULT_PARSER_CLASSES": [
        "core.platform.rest.parsers.SafeJSONParser",
        "core.platform.rest.parsers.SafeFormParser",
        "core.platform.rest.parsers.SafeMultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.errors.json_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zhongtai API",
    "DESCRIPTION": (
        "Model hub, datasets, training jobs, deployments, lineage, audit and the verticals' capabilities. "
        "Every list and object is scoped to the organisations you hold a role in: an object you cannot see "
        "answers 404.\n\n"
        "**Authentication.** POST `{\"username\": ..., \"password\": ...}` to `/api/v1/auth/token/`; the answer "
        "is `{\"token\": ..., \"expires_at\": ...}`. Send `Authorization: Token <token>` with every call. A token "
        f"expires {TOKEN_TTL_HOURS:g} hours after it was issued (then 401: POST for a new one); "
        "DELETE `/api/v1/auth/token/` revokes yours. Repeated failed sign-ins lock the account out for a "
        "while (429).\n\n"
        "**Errors.** Every error is JSON: `{\"message\": \"what went wrong\", \"status\": 400, "
        "\"errors\": {\"field\": [\"what is wrong with it\"]}}` (`errors` only when fields are at fault). "
        "400 bad input, 401 no or expired token, 403 your role does not allow it, 404 not found or not yours, "
        "409 the object's state refuses it now, 413 too large, 429 too many failed sign-ins, 503 a service is down "
        "(retry after the `Retry-After` seconds)."
    ),
    "VERSION": "1",
    # One tag per operation, from its URL (core/api/tags.py); the enum hook is drf-spectacular's default.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.api.tags.group_by_area"],
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI assets come from the vendored static files: sites are air-gapped.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request bodies get their own components, without read-only fields, so clients and the
    # fuzzer send what the API takes.
    "COMPONENT_SPLIT_REQUEST": True,
}

CELERY_BROKER_URL = CELERY_BROKER_URL
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # A broker that accepts and never answers must cost a request seconds, not a worker:
    # socket timeouts bound each call (above the worker's 1 s BRPOP), publishing retries once.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_timeout": 3,
                                       "socket_connect_timeout": 3}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}

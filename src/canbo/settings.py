"""Django settings for CanBo.

Configuration comes from environment variables so that the same code runs the SQLite demo,
the PostgreSQL test run and a production server (see docs/architecture.md, "Settings").
"""

import datetime as dt
import os
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CANBO_VAR_DIR", REPO_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Demo mode (`./canbo demo`, or CANBO_DEMO=1) may run on the published demo key below; anything
# else must set CANBO_SECRET_KEY: `manage.py preflight` (run by `./canbo serve`) and the deploy
# check `canbo.W001` (`check --deploy`) refuse the demo key outside demo mode.
CANBO_DEMO = os.environ.get("CANBO_DEMO", "0") == "1"
CANBO_DEMO_SECRET_KEY = "canbo-demo-only-secret-key-change-me-in-production"  # noqa: S105 (public on purpose)
SECRET_KEY = os.environ.get("CANBO_SECRET_KEY", CANBO_DEMO_SECRET_KEY)
DEBUG = os.environ.get("CANBO_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("CANBO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "canbo.core",
    "canbo.accounts",
    "canbo.org",
    "canbo.people",
    "canbo.careers",
    "canbo.assessment",
    "canbo.campaigns",
    "canbo.lists",
    "canbo.imports",
    "canbo.rules",
    "canbo.indicators",
    "canbo.plans",
    "canbo.planning",
    "canbo.salary",
    "canbo.documents",
    "canbo.cases",
    "canbo.reports",
    "canbo.demo",
]

MIDDLEWARE = [
    # First: the request id, the one log line per request, and the 503 for a database that does
    # not answer (core.middleware; docs/van-hanh.md, "Nhật ký").
    "canbo.core.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "canbo.core.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session entered a second-factor code (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "canbo.core.middleware.SessionIdleMiddleware",
    "canbo.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "canbo.core.middleware.BadParameterMiddleware",
    "canbo.accounts.middleware.TotpRequiredMiddleware",
    "canbo.accounts.middleware.PasswordChangeRequiredMiddleware",
    # Last: turns a lockout noticed by the axes backend into the Vietnamese answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "canbo.urls"

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
                "canbo.core.context_processors.canbo",
                "canbo.accounts.context_processors.menu",
            ],
            "builtins": ["canbo.org.templatetags.units"],
        },
    },
]

WSGI_APPLICATION = "canbo.wsgi.application"

DATABASES: dict[str, dict[str, Any]]
if os.environ.get("CANBO_DB", "sqlite") == "postgresql":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("CANBO_DB_NAME", "canbo"),
            "USER": os.environ.get("CANBO_DB_USER", "canbo"),
            "PASSWORD": os.environ.get("CANBO_DB_PASSWORD", ""),
            "HOST": os.environ.get("CANBO_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("CANBO_DB_PORT", "5432"),
            # `./canbo serve` sets 60: each server thread keeps its connection between requests
            # (the load bench found a new PostgreSQL session opened for every request), checked
            # before reuse, so a restarted database server costs one failed check, not a 500.
            # Elsewhere (commands, tests) Django's default: one connection per request.
            "CONN_MAX_AGE": int(os.environ.get("CANBO_DB_CONN_MAX_AGE", "0")),
            "CONN_HEALTH_CHECKS": True,
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("CANBO_SQLITE_PATH", str(VAR_DIR / "canbo.sqlite3")),
            "OPTIONS": {
                # A write waits this long for another writer before "database is locked"; the
                # page then answers 503 with Retry-After (core.middleware), never a 500.
                "timeout": float(os.environ.get("CANBO_SQLITE_BUSY_SECONDS", "5")),
                # WAL lets readers go on while the generator or an import writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords by Django's ModelBackend; the user's grants, cached on the user for ``restrict()``, by
# GrantBackend (``canbo.core.grants``: core reads them without importing accounts).
# AxesStandaloneBackend comes first: it refuses any login (page or API Basic auth) for a locked
# user or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "canbo.accounts.backends.GrantBackend",
]

# Password policy (issue 21): at least CANBO_PASSWORD_MIN_LENGTH characters, not one of the
# 20,000 common passwords Django ships, not all digits, not close to the user's own name or login.
CANBO_PASSWORD_MIN_LENGTH = 10
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": CANBO_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese for everyone (numbers 1.234,5). No LocaleMiddleware: an English browser must not
# switch the number format while the interface has no English translation yet.
LANGUAGE_CODE = "vi"
# Vietnamese for the Django messages its own "vi" catalogue leaves untranslated (see the .po file).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Plain numbers are not grouped (a year must stay "2020"); counts use |intcomma → "40.000".
USE_THOUSAND_SEPARATOR = False
NUMBER_GROUPING = 3

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# WhiteNoise serves the static files from the app folders (no collectstatic step, no CDN), so the
# demo and a single-server installation need no separate web server for them.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Attachments and photos live on disk under MEDIA_ROOT, never in the database; they are served
# only through access-checked views, so MEDIA_URL is not routed.
MEDIA_ROOT = Path(os.environ.get("CANBO_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
CANBO_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

# Production profile (docs/architecture.md, "Production"; docs/van-hanh.md). CANBO_HTTPS=1 when
# the users reach CanBo over HTTPS (directly or through a TLS proxy): cookies are then sent only
# over HTTPS, plain HTTP is redirected, and HSTS tells browsers to stay on HTTPS.
CANBO_HTTPS = os.environ.get("CANBO_HTTPS", "0") == "1"
SESSION_COOKIE_SECURE = CANBO_HTTPS
CSRF_COOKIE_SECURE = CANBO_HTTPS
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: htmx sends the token from the page (base.html, hx-headers).
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = CANBO_HTTPS and os.environ.get("CANBO_SSL_REDIRECT", "1") == "1"
# The monitoring probe (docs/van-hanh.md, "Giám sát") asks the server itself over plain HTTP on
# loopback, behind the TLS proxy: a redirect to https://127.0.0.1:8000 would answer it 301 where it
# wants 200 or 503. /healthz shows no data, so it needs no TLS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if os.environ.get("CANBO_BEHIND_PROXY", "0") == "1":
    # The TLS proxy in front says the request came over HTTPS; gunicorn trusts its forwarded
    # headers only from CANBO_FORWARDED_ALLOW_IPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("CANBO_HSTS_SECONDS", "31536000" if CANBO_HTTPS else "0"))
# The HSTS host is CanBo's own name (canbo.<province>.gov.vn): its subdomains are CanBo's too.
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("CANBO_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("CANBO_HSTS_PRELOAD", "0") == "1"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-security policy (django-csp; docs/architecture.md, "Production"): scripts, styles,
# images, fonts and requests only from CanBo itself; no inline script, no inline style, no
# eval, no framing, forms posted only to CanBo. Page behaviours live in static/js, htmx's
# indicator rules in canbo.css (base.html turns off the inline <style> htmx would add).
# Swagger UI's stylesheet draws its icons as data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser preload lists are for public Internet names; a province's internal host cannot be
# on them, so `check --deploy` need not ask for SECURE_HSTS_PRELOAD.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# A session ends when the browser closes, or after CANBO_SESSION_IDLE_MINUTES without a request:
# the server-side expiry is pushed forward by core.middleware.SessionIdleMiddleware (at most one
# session write a minute, not one per request as SESSION_SAVE_EVERY_REQUEST would do).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(os.environ.get("CANBO_SESSION_IDLE_MINUTES", "30")) * 60
CANBO_SESSION_REFRESH_SECONDS = 60

# The read log (core.AccessLog) keeps every read of dossiers for CANBO_READ_LOG_DAYS days (0: for
# ever); `./canbo readlog-purge` (manage.py readlog_purge) deletes older reads, the one deletion
# the log allows.
CANBO_READ_LOG_DAYS = int(os.environ.get("CANBO_READ_LOG_DAYS", "1825"))

# Password guessing (django-axes): after CANBO_LOGIN_FAILURE_LIMIT failed logins for one user
# name, or from one address, further attempts are refused for CANBO_LOGIN_LOCKOUT_MINUTES, with a
# Vietnamese message (accounts.views.locked_out); a successful login clears the count. The
# administrator sees and lifts lockouts in the admin ("Access attempts") or with
# `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS`.
AXES_FAILURE_LIMIT = int(os.environ.get("CANBO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("CANBO_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "canbo.accounts.views.locked_out"
AXES_VERBOSE = False
# The address axes counts is the client's: REMOTE_ADDR, or the proxy's X-Forwarded-For when
# CANBO_BEHIND_PROXY=1 (one proxy in front).
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    if os.environ.get("CANBO_BEHIND_PROXY", "0") == "1"
    else ("REMOTE_ADDR",)
)

# Second factor (django-otp, TOTP): off by default. When CANBO_TOTP=1, every superuser or
# administrator and every user with a grant that includes sensitive sections must enrol an
# authenticator app and enter its 6-digit code after the password (accounts.totp).
CANBO_TOTP = os.environ.get("CANBO_TOTP", "0") == "1"
OTP_TOTP_ISSUER = "CanBo"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The API's Basic authentication (user name and password on every call) is for demo and
# development; in production it is off unless CANBO_API_BASIC_AUTH=1, and integrations call with
# a token the administrator makes for one grant (accounts.ApiToken; docs/van-hanh.md).
CANBO_API_BASIC_AUTH = os.environ.get("CANBO_API_BASIC_AUTH", "1" if CANBO_DEMO or DEBUG else "0") == "1"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "canbo.accounts.authentication.TokenAuthentication",
        "canbo.accounts.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "canbo.accounts.authentication.TokenScope",
        "canbo.core.api.ChangeReasonRequired",
    ],
    "DEFAULT_SCHEMA_CLASS": "canbo.core.api_schema.AutoSchema",
    # JSON only: DRF's browsable HTML API writes inline styles the CSP refuses; for a browser the
    # API's page is Swagger's (/api/docs/, behind the login).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "canbo.core.api.LimitOffsetPagination",
    "DEFAULT_PARSER_CLASSES": [
        "canbo.core.api.JSONParser",
        "canbo.core.api.FormParser",
        "canbo.core.api.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "canbo.core.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CanBo API",
    "DESCRIPTION": "API của hệ thống quản lý cán bộ CanBo (cùng quyền truy cập như giao diện).",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The schema and its Swagger page need a login, as the API itself (issue 21).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # One name per choice set used under several field names (else `check --deploy` warns and
    # the schema carries hashed names such as "Level597Enum").
    "ENUM_NAME_OVERRIDES": {
        "RatingLevelEnum": "canbo.assessment.models.RatingLevel",
        "PersonCategoryEnum": "canbo.people.choices.Category",
        "CaseKindEnum": "canbo.cases.models.CaseKind",
        "UnitKindEnum": "canbo.org.choices.UnitKind",
        "UnitLevelEnum": "canbo.org.choices.Level",
        "CampaignStatusEnum": "canbo.campaigns.models.CampaignStatus",
        "DatePrecisionEnum": "canbo.core.dates.PRECISION_CHOICES",
        "VoteBodyEnum": "canbo.assessment.models.VoteBody",
    },
}

if os.environ.get("CANBO_FAST_HASHER") == "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Logs go to standard error (gunicorn and `./canbo serve` pass it on to the service's journal):
# one line per request from core.middleware.RequestContextMiddleware (canbo.request: method, path
# without query string, status, user id, milliseconds), and Django's error records with their
# traceback; each line carries the request id in brackets, whose first eight characters are the
# "Mã lỗi" of the error page. CANBO_LOG_LEVEL=WARNING drops the per-request lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "canbo.core.logs.RequestIdFilter"}},
    "formatters": {
        "canbo": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            "datefmt": "%Y-%m-%d %H:%M:%S%z",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "canbo"},
    },
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "canbo": {"handlers": ["console"], "level": os.environ.get("CANBO_LOG_LEVEL", "INFO")},
    },
}
CSRF_FAILURE_VIEW = "canbo.core.views.csrf_failure"

# Background work (imports, document batches, exports) runs as django-tasks tasks stored in the
# database and executed by `manage.py worker` (db_worker with a heartbeat, core.health), which
# `./canbo demo` and `./canbo serve` start
# beside the web server. See docs/architecture.md, "Background work".
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Health (`/healthz`, core.health): the worker writes a heartbeat file every
# CANBO_WORKER_HEARTBEAT_SECONDS; the health answer fails when the last one is older than
# CANBO_WORKER_STALE_SECONDS, or when the attachment disk (MEDIA_ROOT) has less than
# CANBO_MIN_FREE_DISK_MB free.
CANBO_WORKER_HEARTBEAT_FILE = Path(
    os.environ.get("CANBO_WORKER_HEARTBEAT_FILE", VAR_DIR / "worker-heartbeat.json")
)
CANBO_WORKER_HEARTBEAT_SECONDS = int(os.environ.get("CANBO_WORKER_HEARTBEAT_SECONDS", "15"))
CANBO_WORKER_STALE_SECONDS = int(os.environ.get("CANBO_WORKER_STALE_SECONDS", "60"))
CANBO_MIN_FREE_DISK_MB = int(os.environ.get("CANBO_MIN_FREE_DISK_MB", "500"))

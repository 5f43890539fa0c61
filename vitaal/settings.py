"""Settings for vitaal, read from the environment in this one module.

Safe local defaults: SQLite in ./data, DEBUG on only when asked for. Production sets
``VITAAL_PROFILE=production`` which turns on every transport-security setting that
``manage.py check --deploy`` asks for.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(environ.Env().str("VITAAL_DATA_DIR", default=str(BASE_DIR / "data")))

env = environ.Env()
env.smart_cast = False

PROFILE = env.str("VITAAL_PROFILE", default="development")
PRODUCTION = PROFILE == "production"
DEBUG = env.bool("DEBUG", default=False)
# Demo mode lists demo logins on the login page and accepts the demo MFA code.
DEMO_MODE = env.bool("VITAAL_DEMO", default=False)

_dev_secret = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="" if PRODUCTION else _dev_secret)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'vitaal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
# With persistent connections, test each one before a request reuses it: after a database
# restart a stale connection would otherwise fail that request with a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web process use the same file side by side.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
# The purge role, the only one that may remove expired access-log rows; used by the
# nightly retention job alone (vitaal.core.dbroles, docs/deployment.md "Database roles").
# Without it the job removes them through the default connection.
if env.str("PURGE_DATABASE_URL", default=""):
    DATABASES["purge"] = env.db_url("PURGE_DATABASE_URL")
    DATABASES["purge"]["TEST"] = {"MIRROR": "default"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "vitaal.core",
    "vitaal.igm",
    "vitaal.care",
    "vitaal.surveys",
    "vitaal.indicators",
    "vitaal.api",
    "vitaal.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the session is loaded: a NUL byte must not reach PostgreSQL from anywhere.
    "vitaal.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "vitaal.core.middleware.SessionTimeoutMiddleware",
    "vitaal.core.middleware.RequestContextMiddleware",
    "vitaal.core.middleware.MFARequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vitaal.urls"
WSGI_APPLICATION = "vitaal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "vitaal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vitaal.core.context_processors.navigation",
            ],
        },
    },
]

# --- Authentication -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "vitaal.core.passwords.BreachedPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "vitaal.core.auth.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Axes does the password lockout; allauth's own limiter would answer 429 first and hide
# it, so every allauth limit is off except "login_failed", which allauth also uses for the
# two-step code. Without it, someone who knows a password could guess six-digit codes
# without end. AccountAdapter.pre_authenticate keeps it away from the password step (it
# is per account from any address: anybody could lock somebody else out).
ACCOUNT_RATE_LIMITS = {
    "change_password": None,
    "change_phone": None,
    "manage_email": None,
    "reset_password": None,
    "reauthenticate": None,
    "reset_password_from_key": None,
    "signup": None,
    "login": None,
    "request_login_code": None,
    "confirm_email": None,
    "verify_phone": None,
    # Per account: 5 wrong codes in 15 minutes, 20 in a day, then refused until the
    # window passes, even with the right code.
    "login_failed": "5/15m/key,20/1d/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "vitaal"
# TOTP secrets and recovery-code seeds are encrypted in the database (vitaal.core.mfa) with
# a key derived from MFA_ENCRYPTION_KEY, or from SECRET_KEY when that is not set. Old keys
# stay readable from the fallbacks (comma-separated), as with SECRET_KEY_FALLBACKS.
MFA_ADAPTER = "vitaal.core.mfa.MFAAdapter"
MFA_ENCRYPTION_KEY = env.str("MFA_ENCRYPTION_KEY", default="")
MFA_ENCRYPTION_KEY_FALLBACKS = env.list("MFA_ENCRYPTION_KEY_FALLBACKS", default=[])
if DEBUG and DEMO_MODE:
    # Only ever with DEBUG (allauth refuses it otherwise): demo staff accounts log in with
    # this code so that people trying the demo need no authenticator app.
    MFA_TOTP_INSECURE_BYPASS_CODE = "000000"

# Lockout (docs/deployment.md, "Login lockout"): an account is locked from one client
# address after AXES_FAILURE_LIMIT failures, never for everybody, so that nobody can lock
# someone else out; one address is locked after LOGIN_IP_FAILURE_LIMIT failures on any
# accounts (password spraying). The client address is REMOTE_ADDR unless that is one of
# TRUSTED_PROXIES (addresses or networks): then it comes from X-Forwarded-For.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "vitaal.core.auth.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "vitaal.core.middleware.client_ip"
# allauth's login form posts "login" and authenticates with email=...: the callable reads both.
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "vitaal.core.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# Inactivity timeout: the cookie is renewed on every request and dies after 30 idle
# minutes. The absolute limit is enforced by SessionTimeoutMiddleware.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="nl")
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "vitaal" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# collectstatic fills it in production; it must exist so that WhiteNoise starts quietly.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Uploads --------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
VITAAL_MAX_UPLOAD_BYTES = env.int("VITAAL_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
VITAAL_MAX_UNCOMPRESSED_BYTES = env.int("VITAAL_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024)
VITAAL_MAX_IMPORT_ROWS = env.int("VITAAL_MAX_IMPORT_ROWS", default=200_000)
# Larger imports are applied by the task worker instead of within the web request.
VITAAL_IMPORT_INLINE_ROWS = env.int("VITAAL_IMPORT_INLINE_ROWS", default=2_000)

# --- Cache ----------------------------------------------------------------------------
# Used for allauth's record of spent TOTP codes and the API throttle. Per process by
# default; with several app servers set CACHE_URL=dbcache://vitaal_cache (after
# `vitaal createcachetable`) so that every process sees the same record.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- Backups --------------------------------------------------------------------------
# Where `vitaal backup` writes and `vitaal restore-drill` looks; in production a different
# disk (and a copy off the machine), see docs/backups.md.
VITAAL_BACKUP_DIR = Path(env.str("VITAAL_BACKUP_DIR", default=str(DATA_DIR / "backups")))

# --- Background tasks -----------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "reports", "imports"],
    }
}
# A worker whose heartbeat is older than this is taken for dead and its task is run again
# (vitaal.core.workers); a task abandoned this many times is marked failed instead.
VITAAL_WORKER_LEASE_SECONDS = env.int("VITAAL_WORKER_LEASE_SECONDS", default=60)
VITAAL_TASK_MAX_ATTEMPTS = env.int("VITAAL_TASK_MAX_ATTEMPTS", default=3)

# --- API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "vitaal.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "vitaal.api.schema.VitaalAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_RATE", default="600/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "vitaal API",
    "DESCRIPTION": "Integrations for HR systems, insurers and care providers.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The enum hook is drf-spectacular's default; ours says that no input may hold NUL.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "vitaal.api.schema.no_nul_in_requests",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Several models have a "status" or "mode"; name their enums after the model.
    "ENUM_NAME_OVERRIDES": {
        "MeterModeEnum": "vitaal.igm.models.meter.MeterMode",
        "MeterSessionStatusEnum": "vitaal.igm.models.meter.SessionStatus",
        "CareRequestStatusEnum": "vitaal.care.models.requests.RequestStatus",
    },
}

# --- Security headers -----------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if PRODUCTION
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
# An authenticating relay: STARTTLS on 587 (EMAIL_USE_TLS) or TLS from the start on 465.
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="vitaal <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

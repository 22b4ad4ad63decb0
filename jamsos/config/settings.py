"""Django settings for Jamsos, read from environment variables.

Every variable goes through a typed helper in :mod:`jamsos.core.env`, which
refuses a bad value with the variable's name. SQLite under ``var/`` is the
default so a fresh checkout runs at once; production sets ``DATABASE_URL`` to
PostgreSQL. See docs/configuration.md for the full list.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from jamsos.core.bounds import MAX_BODY_BYTES, MAX_MULTIPART_BYTES, PAID_AT_WINDOW
from jamsos.core.env import ConfigError, env_bool, env_int, env_list, env_str

ENV = os.environ
BASE_DIR = Path(__file__).resolve().parent.parent  # the jamsos package
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str(ENV, "JAMSOS_VAR_DIR", str(PROJECT_DIR / "var")))

INSECURE_DEFAULT_SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

try:
    DEBUG = env_bool(ENV, "JAMSOS_DEBUG", False)
    SECRET_KEY = env_str(ENV, "JAMSOS_SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
    ALLOWED_HOSTS = env_list(ENV, "JAMSOS_ALLOWED_HOSTS", ("127.0.0.1", "localhost"))
    HTTPS = env_bool(ENV, "JAMSOS_HTTPS", not DEBUG)
    CONN_MAX_AGE = env_int(ENV, "JAMSOS_CONN_MAX_AGE", 600, minimum=0)
    DATABASE_URL = env_str(ENV, "DATABASE_URL", f"sqlite:///{VAR_DIR / 'jamsos.sqlite3'}")
    HSTS_SECONDS = env_int(ENV, "JAMSOS_HSTS_SECONDS", 31_536_000, minimum=0)
    CSRF_TRUSTED_ORIGINS = env_list(ENV, "JAMSOS_CSRF_TRUSTED_ORIGINS", ())
    # a running job whose worker has not beaten for this long is taken back into the queue
    JAMSOS_JOB_STALE_SECONDS = env_int(ENV, "JAMSOS_JOB_STALE_SECONDS", 120, minimum=10)
    # the bearer token a Prometheus server sends to /metrics (empty: staff sessions only)
    JAMSOS_METRICS_TOKEN = env_str(ENV, "JAMSOS_METRICS_TOKEN", "")
    # Sign-in and abuse (docs/security.md).
    JAMSOS_TRUSTED_PROXIES = env_int(ENV, "JAMSOS_TRUSTED_PROXIES", 0, minimum=0, maximum=10)
    JAMSOS_TOKEN_DAYS = env_int(ENV, "JAMSOS_TOKEN_DAYS", 30, minimum=1, maximum=366)
    JAMSOS_LOCKOUT_FAILURES = env_int(ENV, "JAMSOS_LOCKOUT_FAILURES", 5, minimum=2, maximum=100)
    JAMSOS_LOCKOUT_ADDRESS_FAILURES = env_int(
        ENV, "JAMSOS_LOCKOUT_ADDRESS_FAILURES", 30, minimum=5, maximum=10_000
    )
    JAMSOS_LOCKOUT_MINUTES = env_int(ENV, "JAMSOS_LOCKOUT_MINUTES", 5, minimum=1, maximum=1440)
    JAMSOS_STAFF_IDLE_MINUTES = env_int(
        ENV, "JAMSOS_STAFF_IDLE_MINUTES", 30, minimum=1, maximum=1440
    )
    JAMSOS_SESSION_HOURS = env_int(ENV, "JAMSOS_SESSION_HOURS", 12, minimum=1, maximum=24 * 30)
    # How many days before its notification a payment may say it was paid (docs/payments.md).
    JAMSOS_PAID_AT_MAX_AGE_DAYS = env_int(
        ENV, "JAMSOS_PAID_AT_MAX_AGE_DAYS", PAID_AT_WINDOW[0].days, minimum=0
    )
except ConfigError as exc:
    raise ImproperlyConfigured(f"Invalid environment variable {exc}") from exc

if not DEBUG and SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "JAMSOS_SECRET_KEY: refusing to start with DEBUG off and the default secret key; "
        "set JAMSOS_SECRET_KEY to a long random value (or JAMSOS_DEBUG=true for development)."
    )
if len(SECRET_KEY) < 50 and not DEBUG:
    raise ImproperlyConfigured("JAMSOS_SECRET_KEY: must be at least 50 characters with DEBUG off.")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",  # its Swagger UI assets, served from our own static files (no CDN)
    # core and domain apps
    "jamsos.core",
    "jamsos.accounts",
    "jamsos.registry",
    "jamsos.rules",
    "jamsos.contributions",
    "jamsos.ledger",
    "jamsos.benefits",
    "jamsos.reporting",
    "jamsos.notifications",
    "jamsos.jobs",
    "jamsos.demo",
    # interfaces
    "jamsos.api",
    "jamsos.web",
    "jamsos.cli",
]

MIDDLEWARE = [
    "jamsos.web.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "jamsos.core.net.OriginMiddleware",
    "jamsos.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jamsos.web.middleware.LanguageMiddleware",
    "jamsos.web.guards.RequestGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "jamsos.web.middleware.OfficeTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jamsos.web.middleware.SessionTimeoutMiddleware",
    "jamsos.web.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jamsos.web.middleware.DomainErrorMiddleware",
]

# Request bodies (413 above them) and uploads: jamsos/core/bounds.py.
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_BYTES
JAMSOS_MAX_UPLOAD_BYTES = MAX_MULTIPART_BYTES

ROOT_URLCONF = "jamsos.config.urls"
WSGI_APPLICATION = "jamsos.config.wsgi.application"

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
                "jamsos.web.context.jamsos",
            ],
        },
    },
]

if "DATABASE_URL" not in ENV:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the default SQLite file lives here
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a batch job writes; a busy timeout
    # waits for a lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# Bahasa Indonesia first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Head office time (WIB); each office carries its own zone and pages show
# times in the zone of the user's office (jamsos.web.middleware).
TIME_ZONE = "Asia/Jakarta"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Security: strict by default, relaxed only for plain-HTTP development.
# Sessions end after JAMSOS_SESSION_HOURS whatever happens, and staff sessions after
# JAMSOS_STAFF_IDLE_MINUTES without a request (jamsos.web.middleware.SessionTimeoutMiddleware).
SESSION_COOKIE_AGE = JAMSOS_SESSION_HOURS * 3600
OTP_TOTP_ISSUER = "Jamsos"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = HSTS_SECONDS if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Health checks come from load balancers by plain HTTP on the private side.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str(ENV, "JAMSOS_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50
#: ninja's throttles take the client address through as many proxies as the audit trail does.

# How queued notifications (one-time codes, reminders) are delivered: "console" logs them
# (development); "outbox" leaves them for an SMS or WhatsApp gateway to collect.
JAMSOS_NOTIFICATION_SENDER = env_str(ENV, "JAMSOS_NOTIFICATION_SENDER", "console")
# Claim documents: outside the web root, served only through a permission check.
JAMSOS_DOCUMENT_DIR = Path(env_str(ENV, "JAMSOS_DOCUMENT_DIR", str(VAR_DIR / "documents")))
# Should any ninja throttle be used, it reads the client address the same way (jamsos.core.net).
NINJA_NUM_PROXIES = JAMSOS_TRUSTED_PROXIES

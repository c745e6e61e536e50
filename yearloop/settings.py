"""Yearloop settings: one file, every knob read from the environment.

Development needs nothing set. Production is `DEBUG=0` with `SECRET_KEY` and
`ALLOWED_HOSTS` given; start-up refuses to run without them.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if number < minimum or (maximum is not None and number > maximum):
        bounds = f"from {minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
        raise ImproperlyConfigured(f"{name} must be {bounds}, not {number}.")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def env_url(name: str, default: str = "") -> str:
    """An http(s) address such as https://s3.example.com, or the default when unset."""
    value = os.environ.get(name) or default
    parts = urlsplit(value)
    if value and (parts.scheme not in {"http", "https"} or not parts.netloc):
        raise ImproperlyConfigured(
            f"{name} must be an http(s) address such as https://s3.example.com, not {value!r}."
        )
    return value


def env_rates(name: str, default: str) -> str:
    """Rate limits such as "5/minute,50/day": a count per second, minute, hour or day."""
    value = os.environ.get(name) or default
    for rate in value.split(","):
        count, _slash, period = rate.strip().partition("/")
        if not count.isdigit() or period not in {"second", "minute", "hour", "day"}:
            raise ImproperlyConfigured(
                f"{name} must look like 5/minute,50/day (per second, minute, hour or day), "
                f"not {value!r}."
            )
    return value


DEBUG = env_bool("DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "development-only-key-never-use-in-production-" + "x" * 20)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
else:
    try:
        SECRET_KEY = env_str("SECRET_KEY")
    except ImproperlyConfigured:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (a long random string)."
        ) from None
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must be set when DEBUG is off (comma-separated host names)."
        )

INSTALLED_APPS = [
    "accounts",
    "planner",
    "portability",
    "readers",
    "api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # the API's docs page, from its own static files rather than a CDN
    "axes",
    "yearloop.apps.TaskQueueConfig",  # django-tasks-db
]

MIDDLEWARE = [
    "yearloop.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what the app renders (whitenoise answers static files before this, already
    # compressed); outside the conditional middleware, so ETags hash the uncompressed body.
    "django.middleware.gzip.GZipMiddleware",
    "yearloop.middleware.ConditionalGetMiddleware",
    "yearloop.middleware.PrivateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yearloop.middleware.OfflineOwnerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Around the rest: a change from the offline queue is applied once, or not at all.
    "planner.idempotency.IdempotencyMiddleware",
    "yearloop.middleware.StorageFullMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "yearloop.urls"
WSGI_APPLICATION = "yearloop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yearloop.context_processors.page_path",
                "readers.bell.bell",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite creates its file but not the folder
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Writers queue for the lock instead of failing; readers never wait for writers.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The browser tests' server answers several requests at once, one thread each; an
    # in-memory test database would be a single connection shared between threads.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One process needs no shared cache; several (or rate limits across workers) use Redis.
# Redis failing is not the site failing: the cache then keeps nothing and says so in the log
# (yearloop/cache.py), and a hung Redis costs a request at most these timeouts per call.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL and urlsplit(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
    raise ImproperlyConfigured(
        f"REDIS_URL must look like redis://127.0.0.1:6379/0, not {REDIS_URL!r}."
    )
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "yearloop.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long a post's public rendering is kept for visitors (planner/post_cache.py); 0: off.
POST_CACHE_SECONDS = env_int("POST_CACHE_SECONDS", 3600)

# Background work (e-mail, the daily jobs): in the request in development; in production
# queued in the database and run by `manage.py run_worker` (docs/decisions/task-worker.md).
TASKS = {
    "default": {
        "BACKEND": env_choice(
            "TASKS_BACKEND",
            (
                "django.tasks.backends.immediate.ImmediateBackend",
                "django_tasks_db.DatabaseBackend",
            ),
            "django.tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        )
    }
}
# A worker not seen for this many seconds is taken for dead: its running task is queued again.
TASK_WORKER_LOST_AFTER = env_int("TASK_WORKER_LOST_AFTER", 60, minimum=5)
# The daily jobs start at this hour (TIME_ZONE), or at once when yesterday's run is missing.
DAILY_JOBS_HOUR = env_int("DAILY_JOBS_HOUR", 7, maximum=23)

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Log-in throttling: after 5 failures for one username, or from one address, that username
# or address waits 15 minutes. Unknown usernames lock the same way, so nothing tells
# whether an account exists.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# How many proxies sit in front (nginx: 1); the client's address is read through them
# by one helper (yearloop/addresses.py), for axes as for view counting.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "yearloop.addresses.client_address"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "planner:home"
LOGOUT_REDIRECT_URL = "planner:home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["yearloop.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))


# S3-compatible object storage for media: the bucket stays closed (private objects), and a
# signed address, when the app hands one out, works for S3_SIGNED_URL_SECONDS only.
def s3_storage() -> dict:
    """django-storages' S3Storage, configured from S3_* (keys from the AWS environment when
    S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are not given)."""
    bucket = os.environ.get("S3_BUCKET", "")
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", bucket):
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs S3_BUCKET, the bucket's name "
            f"(3-63 lower-case letters, digits, dots and hyphens), not {bucket!r}."
        )
    region = os.environ.get("S3_REGION", "")
    if region and not re.fullmatch(r"[a-z0-9-]+", region):
        raise ImproperlyConfigured(f"S3_REGION must look like eu-west-1 or auto, not {region!r}.")
    access_key = os.environ.get("S3_ACCESS_KEY_ID", "")
    secret_key = os.environ.get("S3_SECRET_ACCESS_KEY", "")
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured(
            "Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither to use the usual "
            "AWS environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, an instance role)."
        )
    expire = env_int("S3_SIGNED_URL_SECONDS", 60)
    if not 1 <= expire <= 3600:
        raise ImproperlyConfigured(
            f"S3_SIGNED_URL_SECONDS must be between 1 and 3600 seconds, not {expire}."
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_url("S3_ENDPOINT_URL") or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": expire,
            "signature_version": "s3v4",  # what newer regions and other providers accept
            "file_overwrite": False,
            # A stored name never changes content; "private" keeps shared caches (a CDN in
            # front of the bucket) from keeping a file past its signed address.
            "object_parameters": {"CacheControl": "private, max-age=31536000, immutable"},
            "max_memory_size": 2 * 1024 * 1024,  # larger files are spooled to disk
        },
    }


def s3_origin(options: dict) -> str:
    """Where the storage's signed addresses point: the endpoint, or AWS's host for the bucket."""
    if endpoint := options["endpoint_url"]:
        parts = urlsplit(endpoint)
        return f"{parts.scheme}://{parts.netloc}"
    return f"https://{options['bucket_name']}.s3.amazonaws.com"


MEDIA_STORAGE = env_choice("MEDIA_STORAGE", ("filesystem", "s3"), "filesystem")
STORAGES = {
    "default": (
        s3_storage() if MEDIA_STORAGE == "s3" else {"BACKEND": "yearloop.storage.MediaStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# With a web server in front, media is sent by it after the app checked who may see it:
# set this to its internal location (nginx: `location /protected/ { internal; alias …; }`).
MEDIA_ACCEL_REDIRECT = env_str("MEDIA_ACCEL_REDIRECT", "")
if MEDIA_ACCEL_REDIRECT and not (
    MEDIA_ACCEL_REDIRECT.startswith("/") and MEDIA_ACCEL_REDIRECT.endswith("/")
):
    raise ImproperlyConfigured(
        "MEDIA_ACCEL_REDIRECT must be the web server's internal location, with a slash at "
        f"each end, such as /protected-media/, not {MEDIA_ACCEL_REDIRECT!r}."
    )
# With object storage, after the same check: a redirect to the file's short-lived signed
# address (bytes straight from the bucket) rather than streaming it through the app.
MEDIA_SIGNED_URLS = env_bool("MEDIA_SIGNED_URLS", False)
if MEDIA_ACCEL_REDIRECT and MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(
        "MEDIA_ACCEL_REDIRECT hands nginx a file of a shared media root; with MEDIA_STORAGE=s3 "
        "leave it unset (and set MEDIA_SIGNED_URLS=1 to send readers to the bucket)."
    )
if MEDIA_SIGNED_URLS and MEDIA_STORAGE != "s3":
    raise ImproperlyConfigured(
        "MEDIA_SIGNED_URLS needs MEDIA_STORAGE=s3: files on a media root have no signed address "
        "(behind nginx, use MEDIA_ACCEL_REDIRECT)."
    )

# Photos: larger uploads are refused with a message rather than stored.
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000, minimum=1)
PHOTO_MAX_PER_ENTRY = env_int("PHOTO_MAX_PER_ENTRY", 30, minimum=1)
AVATAR_MAX_BYTES = env_int("AVATAR_MAX_BYTES", 5 * 1024 * 1024, minimum=1)
# An archive to import: the most its files may hold once unpacked, all together.
ARCHIVE_MAX_BYTES = env_int("ARCHIVE_MAX_BYTES", 2 * 1024 * 1024 * 1024, minimum=1)

# Comments a person may post, per window; counted in the cache (shared through Redis).
COMMENT_RATE_LIMITS = env_rates("COMMENT_RATE_LIMITS", "5/minute,50/day")
# Requests to subscribe by e-mail (each sends a confirmation mail), per address and per
# client address; the limit per address keeps the site from mailing anyone over and over.
SUBSCRIBE_RATE_LIMITS_PER_ADDRESS = env_rates("SUBSCRIBE_RATE_LIMITS_PER_ADDRESS", "3/hour,10/day")
SUBSCRIBE_RATE_LIMITS_PER_IP = env_rates("SUBSCRIBE_RATE_LIMITS_PER_IP", "20/hour,100/day")
# The shared secret the mail provider sends with bounce and complaint notifications
# (readers/mail_events.py); unset, the endpoint answers 404.
MAIL_EVENTS_SECRET = env_str("MAIL_EVENTS_SECRET", "")
# Requests to the JSON API per access token (or signed-in session), per window.
API_RATE_LIMITS = env_rates("API_RATE_LIMITS", "120/minute,5000/day")
# Requests to the JSON API without a token (the open routes, and 401s), per client address;
# and attempts with a token that does not work, per client address.
API_ANONYMOUS_RATE_LIMITS = env_rates("API_ANONYMOUS_RATE_LIMITS", "60/minute,2000/day")
API_FAILED_TOKEN_RATE_LIMITS = env_rates("API_FAILED_TOKEN_RATE_LIMITS", "10/minute,100/day")

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Yearloop <noreply@localhost>")
# The site's own address: every absolute URL (link previews, feeds, the sitemap, e-mail,
# archives) is built from it, never from the Host a request names. `make run` and `make
# serve` set it to the port they serve on.
SITE_URL = env_str(
    "SITE_URL", "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}"
).rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.netloc or _site.path or _site.query:
    raise ImproperlyConfigured(
        f"SITE_URL must be the site's origin, such as https://yearloop.example, not {SITE_URL!r}."
    )
# E-mail: printed on the console in development (and with EMAIL_TO_CONSOLE=1, e.g. `make
# serve` on a laptop); otherwise sent over SMTP, by default to a mail server on this host.
EMAIL_TO_CONSOLE = env_bool("EMAIL_TO_CONSOLE", DEBUG and not os.environ.get("EMAIL_HOST"))
if EMAIL_TO_CONSOLE:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    _email_host = env_str("EMAIL_HOST", "localhost")
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 25 if _email_host == "localhost" else 587, 1, 65535),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", _email_host != "localhost"),
            },
        }
    }

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if MEDIA_SIGNED_URLS:
    # A photo redirected to the bucket is an image from there to the browser's CSP check.
    SECURE_CSP["img-src"].append(s3_origin(STORAGES["default"]["OPTIONS"]))
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Production is served over HTTPS (a TLS proxy in front sets X-Forwarded-Proto).
# HTTPS=0 is for serving production settings over plain HTTP on loopback (`make serve`).
HTTPS = not DEBUG and env_bool("HTTPS", True)
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
SILENCED_SYSTEM_CHECKS = []
if not DEBUG and not HTTPS:
    # Without TLS these four HTTPS-only checks cannot pass; everything else still must.
    SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W008", "security.W012", "security.W016"]
if not DEBUG and EMAIL_TO_CONSOLE:
    SILENCED_SYSTEM_CHECKS += ["mail.E001"]  # asked for explicitly: mail is printed, not sent

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "yearloop.middleware.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "{asctime} {levelname} [{request_id}] {name}: {message}", "style": "{"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), "INFO"),
    },
}

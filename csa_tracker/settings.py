"""The one settings module. Everything that differs between machines comes from the environment.

DJANGO_DEBUG=1        development mode (off unless exactly "1")
DJANGO_SECRET_KEY     required when DEBUG is off
DATABASE_URL          e.g. postgres://postgres@127.0.0.1:5432/csa; SQLite file db.sqlite3 when unset
DJANGO_ALLOWED_HOSTS  comma-separated; defaults to localhost names
DJANGO_EMAIL_BACKEND  defaults to the console backend in DEBUG, SMTP otherwise
REDIS_URL             shared cache for several instances (e.g. redis://127.0.0.1:6379/0); local memory when unset
The README's "Running in production" and "Security" sections list the rest.
CSA_REMINDER_DAYS_BEFORE  days before a deadline partners are reminded, e.g. "7,1" (and on the day)
CSA_DIGEST_WEEKDAY    the Working Group digest's day, 0 = Monday
CSA_EVIDENCE_MAX_MB   the largest evidence file, in MB (20)
CSA_EVIDENCE_ROOT     the private folder evidence files are kept in (not under MEDIA_ROOT, never served)
CSA_EVIDENCE_S3_BUCKET  keep evidence in this S3 bucket instead (django-storages; boto3 must be installed)
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from csa_tracker.release import code_release

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "")
    return default if value == "" else value == "1"


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

# Without DJANGO_SECRET_KEY and DEBUG off the key stays empty: Django then refuses anything that signs
# (sessions, CSRF, the first request) with "The SECRET_KEY setting must not be empty", and `make serve`
# refuses to start, while commands that sign nothing (check, makemigrations) still run.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "development-only-not-secret"  # noqa: S105 - used only with DEBUG on

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "csa_tracker.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "crispy_forms",
    "crispy_bootstrap5",
    "mailer",
    "django_tasks",
    "django_tasks_db",
    "csa_tracker.accounts",
    "csa_tracker.audit",
    "csa_tracker.notifications",
    "csa_tracker.people",
    "priorities",
    "actions",
    "indicators",
    "evidence",
    "cycles",
    "calendars",
    "workflow",
    "reviews",
    "dashboards",
    "reports",
    "spreadsheets",
    "opendata",
    "search",
    "configuration",
    "plandocs",
    "demo",
    "benchmarks",
    "csa_tracker.operations",
]

MIDDLEWARE = [
    "csa_tracker.observability.RequestIdMiddleware",
    # A read whose database connection was lost mid-request is answered again (one log line per request).
    "csa_tracker.middleware.LostConnectionRetryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Outside everything that answers for a person, so it sees whether someone was signed in.
    "csa_tracker.middleware.PrivateCacheMiddleware",
    # Before anything reads the address: `%00` and its kind get the 400 page, never a query.
    "csa_tracker.middleware.ControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "csa_tracker.sessions.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "csa_tracker.accounts.two_factor.RequireTwoFactorMiddleware",
    # Django's LoginRequiredMiddleware, keeping what a signed-out person's form sent (csa_tracker/typed_text.py).
    "csa_tracker.typed_text.SessionEndedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csa_tracker.middleware.RefusalMiddleware",
    # Last, so a locked-out sign-in gets the lockout page rather than another error.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "csa_tracker.urls"

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
                "csa_tracker.accounts.context_processors.access",
                "csa_tracker.notifications.context_processors.menu_counts",
                "csa_tracker.sessions.session_clock",
            ],
            "builtins": [
                "csa_tracker.templatetags.markdown_text",
                "csa_tracker.templatetags.form_messages",
                "csa_tracker.accounts.templatetags.people",
                "csa_tracker.accounts.templatetags.navigation",
            ],
        },
    }
]

WSGI_APPLICATION = "csa_tracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A kept connection is checked before reuse, so a database restart costs no failed request.
        conn_health_checks=True,
    )
}

# SQLite (the default): write-ahead logging, so readers never block the writer; every transaction
# takes the write lock at its start (BEGIN IMMEDIATE), so two requests writing at once queue rather
# than fail half-way with "database is locked"; and a waiting request waits up to 20 s for the lock.
SQLITE_OPTIONS = {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)


def database_unreachable_message(exc: Exception) -> str:
    """One line naming the host, instead of a traceback, when the configured database is down."""
    db = DATABASES["default"]
    where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 'default port'}"
    if "sqlite" in db["ENGINE"]:
        where = str(db["NAME"])
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return f"Error: cannot use the database at {where} (from DATABASE_URL): {detail}"


# A signed-in session ends this many minutes after its last request (csa_tracker/sessions.py): a
# working day by default, not Django's fortnight. Pages may warn before it ends using this setting.
CSA_SESSION_IDLE_MINUTES = int(os.environ.get("CSA_SESSION_IDLE_MINUTES", "480"))
SESSION_COOKIE_AGE = CSA_SESSION_IDLE_MINUTES * 60

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Redis outlives a deploy: each release reads only what it built (csa_tracker/release.py).
    CSA_RELEASE = os.environ.get("CSA_RELEASE") or code_release(BASE_DIR)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{os.environ.get('DJANGO_CACHE_PREFIX', 'csa')}:{CSA_RELEASE}",
            # A Redis that does not answer costs a second, not a request (csa_tracker/cache.py).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions live in the database, so any instance can carry on a session another started. With Redis they
# are read from it (csa_tracker/session_store.py: a query fewer per request, issue 26); never from local
# memory, which each worker has its own of, so a sign-out in one would not reach the others.
SESSION_ENGINE = "csa_tracker.session_store" if REDIS_URL else "django.contrib.sessions.backends.db"

# Background work (issue 26): Django's Tasks API through the django-tasks backport. The database backend
# needs no other service (`manage.py tasks_worker` runs the jobs; `make run` and `make serve` start it);
# DJANGO_TASKS_BACKEND names another backend (e.g. "django_tasks_rq.RQBackend" where instances are many).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# An import with more rows to write than this is confirmed by the background worker, not in the request.
CSA_IMPORT_IN_BACKGROUND_ROWS = int(os.environ.get("CSA_IMPORT_IN_BACKGROUND_ROWS", "500"))

# The rendered bodies of the work-in-progress pages are cached per partnership, audience and generation
# (csa_tracker.accounts.fragments); DJANGO_FRAGMENT_CACHE=0 turns it off (every page built every time).
CSA_FRAGMENT_CACHE = os.environ.get("DJANGO_FRAGMENT_CACHE", "1") != "0"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # A username or an e-mail address, letter case ignored (README "People").
    "csa_tracker.accounts.identities.CaseInsensitiveBackend",
]

# Sign-in lockout: 10 failures for one username from one address locks that pair for a while, not forever.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# One count per account, whether its username or address was typed, in any case.
AXES_USERNAME_CALLABLE = "csa_tracker.accounts.identities.lockout_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client address comes from REMOTE_ADDR, or from the one header the proxy in front sets (never a
# header a client could choose), e.g. DJANGO_CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR behind nginx.
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "")
AXES_CLIENT_IP_CALLABLE = "csa_tracker.security.client_ip"

# Two-factor sign-in for Working Group members and administrators.
CSA_REQUIRE_2FA = env_bool("DJANGO_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = os.environ.get("DJANGO_OTP_ISSUER", "CSA Tracker")
# Recovery codes given at enrolment (django-otp static tokens), each usable once.
CSA_RECOVERY_CODES = 10

# Password-reset links asked for in an hour, per address and per client address (csa_tracker/accounts/passwords.py).
CSA_PASSWORD_RESETS_PER_ADDRESS = int(os.environ.get("CSA_PASSWORD_RESETS_PER_ADDRESS", "3"))
CSA_PASSWORD_RESETS_PER_CLIENT = int(os.environ.get("CSA_PASSWORD_RESETS_PER_CLIENT", "20"))

# An invitation link works for this many days (the invitee sets a password or accepts).
CSA_INVITATION_DAYS = int(os.environ.get("CSA_INVITATION_DAYS", "7"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))


def evidence_storage() -> dict:
    """Where evidence files are kept: never served by URL, only through the download page (issue 28).
    A private folder outside MEDIA_ROOT, or a private S3 bucket (django-storages) when
    CSA_EVIDENCE_S3_BUCKET is set; credentials then come from boto3's usual environment or instance role."""
    bucket = os.environ.get("CSA_EVIDENCE_S3_BUCKET", "")
    if bucket:
        options = {
            "bucket_name": bucket,
            "location": os.environ.get("CSA_EVIDENCE_S3_PREFIX", "evidence"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        }
        if os.environ.get("CSA_EVIDENCE_S3_REGION"):
            options["region_name"] = os.environ["CSA_EVIDENCE_S3_REGION"]
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    location = Path(os.environ.get("CSA_EVIDENCE_ROOT", BASE_DIR / "private"))
    return {"BACKEND": "csa_tracker.storage.PrivateStorage", "OPTIONS": {"location": location}}


CSA_EVIDENCE_MAX_MB = int(os.environ.get("CSA_EVIDENCE_MAX_MB", "20"))

# Hashed, compressed static files need `collectstatic` first (make serve does it); development and
# the tests serve the source files as they are (DJANGO_STATIC_MANIFEST=0).
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "csa_tracker.storage.StaticStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    # Spreadsheets wait here between preview and confirm. Under MEDIA_ROOT, so every instance that
    # shares the media folder (or a storage backend configured here) can confirm any preview.
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "imports"},
    },
    "evidence": evidence_storage(),
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail is queued in the database (django-mailer) and sent by `manage.py send_mail` from cron through
# the real backend, so a mail server that is down never fails a request (csa_tracker/mail.py).
EMAIL_BACKEND = "csa_tracker.mail.QueuedBackend"
MAILER_EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
MAILER_ERROR_HANDLER = "csa_tracker.mail.defer_and_log"
# One sender at a time per machine; cron on one machine only when several instances run.
MAILER_LOCK_PATH = os.environ.get("MAILER_LOCK_PATH", str(Path(tempfile.gettempdir()) / "csa-tracker-send-mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "csa-tracker@localhost")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
CSA_REMINDER_DAYS_BEFORE = [int(days) for days in env_list("CSA_REMINDER_DAYS_BEFORE", "7,1")]
CSA_DIGEST_WEEKDAY = int(os.environ.get("CSA_DIGEST_WEEKDAY", "0"))

SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    # Production: HTTPS only. __Host- cookies are sent only over HTTPS, for this host, on every path.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
        # Only behind a proxy that sets X-Forwarded-Proto itself and strips any the client sent.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# A refused form gets the site's page saying what happened and how to send it again.
CSRF_FAILURE_VIEW = "csa_tracker.views.csrf_failure"

# Scripts and styles only from our own static files: no inline code, no other hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# One JSON object per line, each with the request id (see csa_tracker/observability.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "csa_tracker.observability.RequestIdFilter"}},
    "formatters": {"json": {"()": "csa_tracker.observability.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own request errors already reach the root logger; no duplicate lines.
        "django": {"level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"), "propagate": True},
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes.apps": {"level": "WARNING"},  # a start-up banner in every management command otherwise
        # PDF rendering logs every step at INFO; only its warnings (a missing font, a bad CSS rule) matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

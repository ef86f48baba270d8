"""Settings of the site the server tests run ``djust serve`` on (``tests/serve/``).

Limits are small so the tests can reach them quickly: frames of 64 KiB, Django's form data of
64 KiB, request bodies of 1 MiB (``max_body_bytes``, the server's own cap).
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

SECRET_KEY = "djust-serve-tests"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "djust",
    "tests.serve.site.apps.SiteConfig",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.serve.site.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
    }
]
# Signed cookies: no database table is needed for sessions.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Served by the server's Rust static route: STATIC_ROOT is this folder, which sits beside this
# settings file (the path traversal tests try to reach it).
STATIC_URL = "/static/"
STATIC_ROOT = str(HERE / "static")

# Django's own cap on a request's form data (not files): 64 KiB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024

LIVEVIEW_CONFIG = {
    "css_framework": None,
    # The server refuses larger frames by closing the socket with 1009.
    "max_frame_bytes": 64 * 1024,
    # The server's cap on a request body (413 above it, before Django sees it).
    "max_body_bytes": 1024 * 1024,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"djust": {"handlers": ["stderr"], "level": "WARNING"}},
}

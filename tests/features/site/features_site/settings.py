"""Settings for the site the browser tests in tests/features/ serve: JS commands, streams, uploads.

It exists for those tests alone, so that editing the demo project cannot break them. Nothing to
set up: the pages store nothing, and a request without a session cookie never reads the session
or user tables, so the database is an empty in-memory SQLite (anything that did query it would
fail loudly with "no such table" instead of leaving a file behind).
"""

import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "djust-client-tests-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

INSTALLED_APPS = [
    # auth and sessions for Channels' AuthMiddlewareStack, as a real project has them
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "channels",
    "djust",
    "features",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "features_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
]

ASGI_APPLICATION = "features_site.asgi.application"
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LIVEVIEW_CONFIG = {
    # DJUST_USE_WEBSOCKET=0 serves the pages over the HTTP fallback.
    "use_websocket": os.environ.get("DJUST_USE_WEBSOCKET", "1") == "1",
    # DJUST_WEBSOCKET_PATH moves the socket (the client's and, under djust serve, the server's).
    "websocket_path": os.environ.get("DJUST_WEBSOCKET_PATH", "/ws/live/"),
    "css_framework": None,
}

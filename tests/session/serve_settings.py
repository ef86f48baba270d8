"""Settings for ``djust serve`` serving the contract views (the ``actor`` host in adapters.py).

The suite's own settings, with two things a separate server process needs: a database file
(an in-memory SQLite belongs to one process, and pytest-django's test database is not the
server's), migrated before the server starts; and the frame limit of ``LIVEVIEW_CONFIG``,
which ``djust serve`` reads once at start (``test_frame_too_large`` runs a server of its own);
and Redis for pub/sub when a test gives its URL.
"""

import os

from tests.settings import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["DJUST_CONTRACT_DB"],
    }
}

LIVEVIEW_CONFIG = {}
if os.environ.get("DJUST_CONTRACT_MAX_FRAME_BYTES"):
    LIVEVIEW_CONFIG["max_frame_bytes"] = int(os.environ["DJUST_CONTRACT_MAX_FRAME_BYTES"])
if os.environ.get("DJUST_CONTRACT_REDIS_URL"):
    # tests/serve/test_pubsub_redis.py: two servers sharing broadcasts through Redis.
    LIVEVIEW_CONFIG["pubsub"] = {"backend": "redis", "url": os.environ["DJUST_CONTRACT_REDIS_URL"]}

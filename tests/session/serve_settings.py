"""Settings for ``djust serve`` serving the contract views (the ``actor`` host in adapters.py).

The suite's own settings, with two things a separate server process needs: a database file
(an in-memory SQLite belongs to one process, and pytest-django's test database is not the
server's), migrated before the server starts; and the frame limit of ``LIVEVIEW_CONFIG``,
which ``djust serve`` reads once at start (``test_frame_too_large`` runs a server of its own).
"""

import os

from tests.settings import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["DJUST_CONTRACT_DB"],
    }
}

if os.environ.get("DJUST_CONTRACT_MAX_FRAME_BYTES"):
    LIVEVIEW_CONFIG = {"max_frame_bytes": int(os.environ["DJUST_CONTRACT_MAX_FRAME_BYTES"])}

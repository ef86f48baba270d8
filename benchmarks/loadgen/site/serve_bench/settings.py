"""The demo's settings, with the bench's URLs and a static folder of its own."""

import os

from demo_project.settings import *  # noqa: F403

ROOT_URLCONF = "serve_bench.urls"
# bench_serve.py writes the static file into a temporary folder and collects it into another.
if "SERVE_BENCH_STATIC_DIR" in os.environ:
    STATICFILES_DIRS = [os.environ["SERVE_BENCH_STATIC_DIR"]]
if "SERVE_BENCH_STATIC_ROOT" in os.environ:
    STATIC_ROOT = os.environ["SERVE_BENCH_STATIC_ROOT"]
STATIC_URL = "/static/"
# bench_pubsub.py's two-process runs: broadcasts travel through its own redis-server.
if "SERVE_BENCH_REDIS_URL" in os.environ:
    LIVEVIEW_CONFIG = {  # noqa: F405
        **LIVEVIEW_CONFIG,  # noqa: F405
        "pubsub": {"backend": "redis", "url": os.environ["SERVE_BENCH_REDIS_URL"]},
    }
# The load comes from one address (loopback) and its closed loops send as fast as they are
# answered: djust's per-address and per-connection limits would refuse it, not measure it.
LIVEVIEW_CONFIG = {  # noqa: F405
    **LIVEVIEW_CONFIG,  # noqa: F405
    "max_connections_per_address": None,
    "events_per_second": 1_000_000,
    "event_burst": 1_000_000,
}

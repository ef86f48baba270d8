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

"""The demo project plus what bench_serve.py needs and the demo has no reason to carry: a view
whose handler sleeps, a small plain Django page, and a static file of a known size.

Run from examples/demo_project with this folder's parent on PYTHONPATH and
``DJANGO_SETTINGS_MODULE=serve_bench.settings``; the demo's own URLs are served unchanged.
"""

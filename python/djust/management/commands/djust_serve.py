"""``python manage.py djust_serve``: ``djust serve`` for the project this ``manage.py`` runs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from djust import serve


class Command(BaseCommand):
    help = "Serve the project with djust's own server (HTTP, static files, LiveView sockets)."

    # The server checks nothing itself; manage.py's checks run as for runserver.
    requires_system_checks = "__all__"

    def add_arguments(self, parser: Any) -> None:
        serve.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        namespace = serve.parser("manage.py djust_serve").parse_args([])
        for name in ("settings", "bind", "workers", "threads", "reload"):
            if options.get(name) is not None:
                setattr(namespace, name, options[name])
        status = serve.run(namespace, configured=True)
        if status:
            raise CommandError("djust_serve stopped", returncode=status)

"""``python manage.py djust_audit``: every LiveView the project routes, its handlers and who may
use them — what a reviewer reads before a deployment."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from djust.audit import live_views


class Command(BaseCommand):
    help = (
        "List every LiveView with its URL, its event handlers (parameters, permissions, "
        "limits) and its auth posture."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Exit non-zero when a LiveView has no declared auth posture.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        views = live_views()
        if options["json"]:
            self.stdout.write(json.dumps([asdict(v) for v in views], indent=2))
        else:
            for view in views:
                style = self.style.WARNING if view.undeclared else self.style.SUCCESS
                self.stdout.write(f"{view.url}  {view.view}")
                self.stdout.write("  auth: " + style(view.posture))
                for handler in view.handlers:
                    notes = "; ".join(n for n in (handler.requires, handler.limits) if n)
                    self.stdout.write(
                        f"  handler {handler.name}{handler.parameters}"
                        + (f"  [{notes}]" if notes else "")
                    )
            undeclared = sum(v.undeclared for v in views)
            self.stdout.write(
                f"{len(views)} LiveView(s); {undeclared} without a declared auth posture"
            )
        if options["strict"] and any(v.undeclared for v in views):
            raise CommandError(
                "some LiveViews declare no auth posture. Instead of leaving it implicit, set "
                "login_required = True, permission_required = '...', or login_required = False."
            )

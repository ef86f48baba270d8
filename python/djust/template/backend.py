"""``DjustTemplateBackend``: a Django template backend that renders with djust's engine.

Use it in ``TEMPLATES`` with the same options as ``DjangoTemplates``::

    TEMPLATES = [{
        "BACKEND": "djust.template.backend.DjustTemplateBackend",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": [...]},
    }]

Ordinary views (``render(request, "page.html", {...})``) then render in Rust, with context
processors, ``request`` and ``{% csrf_token %}``, and LiveViews use the same engine.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.backends.base import BaseEngine
from django.template.backends.django import get_installed_libraries, reraise
from django.utils.safestring import SafeString

from djust.template.engine import Engine
from djust.template.engine import Template as EngineTemplate


class DjustTemplateBackend(BaseEngine):
    """Django's template language, rendered by djust (options as for ``DjangoTemplates``)."""

    app_dirname = "templates"

    def __init__(self, params: dict[str, Any]) -> None:
        params = params.copy()
        options = params.pop("OPTIONS").copy()
        options.setdefault("autoescape", True)
        options.setdefault("debug", settings.DEBUG)
        options.setdefault("file_charset", "utf-8")
        libraries = get_installed_libraries()
        libraries.update(options.get("libraries", {}))
        options["libraries"] = libraries
        super().__init__(params)
        self.engine = Engine.from_settings(self.dirs, self.app_dirs, **options)

    def from_string(self, template_code: str) -> BackendTemplate:
        return BackendTemplate(self.engine.from_string(template_code), self)

    def get_template(self, template_name: str) -> BackendTemplate:
        try:
            return BackendTemplate(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            reraise(exc, self)
            raise  # reraise() always raises; this tells type checkers so


class BackendTemplate:
    """A template as Django's backends hand them out: ``render(context=None, request=None)``."""

    def __init__(self, template: EngineTemplate, backend: DjustTemplateBackend) -> None:
        self.template = template
        self.backend = backend

    @property
    def origin(self) -> Any:
        return self.template.origin

    def render(self, context: dict[str, Any] | None = None, request: Any = None) -> SafeString:
        """The page as a ``SafeString``, as Django's backend gives it."""
        try:
            return self.template.render(context, request)
        except TemplateDoesNotExist as exc:
            reraise(exc, self.backend)
            raise  # reraise() always raises; this tells type checkers so

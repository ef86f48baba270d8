"""The djust template engine: Django's loaders, libraries and options, djust's renderer.

An ``Engine`` wraps a ``django.template.Engine`` (its loaders, tag libraries, builtins,
``string_if_invalid``, ``autoescape``, ``debug``): templates are found through Django's
loaders, compiled by the Rust engine and cached (recompiled when the file changes, in debug).
A template the Rust engine cannot run (it loads a tag library with tags only Django can run,
say) is rendered by the Django engine instead, with the same output; the log says so once.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import get_language

from djust import _core
from djust.template import dates, errors
from djust.template.host import Callbacks
from djust.template.libraries import EngineLibraries, describe

logger = logging.getLogger("djust")

# How many templates made from strings each engine keeps compiled.
STRING_CACHE_SIZE = 512

# Settings the render options and the cached formats depend on; changing one (in tests)
# bumps the version below.
FORMAT_SETTINGS = frozenset(
    {
        "USE_THOUSAND_SEPARATOR",
        "DECIMAL_SEPARATOR",
        "THOUSAND_SEPARATOR",
        "NUMBER_GROUPING",
        "LANGUAGE_CODE",
        "FORMAT_MODULE_PATH",
        "USE_I18N",
        "LANGUAGES",
        "DATE_FORMAT",
        "DATETIME_FORMAT",
        "TIME_FORMAT",
        "YEAR_MONTH_FORMAT",
        "MONTH_DAY_FORMAT",
        "SHORT_DATE_FORMAT",
        "SHORT_DATETIME_FORMAT",
        "DATE_INPUT_FORMATS",
        "TIME_INPUT_FORMATS",
        "DATETIME_INPUT_FORMATS",
        "FIRST_DAY_OF_WEEK",
        "LOCALE_PATHS",
    }
)
_settings_version = 0


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    global _settings_version
    if setting in FORMAT_SETTINGS:
        _settings_version += 1


def _watch_settings() -> None:
    from django.core.signals import setting_changed

    setting_changed.connect(_settings_changed, dispatch_uid="djust.template.engine")


class Template:
    """A compiled template. ``render(context, request=None)`` gives the page as a string."""

    def __init__(
        self, engine: Engine, source: str, name: str | None = None, origin: Any = None
    ) -> None:
        self.engine = engine
        self.source = source
        self.name = name
        self.origin = origin
        self._django: Any = None
        self._native: _core.Template | None = None
        try:
            self._native = _core.Template(
                source,
                name or "<string>",
                getattr(origin, "name", None),
                engine.libraries.core,
            )
        except _core.TemplateError as err:
            if err.kind != "unsupported":
                raise errors.convert(err) from None
            self._hand_to_django(str(err))

    @property
    def is_native(self) -> bool:
        """Whether the Rust engine renders this template (else Django's engine does)."""
        return self._django is None

    def native(self) -> _core.Template:
        """The Rust engine's compiled template; raises the "unsupported" error otherwise."""
        if self._native is None:
            raise errors.unsupported(f"the template {self.name!r} is rendered by Django")
        return self._native

    def _hand_to_django(self, reason: str) -> None:
        logger.info(
            "djust: template %s is rendered by Django's engine (%s)",
            self.name or "<string>",
            reason,
        )
        from django.template.base import Template as DjangoTemplate

        self._native = None
        self._django = DjangoTemplate(self.source, self.origin, self.name, self.engine.django)

    def render(self, context: Mapping[str, Any] | None = None, request: Any = None) -> SafeString:
        """Render with ``context``; with ``request``, the engine's context processors run
        (as for Django's ``RequestContext``) and ``{% csrf_token %}`` works.

        The page is a ``SafeString``, as Django's ``Template.render`` gives: HTML rendered
        here and placed in another template (or in ``format_html``) is not escaped again."""
        native = self._native
        if native is not None:
            engine = self.engine
            if request is None and type(context) is dict:
                # The common call, kept short: every render pays for what happens here.
                values: Mapping[str, Any] = context
                request = context.get("request")
            else:
                values, request = engine.render_values(context, request)
            options = engine.options()
            try:
                return SafeString(native.render(values, engine.host, options, request))
            except _core.TemplateError as err:
                if err.kind != "unsupported":
                    raise errors.convert(err) from None
                self._hand_to_django(str(err))
        else:
            _check_context(context)
        from django.template.context import make_context

        django_context = make_context(
            dict(context) if context is not None else None,
            request,
            autoescape=self.engine.django.autoescape,
        )
        return self._django.render(django_context)


def _check_context(context: Any) -> None:
    if context is not None and not isinstance(context, Mapping):
        raise TypeError(
            f"context must be a dict rather than {type(context).__name__}. Instead of "
            f"passing it, pass a dict of the variables the template uses."
        )


class Engine:
    """Django's template engine configuration, rendered by djust."""

    def __init__(self, django_engine: Any) -> None:
        self.django = django_engine
        self.libraries: EngineLibraries = describe(
            django_engine.template_builtins, django_engine.template_libraries
        )
        self.host = _core.Host(Callbacks(self), cache_templates=not django_engine.debug)
        self._by_origin: dict[str, tuple[Any, Template]] = {}
        self._by_name: dict[tuple[str, frozenset[str]], Template] = {}
        self._strings: OrderedDict[str, Template] = OrderedDict()
        self._options_version = _settings_version
        self._options = self._make_options()
        self._number_formats: dict[tuple[str, int], tuple[str, str, list[int]]] = {}
        self._date_locales: dict[tuple[str, int], _core.DateLocale] = {}
        self._processors: list[Any] | None = None
        _watch_settings()

    @classmethod
    def from_settings(
        cls, dirs: Iterable[str] = (), app_dirs: bool = False, **options: Any
    ) -> Engine:
        """An engine made from ``TEMPLATES``-style options."""
        from django.template import Engine as DjangoEngine

        return cls(DjangoEngine(dirs=list(dirs), app_dirs=app_dirs, **options))

    # --- templates -------------------------------------------------------------------------

    def from_string(self, source: str) -> Template:
        """The compiled template of ``source`` (kept for the next call with the same text)."""
        template = self._strings.get(source)
        if template is not None:
            self._strings.move_to_end(source)
            return template
        template = Template(self, source)
        self._strings[source] = template
        if len(self._strings) > STRING_CACHE_SIZE:
            self._strings.popitem(last=False)
        return template

    def get_template(self, name: str) -> Template:
        """The template ``name`` as Django's loaders find it."""
        return self.find_template(name)

    def select_template(self, names: Iterable[str]) -> Template:
        """The first of ``names`` that exists (Django's ``select_template``)."""
        from django.template import TemplateDoesNotExist

        names = list(names)
        if not names:
            raise TemplateDoesNotExist("No template names provided")
        tried: list[Any] = []
        for name in names:
            try:
                return self.find_template(name)
            except TemplateDoesNotExist as exc:
                tried.extend(exc.tried)
        raise TemplateDoesNotExist(", ".join(names), tried=tried)

    def find_template(self, name: str, skip: frozenset[str] | set[str] = frozenset()) -> Template:
        """The template ``name``, skipping the origins in ``skip`` (for ``{% extends %}``)."""
        from django.template import TemplateDoesNotExist

        key = (name, frozenset(skip))
        if not self.django.debug:
            cached = self._by_name.get(key)
            if cached is not None:
                return cached
        tried: list[Any] = []
        for loader in self.django.template_loaders:
            for origin in loader.get_template_sources(name):
                if origin.name in skip:
                    tried.append((origin, "Skipped to avoid recursion"))
                    continue
                try:
                    template = self._load(origin)
                except TemplateDoesNotExist:
                    tried.append((origin, "Source does not exist"))
                    continue
                if not self.django.debug:
                    self._by_name[key] = template
                return template
        raise TemplateDoesNotExist(name, tried=tried)

    def _load(self, origin: Any) -> Template:
        """The compiled template at ``origin``, recompiled when its file changed."""
        stamp = _file_stamp(origin.name)
        cached = self._by_origin.get(origin.name)
        if cached is not None and stamp is not None and cached[0] == stamp:
            return cached[1]
        source = origin.loader.get_contents(origin)
        if cached is not None and stamp is None and cached[1].source == source:
            return cached[1]
        template = Template(self, source, origin.template_name, origin)
        self._by_origin[origin.name] = (stamp, template)
        return template

    # --- rendering -------------------------------------------------------------------------

    def render_values(
        self, context: Mapping[str, Any] | None, request: Any
    ) -> tuple[Mapping[str, Any], Any]:
        """The variables of a render and its request (``context["request"]`` without one)."""
        _check_context(context)
        if request is None:
            values = context if context is not None else {}
            return values, values.get("request")
        return self.context_for(context, request), request

    def context_for(self, context: Mapping[str, Any] | None, request: Any) -> Mapping[str, Any]:
        """The variables of a render: the context processors' (with a request), then
        ``context``."""
        if request is None:
            return context if context is not None else {}
        from django.template.context import _builtin_context_processors
        from django.utils.module_loading import import_string

        if self._processors is None:
            names = _builtin_context_processors + tuple(self.django.context_processors)
            self._processors = [import_string(name) for name in names]
        values: dict[str, Any] = {}
        for processor in self._processors:
            values.update(processor(request))
        if context is not None:
            values.update(context)
        return values

    def options(self) -> _core.RenderOptions:
        """The render options: the engine's and the settings' (remade when a setting they
        depend on changes)."""
        if self._options_version != _settings_version:
            self._options = self._make_options()
            self._options_version = _settings_version
        return self._options

    def _make_options(self) -> _core.RenderOptions:
        from django.conf import settings

        return _core.RenderOptions(
            autoescape=self.django.autoescape,
            string_if_invalid=str(self.django.string_if_invalid),
            use_thousand_separator=bool(settings.USE_THOUSAND_SEPARATOR),
            unlocalized=_number_format(None, False),
        )

    def number_format(self) -> tuple[str, str, list[int]]:
        """The active language's number format; a render asks the first time it prints a
        localized number (finding the language costs more than rendering most templates)."""
        key = (get_language(), _settings_version)
        found = self._number_formats.get(key)
        if found is None:
            found = self._number_formats[key] = _number_format(key[0], True)
        return found

    def date_locale(self) -> _core.DateLocale:
        """The active language's date names and formats, made the first time a render in
        that language formats a date."""
        key = (get_language(), _settings_version)
        found = self._date_locales.get(key)
        if found is None:
            found = self._date_locales[key] = dates.date_locale()
        return found


def _number_format(language: str | None, use_l10n: bool) -> tuple[str, str, list[int]]:
    from django.utils.formats import get_format

    grouping = get_format("NUMBER_GROUPING", language, use_l10n=use_l10n)
    try:
        intervals = [int(size) for size in grouping]
    except TypeError:
        intervals = [int(grouping), 0]
    return (
        str(get_format("DECIMAL_SEPARATOR", language, use_l10n=use_l10n)),
        str(get_format("THOUSAND_SEPARATOR", language, use_l10n=use_l10n)),
        intervals,
    )


def _file_stamp(path: str) -> tuple[int, int] | None:
    """When and how big a template file is, to notice edits; ``None`` for non-files."""
    try:
        stat = os.stat(path)
    except (OSError, TypeError, ValueError):
        return None
    return (stat.st_mtime_ns, stat.st_size)

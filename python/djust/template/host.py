"""What the Rust engine asks of Django while it renders: project filters and simple tags,
templates from the loaders, gettext, ``reverse()``, static URLs and the clock."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from djust import _core
from djust.template import dates

if TYPE_CHECKING:
    from djust.template.engine import Engine


class Callbacks:
    """The callbacks of one engine (the Rust ``Host`` calls these methods by name)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def call_simple_tag(
        self,
        library: str,
        name: str,
        args: list[Any],
        kwargs: dict[str, Any],
        locals_: dict[str, Any] | None,
        context: Any,
        request: Any,
        autoescape: bool,
    ) -> Any:
        function, takes_context = self.engine.libraries.tags[(library, name)]
        if takes_context:
            return function(
                self.tag_context(context, locals_, request, autoescape), *args, **kwargs
            )
        return function(*args, **kwargs)

    def tag_context(
        self, context: Any, locals_: dict[str, Any] | None, request: Any, autoescape: bool
    ) -> Any:
        """A Django context as a ``takes_context`` tag expects one."""
        from django.template import Context, RequestContext

        values = dict(context) if context else {}
        if locals_:
            values.update(locals_)
        if request is not None:
            tag_context = RequestContext(request, autoescape=autoescape)
            tag_context.update(values)
        else:
            tag_context = Context(values, autoescape=autoescape)
        return tag_context

    def call_filter(
        self, library: str, name: str, value: Any, args: tuple[Any, ...], autoescape: bool
    ) -> Any:
        """A filter applied as Django's ``FilterExpression.resolve`` applies it."""
        from django.utils.safestring import SafeData, mark_safe
        from django.utils.timezone import template_localtime

        function = self.engine.libraries.filters[(library, name)]
        if getattr(function, "expects_localtime", False):
            value = template_localtime(value, None)
        if getattr(function, "needs_autoescape", False):
            result = function(value, *args, autoescape=autoescape)
        else:
            result = function(value, *args)
        if getattr(function, "is_safe", False) and isinstance(value, SafeData):
            return mark_safe(result)
        return result

    def get_template(self, names: list[str], skip: list[str]) -> _core.Template:
        if skip:
            template = self.engine.find_template(names[0], skip=set(skip))
        else:
            template = self.engine.select_template(names)
        return template.native()

    def translate(self, context: str | None, singular: str, plural: str | None, count: Any) -> str:
        from django.utils import translation

        if plural is None:
            if context is None:
                return str(translation.gettext(singular))
            return str(translation.pgettext(context, singular))
        if context is None:
            return str(translation.ngettext(singular, plural, count))
        return str(translation.npgettext(context, singular, plural, count))

    def current_language(self) -> str:
        from django.utils import translation

        return str(translation.get_language())

    def number_format(self) -> tuple[str, str, list[int]]:
        return self.engine.number_format()

    def date_locale(self) -> _core.DateLocale:
        return self.engine.date_locale()

    def time_zone(self) -> tuple[bool, tuple[int, str] | None, Any]:
        """``USE_TZ``, the current time zone's offset and name when they never change (then
        the engine converts datetimes to it by arithmetic), and the zone itself."""
        from django.conf import settings
        from django.utils.timezone import get_current_timezone

        if not settings.USE_TZ:
            return (False, None, None)
        tz = get_current_timezone()
        return (True, dates.fixed_zone(tz), tz)

    def datetime_facts(self, value: Any, localtime: bool) -> dates.DatetimeFacts | None:
        return dates.datetime_facts(value, localtime)

    def reverse_url(
        self, view_name: Any, args: list[Any], kwargs: dict[str, Any], silent: bool, request: Any
    ) -> str:
        from django.urls import NoReverseMatch, reverse

        try:
            current_app = request.current_app
        except AttributeError:
            try:
                current_app = request.resolver_match.namespace
            except AttributeError:
                current_app = None
        try:
            return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if silent:
                return ""
            raise

    def static_url(self, kind: str, path: Any) -> str:
        from django.templatetags.static import PrefixNode, StaticNode

        if kind == "file":
            return str(StaticNode.handle_simple(path))
        return str(
            PrefixNode.handle_simple("STATIC_URL" if kind == "static_prefix" else "MEDIA_URL")
        )

    def now(self, format_string: str) -> str:
        from datetime import datetime

        from django.conf import settings
        from django.template.defaultfilters import date
        from django.utils import timezone

        tzinfo = timezone.get_current_timezone() if settings.USE_TZ else None
        return str(date(datetime.now(tz=tzinfo), format_string))

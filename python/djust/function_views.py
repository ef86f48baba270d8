"""Function views: a LiveView written as a function that returns its state and handlers.

``@live_view`` (:mod:`djust.decorators`) turns such a function into a :class:`FunctionLiveView`
subclass: the function runs at mount, its plain values are the template context, its inner
functions the event handlers, and variables they change with ``nonlocal`` are read back from
their closure cells at every render.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.http import HttpRequest

from djust.live_view import CONFIG_NAMES, LiveView


class FunctionLiveView(LiveView):
    """A LiveView built by ``@live_view`` from a function returning ``locals()``."""

    view_function: ClassVar[Callable[..., Any]]

    def mount(self, request: HttpRequest, **kwargs: Any) -> None:
        function = type(self).view_function
        scope = function(request, **kwargs)
        if not isinstance(scope, Mapping):
            raise TypeError(
                f"@live_view function {function.__name__}() returned "
                f"{type(scope).__name__}. Instead, end it with `return locals()` (or a dict "
                f"of its state and handlers)."
            )
        self.__dict__["_scope"] = dict(scope)
        # Variables the inner functions change with `nonlocal` live in closure cells; read
        # them from there, so the template sees their current values.
        cells: dict[str, Any] = {}
        for value in scope.values():
            if inspect.isfunction(value) and value.__closure__:
                for var, cell in zip(value.__code__.co_freevars, value.__closure__, strict=True):
                    if var in scope:
                        cells[var] = cell
        self.__dict__["_cells"] = cells

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = {}
        cells = self.__dict__.get("_cells", {})
        for name, value in self.__dict__.get("_scope", {}).items():
            if name.startswith("_") or name in CONFIG_NAMES or inspect.isfunction(value):
                continue
            if name in cells:
                try:
                    value = cells[name].cell_contents
                except ValueError:  # the cell was emptied with `del`
                    continue
            context[name] = value
        context.update(super().get_context_data())
        context.update(kwargs)
        return context

    def find_event_handler(self, name: str) -> Callable[..., Any] | None:
        value = self.__dict__.get("_scope", {}).get(name) if isinstance(name, str) else None
        if inspect.isfunction(value) and not name.startswith("_"):
            return value
        return super().find_event_handler(name)


def function_view_class(
    function: Callable[..., Any], *, template_name: str | None, template_string: str | None
) -> type[FunctionLiveView]:
    """The LiveView class ``@live_view`` makes of ``function``."""
    if template_name is None and template_string is None:
        raise TypeError(
            f"@live_view on {function.__name__}() needs a template. Instead of a bare "
            f"@live_view, write @live_view(template_name='app/page.html')."
        )
    namespace = {
        "template_name": template_name,
        "template_string": template_string,
        "view_function": staticmethod(function),
        "__module__": function.__module__,
        "__qualname__": function.__qualname__,
        "__doc__": function.__doc__,
    }
    return type(function.__name__, (FunctionLiveView,), namespace)

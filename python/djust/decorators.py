"""The decorators users put on views: ``@event_handler``, ``@reactive`` and ``@live_view``.

``@event_handler`` is defined with the rest of handler finding and calling in
:mod:`djust.handlers`, ``@reactive`` with public state in :mod:`djust.public_state`; both are
importable from here, where the README's examples import them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from djust.function_views import function_view_class
from djust.handlers import event_handler
from djust.limits import debounce, rate_limit, throttle
from djust.public_state import reactive
from djust.state import cache, client_state

__all__ = [
    "cache",
    "client_state",
    "debounce",
    "event_handler",
    "live_view",
    "rate_limit",
    "reactive",
    "throttle",
]


def live_view(
    func: Callable[..., Any] | None = None,
    *,
    template_name: str | None = None,
    template_string: str | None = None,
) -> Any:
    """A LiveView written as a function that returns its state and handlers (``locals()``).

    The function runs at mount with ``(request, **url_kwargs)``. What it returns becomes the
    view: plain values are the template context, functions are the event handlers, and
    variables those functions change with ``nonlocal`` are read back after every event::

        @live_view(template_name='counter.html')
        def counter_view(request):
            count = 0

            def increment():
                nonlocal count
                count += 1

            return locals()

    The result is a Django view function for ``urlpatterns`` (``path('counter/',
    counter_view)``); its LiveView class is ``counter_view.view_class``.
    """

    def build(f: Callable[..., Any]) -> Any:
        cls = function_view_class(f, template_name=template_name, template_string=template_string)
        view = cls.as_live_view()
        view.as_live_view = cls.as_live_view  # type: ignore[attr-defined]
        return view

    if func is not None:
        if not inspect.isfunction(func):
            raise TypeError("@live_view decorates a function: @live_view(template_name='x.html')")
        return build(func)
    return build

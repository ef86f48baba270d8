"""``NavigationMixin``: ``live_patch`` and ``live_redirect`` from a LiveView's handlers.

``class ProductListView(NavigationMixin, LiveView)``. A patch changes the URL of the page the
view is on (its query, usually) without remounting: ``handle_params`` runs and the page gets the
patches. A live redirect mounts another LiveView over the same socket, with no page load.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.http import QueryDict

from djust import commands, routes
from djust.exceptions import NavigationError
from djust.params import query_params
from djust.routes import checked_url


class NavigationMixin:
    """Adds ``live_patch(params=…, path=…)`` and ``live_redirect(path)`` to a LiveView."""

    def live_patch(
        self,
        params: Mapping[str, Any] | None = None,
        path: str | None = None,
        replace: bool = False,
    ) -> None:
        """Move the page to a new URL of this same view without remounting it.

        ``params`` becomes the query (values may be lists: ``{"tag": ["a", "b"]}``); ``path``
        defaults to the current one. ``handle_params`` runs at once with the new params, and the
        browser's address bar follows after this event's patches (``replace=True`` replaces
        the history entry instead of adding one).
        """
        current = urlsplit(self.current_uri)  # type: ignore[attr-defined]
        if path is not None:
            target = urlsplit(checked_url(path, allow_external=False))
            new_path = target.path or current.path
            query = target.query
        else:
            new_path, query = current.path, current.query
        if params is not None:
            if not isinstance(params, Mapping):
                raise NavigationError(
                    f"live_patch(params=...) takes a dict, got {type(params).__name__}. "
                    f"Instead, write live_patch(params={{'page': 2}})."
                )
            query = urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
        if new_path != current.path:
            self._check_same_view(new_path)
        uri = new_path + (f"?{query}" if query else "")
        self.handle_params(query_params(QueryDict(query)), uri)  # type: ignore[attr-defined]
        command = {"t": commands.LIVE_PATCH, "to": uri, "replace": bool(replace)}
        self._queue(command)  # type: ignore[attr-defined]

    def live_redirect(self, path: str, replace: bool = False) -> None:
        """Mount the LiveView at ``path`` over the same socket, without a page load.

        For a page that is not a LiveView, the browser does a full load instead. ``path`` is a
        path on this site (``/items/3/``); for other sites use ``redirect(url)``. The flash
        (``put_flash``) goes along and shows on the view mounted there.
        """
        target = checked_url(path, allow_external=False)
        # The flash goes along to the view mounted there (djust.lifecycle.carried_flash).
        self.__dict__["_redirected_to"] = target
        command = {"t": commands.LIVE_REDIRECT, "to": target, "replace": bool(replace)}
        self._queue(command)  # type: ignore[attr-defined]

    def _check_same_view(self, path: str) -> None:
        route = routes.match(path)
        if route is None:
            raise NavigationError(
                f"live_patch to {path!r}: no URL pattern matches it. Instead of patching to a "
                f"path outside urlpatterns, patch this view's own path."
            )
        if route.view_class is not type(self):
            raise NavigationError(
                f"live_patch to {path!r} would leave {type(self).__name__} for {route.name}. "
                f"Instead of live_patch, use live_redirect({path!r}) to go to another view."
            )

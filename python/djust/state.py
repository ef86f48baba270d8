"""State decorators from the README's "State Management" section, server side.

- ``@cache(ttl, key_params)``: a handler whose effect on the view depends only on some of its
  parameters. The first call runs it and stores what it changed (the public attributes it set) in
  Django's cache; a later call with the same parameters, within ``ttl`` seconds, sets those
  attributes again without running it. Keys hold the view class, the handler, the parameters
  named in ``key_params`` (all of them by default) and the user, so one user's results are never
  shown to another.
- ``@client_state(keys)``: attributes several components on the page share. After the handler
  ran (on the view or on a component), the values of ``keys`` it holds are copied to the view
  and to every component of the page that has an attribute of that name, and pushed to the
  page's hooks as a ``client_state`` event.
- :class:`DraftModeMixin` (with :class:`~djust.forms.FormMixin`): what the user typed into the
  form is kept, per visitor and page, in Django's cache, and comes back after a reload or a
  reconnect, until the form is submitted successfully.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

from django.core.cache import caches

from djust import tokens
from djust.components.base import assign_ids
from djust.forms import FormMixin
from djust.handlers import event_handler
from djust.public_state import CONFIG_NAMES
from djust.routes import view_key

F = TypeVar("F", bound=Callable[..., Any])

_MISSING = object()


def _public(owner: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(owner).items() if not k.startswith("_") and k not in CONFIG_NAMES}


def _view_of(owner: Any) -> Any:
    """The LiveView ``owner`` is, or sits in (components know their parent)."""
    seen = 0
    while getattr(owner, "_parent", None) is not None and seen < 50:
        owner = owner._parent
        seen += 1
    return owner


def _user_key(owner: Any) -> str:
    request = _view_of(owner).__dict__.get("request")
    user = getattr(request, "user", None)
    return str(user.pk) if user is not None and user.is_authenticated else "-"


def cache(
    ttl: float = 60, key_params: Iterable[str] | None = None, backend: str = "default"
) -> Callable[[F], F]:
    """An event handler whose result (the attributes it sets) is cached for ``ttl`` seconds,
    keyed by the parameters in ``key_params`` (default: all), in Django's ``CACHES[backend]``."""
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or ttl <= 0:
        raise TypeError(f"@cache(ttl) takes a positive number of seconds, got {ttl!r}.")
    names = None if key_params is None else tuple(key_params)
    if isinstance(key_params, str):
        raise TypeError(
            f"@cache(key_params=...) takes a list of names. Instead of {key_params!r}, write "
            f"key_params=[{key_params!r}]."
        )

    def decorate(func: F) -> F:
        signature = inspect.signature(func)

        def key_of(owner: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
            bound = signature.bind(owner, *args, **kwargs)
            bound.apply_defaults()
            values = {
                k: v
                for k, v in bound.arguments.items()
                if k != "self" and (names is None or k in names)
            }
            text = json.dumps(
                [type(owner).__qualname__, func.__qualname__, values, _user_key(owner)],
                sort_keys=True,
                default=str,
            )
            digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
            return f"djust.cache:{type(owner).__module__}:{digest}"

        @functools.wraps(func)
        def run(self: Any, *args: Any, **kwargs: Any) -> Any:
            store = caches[backend]
            key = key_of(self, args, kwargs)
            hit = store.get(key, _MISSING)
            if hit is not _MISSING:
                for name, value in hit.items():
                    setattr(self, name, value)
                return None
            before = _public(self)
            result = func(self, *args, **kwargs)
            after = _public(self)
            changed = {k: v for k, v in after.items() if k not in before or before[k] is not v}
            store.set(key, changed, ttl)
            return result

        run._djust_cache = (ttl, names)  # type: ignore[attr-defined]
        return event_handler(run)  # type: ignore[return-value]

    return decorate


def client_state(keys: Iterable[str]) -> Callable[[F], F]:
    """An event handler whose attributes ``keys`` are shared by the page: after it runs, their
    values go to the view and every component that has them, and to the page's hooks."""
    if isinstance(keys, str):
        raise TypeError(
            f"@client_state takes a list of attribute names. Instead of {keys!r}, write "
            f"@client_state([{keys!r}])."
        )
    shared = tuple(keys)

    def share(owner: Any) -> None:
        values = {k: getattr(owner, k) for k in shared if hasattr(owner, k)}
        view = _view_of(owner)
        for target in [view, *assign_ids(view)]:
            if target is owner:
                continue
            for name, value in values.items():
                if hasattr(target, name):
                    setattr(target, name, value)
        try:
            json.dumps(values)
        except (TypeError, ValueError):
            return  # not for the hooks; the page's own render shows them
        view.push_event("client_state", values)

    def decorate(func: F) -> F:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(self: Any, *args: Any, **kwargs: Any) -> Any:
                result = await func(self, *args, **kwargs)
                share(self)
                return result

            wrapped: Any = run_async
        else:

            @functools.wraps(func)
            def run(self: Any, *args: Any, **kwargs: Any) -> Any:
                result = func(self, *args, **kwargs)
                share(self)
                return result

            wrapped = run
        wrapped._djust_client_state = shared
        return event_handler(wrapped)

    return decorate


class DraftModeMixin(FormMixin):
    """A :class:`~djust.forms.FormMixin` whose unsent input survives reloads and reconnects."""

    draft_ttl: ClassVar[int] = 24 * 3600
    draft_cache: ClassVar[str] = "default"

    def _draft_key(self) -> str | None:
        request = self.__dict__.get("request")
        if request is None:
            return None
        visitor, new = tokens.visitor_for_request(request)
        if new or not visitor.binding():
            return None  # a first visit: no identity yet to keep a draft under
        path = request.path_info
        return f"djust.draft:{view_key(type(self))}:{path}:{visitor.binding()}"

    def get_form(self) -> Any:
        if self.form_data is None and not self.__dict__.get("_draft_checked"):
            self.__dict__["_draft_checked"] = True
            key = self._draft_key()
            draft = caches[self.draft_cache].get(key) if key else None
            if isinstance(draft, dict):
                self.form_data = draft.get("data")
                self.form_touched = list(draft.get("touched", []))
        return super().get_form()

    @event_handler
    def validate(self, **params: Any) -> None:
        super().validate(**params)
        key = self._draft_key()
        if key:
            caches[self.draft_cache].set(
                key, {"data": self.form_data, "touched": self.form_touched}, self.draft_ttl
            )

    def discard_draft(self) -> None:
        key = self._draft_key()
        if key:
            caches[self.draft_cache].delete(key)

    def form_valid(self, form: Any) -> None:
        super().form_valid(form)
        if not form.errors:
            self.discard_draft()

"""``LiveViewTestClient``: drive a LiveView in-process, as a browser and djust's session would.

In the spirit of Phoenix.LiveViewTest: no browser, no server, no socket, but the real session.
The client loads the page as a browser would (the first GET), then talks frames to a real
:class:`~djust.session.LiveSession`: it sends events by handler name or by CSS selector
(``click("button#inc")``), follows what the server sends (``push_event``, ``live_patch``,
``live_redirect``, ``redirect``), and exposes the HTML the browser would now show and the
patches that got it there::

    from djust.testing import LiveViewTestClient

    def test_counter():
        live = LiveViewTestClient("/counter/")
        live.click("#inc")
        assert live.text("#count") == "Count: 1"
        assert live.patches == [["text", [1, 0], "Count: 1"]]

Errors come out as exceptions: an event the view refuses raises ``EventError`` with the error
frame's code (the view's state is untouched, as the error frame promises); a handler that raises
has its changes rendered first, as the session does, and then its exception is raised.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import import_module
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from djust import routes
from djust.auth import AccessRefused
from djust.components.markup import VOID_ELEMENTS
from djust.connection import Connection
from djust.exceptions import EventError
from djust.lifecycle import mount_view
from djust.live_view import LiveView
from djust.page import first_render, page_title
from djust.routes import Route
from djust.services import LocalHost
from djust.session import LiveSession

__all__ = ["Element", "LiveViewTestClient", "SelectorError"]


# --- the page as a tree of elements ---------------------------------------------------------

# An open element of the key's kind is closed by a new start tag of one of these (HTML's
# implied end tags, the common cases).
_CLOSED_BY = {
    "p": frozenset(
        {
            "p",
            "div",
            "ul",
            "ol",
            "table",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "form",
            "section",
            "article",
            "header",
            "footer",
            "nav",
            "pre",
            "blockquote",
        }
    ),
    "li": frozenset({"li"}),
    "option": frozenset({"option", "optgroup"}),
    "tr": frozenset({"tr"}),
    "td": frozenset({"td", "th", "tr"}),
    "th": frozenset({"td", "th", "tr"}),
    "dt": frozenset({"dt", "dd"}),
    "dd": frozenset({"dt", "dd"}),
}


@dataclass(eq=False)
class Element:
    """One element of the page: its tag, attributes, children and text."""

    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def get(self, name: str, default: str | None = None) -> str | None:
        """The attribute ``name`` (``""`` for a boolean attribute), or ``default``."""
        return self.attrs.get(name, default)

    @property
    def id(self) -> str | None:
        return self.attrs.get("id")

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def has_class(self, name: str) -> bool:
        return name in self.classes

    @property
    def text(self) -> str:
        """The text content, with runs of whitespace collapsed and the ends trimmed."""
        return " ".join(self.raw_text.split())

    @property
    def raw_text(self) -> str:
        """The text content exactly as in the page (``textContent``)."""
        return "".join(c if isinstance(c, str) else c.raw_text for c in self.children)

    @property
    def elements(self) -> list[Element]:
        """The child elements (text left out)."""
        return [c for c in self.children if isinstance(c, Element)]

    def iter(self) -> Iterator[Element]:
        """This element's descendants in document order (not the element itself)."""
        for child in self.elements:
            yield child
            yield from child.iter()

    def find_all(self, selector: str) -> list[Element]:
        """The descendants matching the CSS ``selector``, in document order."""
        groups = parse_selector(selector)
        return [e for e in self.iter() if any(_matches(e, g) for g in groups)]

    def find(self, selector: str) -> Element | None:
        """The first descendant matching ``selector``, or ``None``."""
        found = self.find_all(selector)
        return found[0] if found else None

    def matches(self, selector: str) -> bool:
        return any(_matches(self, g) for g in parse_selector(selector))

    def closest(self, selector: str) -> Element | None:
        """This element or its nearest ancestor matching ``selector``."""
        groups = parse_selector(selector)
        node: Element | None = self
        while node is not None and node.tag != "#root":
            if any(_matches(node, g) for g in groups):
                return node
            node = node.parent
        return None

    def __repr__(self) -> str:
        attrs = "".join(f' {k}="{v}"' for k, v in self.attrs.items())
        return f"<{self.tag}{attrs}>"


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        while len(self.stack) > 1 and tag in _CLOSED_BY.get(self.stack[-1].tag, ()):
            self.stack.pop()
        element = Element(
            tag, {k: (v if v is not None else "") for k, v in attrs}, parent=self.stack[-1]
        )
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Element:
    """``html`` as a tree under a ``#root`` element."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# --- CSS selectors ----------------------------------------------------------------------------


class SelectorError(ValueError):
    """A CSS selector the test client cannot read."""


@dataclass
class _Compound:
    tag: str | None = None
    ids: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    attrs: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    pseudos: list[tuple[str, str | None]] = field(default_factory=list)


_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s*[>+~]\s*|\s+)
  | (?P<tag>\*|[a-zA-Z][\w-]*)
  | \#(?P<id>[\w-]+)
  | \.(?P<cls>[\w-]+)
  | \[\s*(?P<attr>[\w:-]+)\s*
      (?:(?P<op>[~|^$*]?=)\s*
         (?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\]\s]+))\s*)?\]
  | :(?P<pseudo>[\w-]+)(?:\((?P<arg>[^)]*)\))?
""",
    re.X,
)

_PSEUDOS = frozenset(
    {
        "first-child",
        "last-child",
        "nth-child",
        "nth-of-type",
        "not",
        "checked",
        "disabled",
        "empty",
        "first-of-type",
        "last-of-type",
        "has-text",
    }
)


def parse_selector(selector: str) -> list[list[tuple[str, _Compound]]]:
    """``selector`` as groups (split on commas) of (combinator, compound) steps."""
    if not isinstance(selector, str) or not selector.strip():
        raise SelectorError(f"an empty selector: {selector!r}")
    groups = []
    for part in _split_commas(selector):
        steps: list[tuple[str, _Compound]] = []
        combinator, current, pos, text = " ", None, 0, part.strip()
        while pos < len(text):
            match = _TOKEN_RE.match(text, pos)
            if match is None or match.end() == pos:
                raise SelectorError(
                    f"cannot read the selector {selector!r} at {text[pos:]!r}. The test client "
                    f"understands tags, #id, .class, [attr], [attr=value] (also ^= $= *= ~=), "
                    f"descendant, >, + and ~ combinators, and :first-child, :last-child, "
                    f":nth-child(n), :nth-of-type(n), :not(...), :checked, :disabled, :empty, "
                    f":has-text(...)."
                )
            pos = match.end()
            if match.group("ws") is not None:
                if current is None:
                    raise SelectorError(f"the selector {selector!r} starts with a combinator")
                steps.append((combinator, current))
                combinator, current = match.group("ws").strip() or " ", None
                continue
            current = current or _Compound()
            if match.group("tag"):
                current.tag = None if match.group("tag") == "*" else match.group("tag").lower()
            elif match.group("id"):
                current.ids.append(match.group("id"))
            elif match.group("cls"):
                current.classes.append(match.group("cls"))
            elif match.group("attr"):
                value = next(
                    (match.group(g) for g in ("dq", "sq", "bare") if match.group(g) is not None),
                    None,
                )
                current.attrs.append((match.group("attr").lower(), match.group("op"), value))
            else:
                name = match.group("pseudo")
                if name not in _PSEUDOS:
                    raise SelectorError(f"the test client does not know :{name} ({selector!r})")
                current.pseudos.append((name, match.group("arg")))
        if current is None:
            raise SelectorError(f"the selector {selector!r} ends with a combinator")
        steps.append((combinator, current))
        groups.append(steps)
    return groups


def _split_commas(selector: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(selector):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(selector[start:i])
            start = i + 1
    parts.append(selector[start:])
    return parts


def _siblings(element: Element) -> list[Element]:
    return element.parent.elements if element.parent is not None else [element]


def _nth(arg: str | None, index: int) -> bool:
    """Whether the 1-based ``index`` fits ``an+b`` (``odd``, ``even``, ``3``, ``2n+1``)."""
    text = (arg or "").replace(" ", "").lower()
    if text == "odd":
        text = "2n+1"
    elif text == "even":
        text = "2n"
    if "n" not in text:
        try:
            return index == int(text)
        except ValueError:
            raise SelectorError(f"cannot read :nth-child({arg})") from None
    a_text, _, b_text = text.partition("n")
    a = int(a_text) if a_text not in ("", "+", "-") else (-1 if a_text == "-" else 1)
    b = int(b_text) if b_text else 0
    if a == 0:
        return index == b
    return (index - b) % a == 0 and (index - b) // a >= 0


def _compound_matches(element: Element, compound: _Compound) -> bool:
    if element.tag == "#root":
        return False
    if compound.tag is not None and element.tag != compound.tag:
        return False
    if any(element.attrs.get("id") != i for i in compound.ids):
        return False
    classes = element.classes
    if any(c not in classes for c in compound.classes):
        return False
    for name, op, value in compound.attrs:
        actual = element.attrs.get(name)
        if actual is None:
            return False
        if op is None:
            continue
        value = value or ""
        ok = {
            "=": actual == value,
            "~=": value in actual.split(),
            "|=": actual == value or actual.startswith(value + "-"),
            "^=": bool(value) and actual.startswith(value),
            "$=": bool(value) and actual.endswith(value),
            "*=": bool(value) and value in actual,
        }[op]
        if not ok:
            return False
    for name, arg in compound.pseudos:
        if not _pseudo_matches(element, name, arg):
            return False
    return True


def _pseudo_matches(element: Element, name: str, arg: str | None) -> bool:
    siblings = _siblings(element)
    if name == "first-child":
        return siblings[0] is element
    if name == "last-child":
        return siblings[-1] is element
    if name == "nth-child":
        return _nth(arg, siblings.index(element) + 1)
    same = [s for s in siblings if s.tag == element.tag]
    if name == "nth-of-type":
        return _nth(arg, same.index(element) + 1)
    if name == "first-of-type":
        return same[0] is element
    if name == "last-of-type":
        return same[-1] is element
    if name == "not":
        return not element.matches(arg or "")
    if name == "checked":
        return "checked" in element.attrs or "selected" in element.attrs
    if name == "disabled":
        return "disabled" in element.attrs
    if name == "empty":
        return not element.children
    if name == "has-text":
        return (arg or "").strip().strip("\"'") in element.text
    raise SelectorError(f"unknown pseudo-class :{name}")


def _matches(element: Element, steps: list[tuple[str, _Compound]]) -> bool:
    """Whether ``element`` matches the last step, with the steps before it matched leftwards."""

    def match_from(el: Element, index: int) -> bool:
        combinator, compound = steps[index]
        if not _compound_matches(el, compound):
            return False
        if index == 0:
            return True
        if combinator == ">":
            return el.parent is not None and match_from(el.parent, index - 1)
        if combinator == " ":
            node = el.parent
            while node is not None:
                if match_from(node, index - 1):
                    return True
                node = node.parent
            return False
        siblings = _siblings(el)
        before = siblings[: siblings.index(el)]
        if combinator == "+":
            return bool(before) and match_from(before[-1], index - 1)
        return any(match_from(s, index - 1) for s in before)  # "~"

    return match_from(element, len(steps) - 1)


# --- what an element sends ------------------------------------------------------------------


def _snake(name: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), name.replace("-", "_"))


def event_params(element: Element) -> dict[str, Any]:
    """The params an element sends with its event: ``data-*`` then ``dj-value-*`` attributes,
    their names in snake_case (``data-item-id`` → ``item_id``), as the client does."""
    params: dict[str, Any] = {}
    for name, value in element.attrs.items():
        if name.startswith("data-"):
            params[_snake(name[5:])] = value
    for name, value in element.attrs.items():
        if name.startswith("dj-value-"):
            params[_snake(name[9:])] = value
    return params


def event_target(element: Element) -> str | None:
    """The component an event from ``element`` goes to, as the client decides: the element's
    own ``dj-target`` (a component id), else the enclosing ``data-component-id``."""
    target = element.attrs.get("dj-target")
    if target:
        return target
    holder = element.closest("[data-component-id]")
    return holder.attrs["data-component-id"] if holder is not None else None


def form_values(form: Element) -> dict[str, Any]:
    """What a browser submits for ``form``: named fields, disabled ones and files left out,
    unchecked boxes left out, a repeated name as a list."""
    values: dict[str, Any] = {}

    def put(name: str, value: str) -> None:
        if name in values:
            existing = values[name]
            values[name] = (existing if isinstance(existing, list) else [existing]) + [value]
        else:
            values[name] = value

    for field_ in form.iter():
        name = field_.attrs.get("name")
        if not name or "disabled" in field_.attrs:
            continue
        if field_.tag == "input":
            kind = field_.attrs.get("type", "text").lower()
            if kind in ("file", "submit", "button", "reset", "image"):
                continue
            if kind in ("checkbox", "radio"):
                if "checked" in field_.attrs:
                    put(name, field_.attrs.get("value", "on"))
                continue
            put(name, field_.attrs.get("value", ""))
        elif field_.tag == "textarea":
            text = field_.raw_text
            put(name, text[1:] if text.startswith("\n") else text)
        elif field_.tag == "select":
            options = [o for o in field_.iter() if o.tag == "option"]
            chosen = [o for o in options if "selected" in o.attrs]
            if not chosen and options and "multiple" not in field_.attrs:
                chosen = options[:1]
            for option in chosen:
                put(name, option.attrs.get("value", option.text))
    return values


def form_values_of_field(field_: Element) -> str:
    """The value a single field holds in the page (its ``value``, a textarea's text)."""
    if field_.tag == "textarea":
        text = field_.raw_text
        return text[1:] if text.startswith("\n") else text
    return field_.attrs.get("value", "")


# --- the client -------------------------------------------------------------------------------


@dataclass
class _HistoryEntry:
    url: str
    view_class: type


class LiveViewTestClient:
    """A LiveView mounted in-process, driven the way the browser drives it.

    ``LiveViewTestClient("/counter/")`` resolves a URL through the project's ``urlpatterns``;
    ``LiveViewTestClient(CounterView)`` or ``LiveViewTestClient(CounterView, "/c/?start=3",
    pk=7)`` mounts a class directly (URL kwargs given as keywords, or resolved from the URL when
    it routes to the class). ``user`` logs a user in for the request (``request.user``);
    ``session`` is a dict for ``request.session``.

    Like a browser, the client first GETs the page (``mount``, ``handle_params``, the whole
    page with its view token), then connects a real :class:`~djust.session.LiveSession` and
    talks frames to it: the mount frame with the page's token, an event frame per event, params
    and navigate frames for links and history. It follows what the server sends as the browser
    client does.
    """

    def __init__(
        self,
        view: type[LiveView] | str | Any,
        url: str | None = None,
        *,
        user: Any = None,
        session: Mapping[str, Any] | None = None,
        **url_kwargs: Any,
    ) -> None:
        self.user = user
        self._session_data = dict(session or {})
        self._session: Any = None
        self.pushed_events: list[tuple[str, dict[str, Any]]] = []
        # Every stream update received (djust.streams): {"name", "html", "at", "deletes", ...}.
        self.stream_updates: list[dict[str, Any]] = []
        self.redirected_to: str | None = None
        self.patches: list[Any] = []
        self.title: str | None = None
        self._history: list[_HistoryEntry] = []
        self._live: LiveSession | None = None
        self._host = LocalHost()
        self._page: Element | None = None
        self._url = "/"
        self._position = -1
        self._typed: dict[tuple[int, str], str] = {}
        self._next_ref = 1
        self._isolated: tuple[str, Route] | None = None
        if isinstance(view, str):
            self._open(view, push=True)
            return
        cls = getattr(view, "view_class", view)
        if not (isinstance(cls, type) and issubclass(cls, LiveView)):
            raise TypeError(
                f"LiveViewTestClient takes a LiveView class, a view made by as_live_view() or "
                f"@live_view, or a URL; got {view!r}."
            )
        url = url or "/"
        kwargs = url_kwargs or self._resolved_kwargs(url, cls)
        self._isolated = (
            urlsplit(url).path,
            Route(cls, dict(kwargs), dict(getattr(view, "view_initkwargs", {}))),
        )
        self._open(url, push=True)

    # --- reading the page ------------------------------------------------------------------

    @property
    def view(self) -> LiveView:
        """The mounted LiveView object."""
        if self._live is None or self._live.view is None:
            raise AssertionError("no LiveView is mounted (the page redirected elsewhere)")
        return self._live.view

    @property
    def html(self) -> str:
        """The inside of the page's ``dj-root`` element as the browser now holds it."""
        return self._live.root_html if self._live is not None else ""

    @property
    def page_html(self) -> str:
        """The view's whole page as it renders now (the view token left as a placeholder)."""
        return self.view.render_page()

    @property
    def page(self) -> Element:
        """The ``dj-root`` contents as a tree, for CSS queries."""
        if self._page is None:
            self._page = parse_html(self.html)
        return self._page

    def find(self, selector: str) -> Element:
        """The first element matching ``selector``; fails the test if there is none."""
        element = self.page.find(selector)
        if element is None:
            raise AssertionError(f"no element matches {selector!r} in:\n{self.html}")
        return element

    def find_all(self, selector: str) -> list[Element]:
        """Every element matching ``selector``, in document order."""
        return self.page.find_all(selector)

    def has(self, selector: str) -> bool:
        """Whether an element matches ``selector``."""
        return self.page.find(selector) is not None

    def text(self, selector: str) -> str:
        """The (whitespace-collapsed) text of the first element matching ``selector``."""
        return self.find(selector).text

    @property
    def url(self) -> str:
        """The URL (path and query) the browser's address bar shows."""
        return self._url

    @property
    def flash(self) -> dict[str, str]:
        """The view's current flash messages, by kind."""
        return dict(self.view.__dict__.get("_flash", {}))

    # --- interacting -----------------------------------------------------------------------

    def event(self, name: str, /, target: str | None = None, **params: Any) -> list[Any]:
        """Send the event ``name`` with ``params`` (to component ``target``); returns the
        patches it produced. (A parameter called ``target`` goes through ``send_event``.)"""
        return self.send_event(name, params, target=target)

    def send_event(
        self, name: str, params: Mapping[str, Any] | None = None, target: str | None = None
    ) -> list[Any]:
        """Send the event ``name`` with a dict of params, as an event frame would."""
        self._check_live()
        # Params cross the wire as JSON: what cannot be sent cannot be tested either.
        wire = json.loads(json.dumps(dict(params or {})))
        return self._send({"t": "event", "name": name, "params": wire, "target": target})

    def click(self, selector: str, **params: Any) -> list[Any]:
        """Click the element matching ``selector``: its ``dj-click`` event (or that of its
        nearest ancestor with one) with its ``data-*``/``dj-value-*`` params and ``params``,
        or follow it when it is a ``dj-patch``/``dj-navigate`` link."""
        element = self.find(selector)
        link = element.closest("[dj-patch], [dj-navigate]")
        clickable = element.closest("[dj-click]")
        if link is not None and (clickable is None or _contains(clickable, link)):
            if "dj-patch" in link.attrs:
                return self.patch(link.attrs["dj-patch"] or link.attrs.get("href", ""))
            self.navigate(link.attrs["dj-navigate"] or link.attrs.get("href", ""))
            return self.patches
        if clickable is None:
            raise AssertionError(
                f"{selector!r} ({element!r}) has no dj-click, dj-patch or "
                f"dj-navigate, nor an ancestor with one"
            )
        return self._element_event(clickable, "dj-click", params)

    def input(self, selector: str, value: Any) -> list[Any]:
        """Type ``value`` into the field ``selector``: sends the ``dj-input`` event of the
        field (or of its form: then with every field of the form) with ``value``; the value is
        also what a later submit of its form sends."""
        return self._field_event(selector, value, "dj-input", required=False)

    def change(self, selector: str, value: Any) -> list[Any]:
        """Change the field ``selector`` to ``value``: sends the ``dj-change`` event of the
        field (or of its form) as ``input`` does."""
        return self._field_event(selector, value, "dj-change", required=True)

    def submit(self, selector: str, **values: Any) -> list[Any]:
        """Submit the form ``selector`` (or the form around it): its ``dj-submit`` event with
        the form's fields, what was typed with ``input``, then ``values``, as a dict."""
        element = self.find(selector)
        form = element.closest("form")
        if form is None or "dj-submit" not in form.attrs:
            raise AssertionError(f"{selector!r} is not in a form with dj-submit")
        data = form_values(form)
        for (form_key, name), value in self._typed.items():
            if form_key == _form_key(form, self.page):
                data[name] = value
        data.update(values)
        self._typed = {k: v for k, v in self._typed.items() if k[0] != _form_key(form, self.page)}
        params = {**event_params(form), **data}
        return self.send_event(form.attrs["dj-submit"], params, target=event_target(form))

    def keydown(self, selector: str, key: str, value: Any = None) -> list[Any]:
        """Press ``key`` in ``selector``: its ``dj-keydown`` event (if its ``dj-key`` filter
        lets ``key`` through) with ``key`` and the field's ``value``."""
        return self._key(selector, "dj-keydown", key, value)

    def keyup(self, selector: str, key: str, value: Any = None) -> list[Any]:
        """Release ``key`` in ``selector``: its ``dj-keyup`` event, as ``keydown``."""
        return self._key(selector, "dj-keyup", key, value)

    def info(self, event: str, payload: Mapping[str, Any] | None = None) -> list[Any]:
        """Deliver a message to ``handle_info`` (as pub/sub or a timer would), then render."""
        self._check_live()
        return self._receive(self._connected().handle_info(event, dict(payload or {})))

    def render(self) -> list[Any]:
        """Render again (after changing the view's state from the test); returns the patches."""
        self._check_live()
        return self._receive(self._connected().render())

    # --- navigation ------------------------------------------------------------------------

    def patch(self, url: str) -> list[Any]:
        """Follow a ``dj-patch`` link to ``url`` (``?page=2`` or a path of this view):
        ``handle_params`` runs, the page is patched, and a history entry is added."""
        self._check_live()
        parts = urlsplit(urljoin(self._url, url))
        self._url = parts.path + (f"?{parts.query}" if parts.query else "")
        self._push_history(type(self.view))
        return self._send({"t": "params", "url": self._url})

    def navigate(self, url: str, *, replace: bool = False) -> None:
        """Follow a ``dj-navigate`` link to ``url``: the LiveView there is mounted in place of
        this one; a URL that is not a LiveView is a full page load (``redirected_to``)."""
        self._check_live()
        self._navigate(urljoin(self._url, url), push=not replace)

    def back(self) -> None:
        """The browser's back button: ``handle_params`` for an entry of the same view (a patch),
        a new mount for an entry of another view."""
        if self._position <= 0:
            raise AssertionError("there is no earlier history entry to go back to")
        self._go(self._position - 1)

    def forward(self) -> None:
        """The browser's forward button."""
        if self._position >= len(self._history) - 1:
            raise AssertionError("there is no later history entry to go forward to")
        self._go(self._position + 1)

    @property
    def history(self) -> list[str]:
        """The URLs of the history entries, oldest first."""
        return [entry.url for entry in self._history]

    # --- the page load and the connection ----------------------------------------------------

    def _resolve(self, path: str) -> Route | None:
        """Which LiveView serves ``path``: the class given to the client serves its own URL."""
        if self._isolated is not None and urlsplit(path).path == self._isolated[0]:
            return self._isolated[1]
        return routes.resolve(path)

    def _open(self, url: str, *, push: bool) -> None:
        """Load ``url`` as the browser does: GET the page (following the redirects its view
        asks for while mounting), then connect and mount it over a new session."""
        for _ in range(10):
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                self.redirected_to = url
                return
            route = self._resolve(parts.path)
            if route is None:
                if routes.match(parts.path) is None:
                    raise AssertionError(f"{url!r} does not resolve to any view")
                # Not a LiveView: the browser loads the page.
                self.redirected_to = url
                return
            request = self._request(url)
            assert route.view_class is not None
            try:
                view = mount_view(route.view_class, request, route.kwargs, route.initkwargs)
            except AccessRefused as refused:
                # As the page's GET answers: the login page, or 403.
                if not refused.anonymous:
                    raise PermissionDenied(str(refused)) from None
                self.redirected_to = refused.redirect_to
                return
            loaded = first_render(view, request)
            if loaded.navigation is None:
                break
            if loaded.navigation["t"] == "redirect":
                self.redirected_to = loaded.navigation["to"]
                return
            # live_patch and live_redirect while mounting are HTTP redirects at a page load.
            url = urljoin(url, loaded.navigation["to"])
        else:
            raise AssertionError(f"{url!r} redirects in a loop")
        self._url = request.get_full_path()
        self.title = page_title(loaded.html)
        self.redirected_to = None
        if self._live is not None:
            self._live.close()
            self._host.close()
        self._host = LocalHost()
        self._live = LiveSession(
            Connection(
                visitor=loaded.visitor,
                make_request=self._page_request,
                resolve=self._resolve,
                services=self._host,
            )
        )
        self._apply(
            self._live.handle_frame(
                json.dumps({"t": "mount", "token": loaded.token, "url": self._url})
            ),
            mounting=True,
        )
        self._record_mount(push)

    def _navigate(self, url: str, *, push: bool) -> None:
        """Mount the LiveView at ``url`` over the connection, as a navigate frame does."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            self.redirected_to = url
            return
        if self._resolve(parts.path) is None and routes.match(parts.path) is None:
            raise AssertionError(f"{url!r} does not resolve to any view")
        self._url = parts.path + (f"?{parts.query}" if parts.query else "")
        frames = self._connected().handle_frame(
            json.dumps({"t": "navigate", "ref": self._ref(), "url": self._url})
        )
        self._apply(frames, mounting=True)
        self._record_mount(push)

    def _record_mount(self, push: bool) -> None:
        """A view mounted at the current URL: a new history entry, or in place of this one."""
        if self._live is None or self.redirected_to is not None:
            return
        if push or not self._history:
            self._push_history(type(self.view))
        else:
            self._history[self._position] = _HistoryEntry(self._url, type(self.view))

    def _go(self, position: int) -> None:
        entry = self._history[position]
        self._position = position
        self.redirected_to = None
        if type(self.view) is entry.view_class:
            self._url = entry.url
            self._send({"t": "params", "url": entry.url})
        else:
            self._navigate(entry.url, push=False)

    def _send(self, frame: dict[str, Any]) -> list[Any]:
        """Send ``frame`` (a ref is added) and follow what comes back; the patches."""
        frame = {**frame, "ref": self._ref()}
        return self._receive(self._connected().handle_frame(json.dumps(frame)))

    def _receive(self, frames: list[str]) -> list[Any]:
        patches = self._apply(frames)
        failure = self._connected().last_failure if self._live is not None else None
        refused = [f for f in map(json.loads, frames) if f["t"] == "error"]
        if failure is not None:
            raise failure
        if refused:
            raise EventError(refused[0]["code"], refused[0]["message"])
        return patches + self._deliver()

    def _deliver(self) -> list[Any]:
        """Deliver what waits in the session's inbox (broadcasts, fired timers, task results),
        oldest first, as the server would; the patches they produced."""
        patches: list[Any] = []
        # A view that answers each message with a broadcast to itself would never end.
        for _round in range(1_000):
            waiting = self._host.take() if self._live is not None else []
            if not waiting:
                return patches
            session = self._connected()
            for kind, args in waiting:
                if kind == "published":
                    frames = session.handle_published(*args)
                elif kind == "timer":
                    frames = session.handle_timer(*args)
                elif kind == "async_result":
                    frames = session.handle_async_result(*args)
                else:
                    frames = list(args)
                patches.extend(self._apply(frames))
                if session.last_failure is not None:
                    raise session.last_failure
        raise AssertionError("messages kept arriving: a view broadcasts to itself in a loop")

    # --- what the server starts: pub/sub, timers, tasks --------------------------------------

    def deliver_messages(self) -> list[Any]:
        """Deliver what was broadcast to this view's topics since its last step (another
        client's broadcast, a signal's), as the server pushes it; the patches."""
        self._check_live()
        return self._deliver()

    def advance_time(self, ms: float) -> list[Any]:
        """Move the session's clock on by ``ms`` milliseconds: the timers due by then fire
        (``send_after``, ``schedule_interval``), in order; the patches."""
        self._check_live()
        self._host.advance(ms)
        return self._deliver()

    def wait_for_tasks(self, timeout: float = 10) -> list[Any]:
        """Wait until the view's background tasks (``start_async``, ``@background``) have all
        finished, delivering their results as they come; the patches."""
        self._check_live()
        deadline = time.monotonic() + timeout
        patches: list[Any] = []
        while True:
            patches += self._deliver()
            if not self._connected().services.running:
                return patches
            if time.monotonic() > deadline:
                raise AssertionError(f"background tasks still ran after {timeout} s")
            self._host.wait_for_results(1, 0.05)

    def _apply(self, frames: list[str], *, mounting: bool = False) -> list[Any]:
        """Do what the browser client does with each frame; returns the patches received."""
        patches: list[Any] = []
        for frame in map(json.loads, frames):
            kind = frame["t"]
            if kind == "mounted":
                self.patches = []
                self._page = None
                if frame.get("title") is not None:
                    self.title = frame["title"]
            elif kind == "patch":
                patches = frame["patches"]
                self.patches = patches
                self._page = None
            elif kind == "stream":
                self.stream_updates.extend(frame["streams"])
            elif kind == "push_event":
                self.pushed_events.append((frame["event"], frame["payload"]))
            elif kind == "live_patch":
                self._url = frame["to"]
                if mounting:
                    continue  # as an HTTP redirect would: no history entry of its own
                if frame.get("replace"):
                    self._history[self._position] = _HistoryEntry(self._url, type(self.view))
                else:
                    self._push_history(type(self.view))
            elif kind == "live_redirect":
                self._navigate(
                    urljoin(self._url, frame["to"]), push=not (frame.get("replace") or mounting)
                )
                return patches
            elif kind == "redirect":
                self.redirected_to = frame["to"]
                return patches
            elif kind == "error" and mounting:
                raise EventError(frame["code"], frame["message"])
        return patches

    def _connected(self) -> LiveSession:
        if self._live is None:
            raise AssertionError("the client has no connected view")
        return self._live

    def _ref(self) -> int:
        self._next_ref += 1
        return self._next_ref - 1

    def _check_live(self) -> None:
        if self.redirected_to is not None:
            raise AssertionError(
                f"the view redirected the browser to {self.redirected_to!r} (a full page "
                f"load); there is no LiveView here any more"
            )

    def _request(self, url: str) -> Any:
        request = RequestFactory().get(url)
        request.session = self._session_store()
        if self.user is not None:
            request.user = self.user
        elif apps.is_installed("django.contrib.auth"):
            from django.contrib.auth.models import AnonymousUser

            request.user = AnonymousUser()
        return request

    def _page_request(self, path: str, query: str) -> Any:
        return self._request(path + (f"?{query}" if query else ""))

    def _session_store(self) -> Any:
        if self._session is None:
            store = import_module(settings.SESSION_ENGINE).SessionStore()
            for key, value in self._session_data.items():
                store[key] = value
            self._session = store
        return self._session

    @staticmethod
    def _resolved_kwargs(url: str, cls: type) -> dict[str, Any]:
        route = routes.match(urlsplit(url).path)
        return dict(route.kwargs) if route is not None and route.view_class is cls else {}

    def _push_history(self, cls: type) -> None:
        del self._history[self._position + 1 :]
        self._history.append(_HistoryEntry(self._url, cls))
        self._position = len(self._history) - 1

    def _element_event(self, element: Element, binding: str, extra: Mapping[str, Any]) -> list[Any]:
        params = {**event_params(element), **extra}
        return self.send_event(element.attrs[binding], params, target=event_target(element))

    def _field_event(self, selector: str, value: Any, binding: str, *, required: bool) -> list[Any]:
        element = self.find(selector)
        self._remember_typed(element, value)
        bound = element.closest(f"[{binding}]")
        if bound is None:
            if required:
                raise AssertionError(
                    f"{selector!r} ({element!r}) has no {binding}, nor a form with one"
                )
            return []
        if bound.tag == "form":
            data = form_values(bound)
            key = _form_key(bound, self.page)
            data.update({name: v for (form, name), v in self._typed.items() if form == key})
            return self._element_event(bound, binding, data)
        return self._element_event(element, binding, {"value": value})

    def _remember_typed(self, element: Element, value: Any) -> None:
        name = element.attrs.get("name")
        form = element.closest("form")
        if name and form is not None:
            self._typed[(_form_key(form, self.page), name)] = value

    def _key(self, selector: str, binding: str, key: str, value: Any) -> list[Any]:
        element = self.find(selector)
        if binding not in element.attrs:
            raise AssertionError(f"{selector!r} ({element!r}) has no {binding}")
        wanted = element.attrs.get("dj-key")
        if wanted and wanted.lower() != key.lower():
            return []
        extra: dict[str, Any] = {"key": key}
        if value is not None:
            extra["value"] = value
        elif element.tag in ("input", "textarea", "select"):
            # A field sends its value with the key, as the client does.
            extra["value"] = form_values_of_field(element)
        return self._element_event(element, binding, extra)


def _contains(outer: Element, inner: Element) -> bool:
    node: Element | None = inner
    while node is not None:
        if node is outer:
            return outer is not inner
        node = node.parent
    return False


def _form_key(form: Element, page: Element) -> int:
    """A form's identity across renders: its position among the page's forms."""
    forms = [e for e in page.iter() if e.tag == "form"]
    return forms.index(form) if form in forms else -1

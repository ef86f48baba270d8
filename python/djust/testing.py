"""``LiveViewTestClient``: drive a LiveView in-process, as a browser and djust's session would.

In the spirit of Phoenix.LiveViewTest: no browser, no server, no socket. The client mounts the
view (``mount`` then ``handle_params``), keeps the page's ``dj-root`` tree in Rust exactly as the
session does, sends events by handler name or by CSS selector (``click("button#inc")``), applies
what the view queued (``push_event``, ``live_patch``, ``live_redirect``, ``redirect``), and
exposes the HTML the browser would now show and the patches that got it there::

    from djust.testing import LiveViewTestClient

    def test_counter():
        live = LiveViewTestClient("/counter/")
        live.click("#inc")
        assert live.text("#count") == "Count: 1"
        assert live.patches == [["text", [1, 0], "Count: 1"]]

Errors come out as exceptions: an event the view refuses raises ``EventError`` (the view's
state is untouched, as the session's error frame promises); a handler that raises has its
changes rendered first, as the session does, and then its exception is raised.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from djust import _core
from djust.live_view import LiveView, carried_flash, mount_view
from djust.params import query_params

__all__ = ["Element", "LiveViewTestClient", "SelectorError"]


# --- the page as a tree of elements ---------------------------------------------------------

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})
# An open element of the key's kind is closed by a new start tag of one of these (HTML's
# implied end tags, the common cases).
_CLOSED_BY = {
    "p": frozenset({"p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "form",
                    "section", "article", "header", "footer", "nav", "pre", "blockquote"}),
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
        element = Element(tag, {k: (v if v is not None else "") for k, v in attrs},
                          parent=self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack[-1].tag == tag:
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


_TOKEN_RE = re.compile(r"""
    (?P<ws>\s*[>+~]\s*|\s+)
  | (?P<tag>\*|[a-zA-Z][\w-]*)
  | \#(?P<id>[\w-]+)
  | \.(?P<cls>[\w-]+)
  | \[\s*(?P<attr>[\w:-]+)\s*
      (?:(?P<op>[~|^$*]?=)\s*
         (?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\]\s]+))\s*)?\]
  | :(?P<pseudo>[\w-]+)(?:\((?P<arg>[^)]*)\))?
""", re.X)

_PSEUDOS = frozenset({"first-child", "last-child", "nth-child", "nth-of-type", "not", "checked",
                      "disabled", "empty", "first-of-type", "last-of-type", "has-text"})


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
                value = next((match.group(g) for g in ("dq", "sq", "bare")
                              if match.group(g) is not None), None)
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
        before = siblings[:siblings.index(el)]
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
    view_class: type[LiveView]


class LiveViewTestClient:
    """A LiveView mounted in-process, driven the way the browser and the session drive it.

    ``LiveViewTestClient("/counter/")`` resolves a URL through the project's ``urlpatterns``;
    ``LiveViewTestClient(CounterView)`` or ``LiveViewTestClient(CounterView, "/c/?start=3",
    pk=7)`` mounts a class directly (URL kwargs given as keywords, or resolved from the URL when
    it routes to the class). ``user`` logs a user in for the request (``request.user``);
    ``session`` is a dict for ``request.session``.
    """

    def __init__(self, view: type[LiveView] | str | Any, url: str | None = None, *,
                 user: Any = None, session: Mapping[str, Any] | None = None,
                 **url_kwargs: Any) -> None:
        self.user = user
        self._session_data = dict(session or {})
        self._session: Any = None
        self.pushed_events: list[tuple[str, dict[str, Any]]] = []
        self.redirected_to: str | None = None
        self.patches: list[Any] = []
        self.title: str | None = None
        self._history: list[_HistoryEntry] = []
        self._tree: Any = None
        self._page: Element | None = None
        self._url = "/"
        self.page_html = ""
        self.view: LiveView
        self._position = -1
        self._typed: dict[tuple[int, str], str] = {}
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
        redirect = self._mount(cls, url, kwargs, getattr(view, "view_initkwargs", {}))
        self._history = [_HistoryEntry(self.url, cls)]
        self._position = 0
        if redirect is not None:
            self._open(redirect, push=False)

    # --- reading the page ------------------------------------------------------------------

    @property
    def html(self) -> str:
        """The inside of the page's ``dj-root`` element as the browser now holds it."""
        return self._tree.root_inner_html()

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

    def send_event(self, name: str, params: Mapping[str, Any] | None = None,
                   target: str | None = None) -> list[Any]:
        """Send the event ``name`` with a dict of params, as an event frame would."""
        self._check_live()
        # Params cross the wire as JSON: what cannot be sent cannot be tested either.
        wire = json.loads(json.dumps(dict(params or {})))
        failure: Exception | None = None
        try:
            self.view.handle_event(name, wire, target)
        except Exception as err:
            from djust.exceptions import EventError

            if isinstance(err, EventError):
                raise
            failure = err
        self._render()
        patches = self.patches
        self._follow_commands()
        if failure is not None:
            raise failure
        return patches

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
            raise AssertionError(f"{selector!r} ({element!r}) has no dj-click, dj-patch or "
                                 f"dj-navigate, nor an ancestor with one")
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
        return self.send_event(form.attrs["dj-submit"], params,
                               target=event_target(form))

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
        self.view.handle_info(event, dict(payload or {}))
        self._render()
        patches = self.patches
        self._follow_commands()
        return patches

    def render(self) -> list[Any]:
        """Render again (after changing the view's state from the test); returns the patches."""
        self._check_live()
        self._render()
        patches = self.patches
        self._follow_commands()
        return patches

    # --- navigation ------------------------------------------------------------------------

    def patch(self, url: str) -> list[Any]:
        """Follow a ``dj-patch`` link to ``url`` (``?page=2`` or a path of this view):
        ``handle_params`` runs, the page is patched, and a history entry is added."""
        self._check_live()
        target = urljoin(self._url, url)
        parts = urlsplit(target)
        uri = parts.path + (f"?{parts.query}" if parts.query else "")
        from django.http import QueryDict

        self.view.handle_params(query_params(QueryDict(parts.query)), uri)
        self._url = uri
        self._push_history(type(self.view))
        self._render()
        patches = self.patches
        self._follow_commands()
        return patches

    def navigate(self, url: str, *, replace: bool = False) -> None:
        """Follow a ``dj-navigate`` link to ``url``: the LiveView there is mounted in place of
        this one; a URL that is not a LiveView is a full page load (``redirected_to``)."""
        self._check_live()
        self._open(urljoin(self._url, url), push=not replace)

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

    # --- internals -------------------------------------------------------------------------

    def _check_live(self) -> None:
        if self.redirected_to is not None:
            raise AssertionError(
                f"the view redirected the browser to {self.redirected_to!r} (a full page "
                f"load); there is no LiveView here any more"
            )

    def _request(self, url: str) -> Any:
        from django.test import RequestFactory

        request = RequestFactory().get(url)
        request.session = self._session_store()
        if self.user is not None:
            request.user = self.user
        else:
            try:
                from django.contrib.auth.models import AnonymousUser
            except RuntimeError:  # django.contrib.auth is not installed
                pass
            else:
                request.user = AnonymousUser()
        return request

    def _session_store(self) -> Any:
        if self._session is None:
            from importlib import import_module

            from django.conf import settings

            store = import_module(settings.SESSION_ENGINE).SessionStore()
            for key, value in self._session_data.items():
                store[key] = value
            self._session = store
        return self._session

    @staticmethod
    def _resolved_kwargs(url: str, cls: type[LiveView]) -> dict[str, Any]:
        from django.urls import Resolver404, resolve

        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            return {}
        if getattr(match.func, "view_class", None) is cls:
            return dict(match.kwargs)
        return {}

    def _mount(self, cls: type[LiveView], url: str, kwargs: Mapping[str, Any],
               initkwargs: Mapping[str, Any],
               flash: Mapping[str, str] | None = None) -> str | None:
        """Mount ``cls`` at ``url``. Navigation the view asked for while mounting acts as an
        HTTP redirect would (no history entry of its own): a patch becomes the URL, a live
        redirect is returned for the caller to open in place of this entry."""
        request = self._request(url)
        self.view = mount_view(cls, request, kwargs, initkwargs, flash)
        self._url = request.get_full_path()
        commands = self.view.drain_commands()
        page_html = self.view.render_page()
        self._tree = _core.LiveTree(page_html)
        self._page = None
        self.page_html = page_html
        self.patches = []
        self.title = _title(page_html)
        for command in commands:
            kind = command["t"]
            if kind == "push_event":
                self.pushed_events.append((command["event"], command["payload"]))
            elif kind == "live_patch":
                self._url = command["to"]
            elif kind == "live_redirect":
                return urljoin(self._url, command["to"])
            elif kind == "redirect":
                self.redirected_to = command["to"]
                return None
        return None

    def _open(self, url: str, *, push: bool, flash: Mapping[str, str] | None = None) -> None:
        """Mount whatever LiveView ``url`` routes to, as a navigate frame does."""
        from django.urls import Resolver404, resolve

        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            self.redirected_to = url
            return
        try:
            match = resolve(parts.path)
        except Resolver404:
            raise AssertionError(f"{url!r} does not resolve to any view") from None
        cls = getattr(match.func, "view_class", None)
        if cls is None:
            # Not a LiveView: the browser loads the page.
            self.redirected_to = url
            return
        redirect = self._mount(cls, url, match.kwargs,
                               getattr(match.func, "view_initkwargs", {}), flash)
        if push or not self._history:
            self._push_history(cls)
        else:
            self._history[self._position] = _HistoryEntry(self._url, cls)
        if redirect is not None:
            self._open(redirect, push=False)

    def _push_history(self, cls: type[LiveView]) -> None:
        del self._history[self._position + 1:]
        self._history.append(_HistoryEntry(self._url, cls))
        self._position = len(self._history) - 1

    def _go(self, position: int) -> None:
        entry = self._history[position]
        self._position = position
        self.redirected_to = None
        if type(self.view) is entry.view_class:
            parts = urlsplit(entry.url)
            from django.http import QueryDict

            self.view.handle_params(query_params(QueryDict(parts.query)), entry.url)
            self._url = entry.url
            self._render()
            self._follow_commands()
        else:
            redirect = self._mount(entry.view_class, entry.url, self._resolved_kwargs(
                entry.url, entry.view_class), {})
            self._history[position] = _HistoryEntry(self._url, entry.view_class)
            if redirect is not None:
                self._open(redirect, push=False)

    def _render(self) -> None:
        page_html = self.view.render_page()
        self.patches = json.loads(self._tree.update(page_html))
        self.page_html = page_html
        self._page = None

    def _follow_commands(self) -> None:
        self._apply_commands(self.view.drain_commands())

    def _apply_commands(self, commands: list[dict[str, Any]]) -> None:
        for command in commands:
            kind = command["t"]
            if kind == "push_event":
                self.pushed_events.append((command["event"], command["payload"]))
            elif kind == "live_patch":
                self._url = command["to"]
                if command.get("replace"):
                    self._history[self._position] = _HistoryEntry(self._url, type(self.view))
                else:
                    self._push_history(type(self.view))
            elif kind == "live_redirect":
                self._open(urljoin(self._url, command["to"]), push=not command.get("replace"),
                           flash=carried_flash(self.view, command["to"]))
                return
            elif kind == "redirect":
                self.redirected_to = command["to"]
                return

    def _element_event(self, element: Element, binding: str, extra: Mapping[str, Any]
                       ) -> list[Any]:
        params = {**event_params(element), **extra}
        return self.send_event(element.attrs[binding], params,
                               target=event_target(element))

    def _field_event(self, selector: str, value: Any, binding: str, *, required: bool
                     ) -> list[Any]:
        element = self.find(selector)
        self._remember_typed(element, value)
        bound = element.closest(f"[{binding}]")
        if bound is None:
            if required:
                raise AssertionError(f"{selector!r} ({element!r}) has no {binding}, nor a form "
                                     f"with one")
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


_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.S | re.I)


def _title(html: str) -> str | None:
    import html as html_module

    match = _TITLE_RE.search(html)
    return html_module.unescape(match.group(1).strip()) if match else None

"""``Component`` and ``LiveComponent``: reusable pieces of a page, with their own template.

A component is an object whose public attributes are its template's context. Assigned to an
attribute of a LiveView (``self.alert = AlertComponent(...)``) it gets that attribute's name as
its ``component_id``, renders wherever the view's template prints it (``{{ alert }}``) with
``data-component-id`` on its root element, and receives the events fired inside it.

``Component`` renders its attributes and may have handlers; ``LiveComponent`` adds a lifecycle
(``mount`` once, ``update(**assigns)`` whenever the parent passes new values) and a way to tell
its parent what happened (``send_parent``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from django.utils.safestring import SafeString, mark_safe

from djust.components.markup import mark_root
from djust.public_state import public_state
from djust.services import PENDING, SessionServices, Timer, UsesServices
from djust.template import Template, compile_string, get_template

_registry: dict[str, type[Component]] = {}
_TAG_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class Component:
    """A reusable piece of a page, rendered from its public attributes.

    Set ``template`` (a template source string) or ``template_name`` on the class. Keyword
    arguments become attributes: ``Card(title="Hi")`` renders its template with ``title``.
    Methods marked ``@event_handler`` receive the events fired inside the component.
    """

    template: ClassVar[str | None] = None
    template_name: ClassVar[str | None] = None
    tag_name: ClassVar[str | None] = None

    # Set when the component is assigned to a view (or another component); stable afterwards.
    component_id: str | None = None

    def __init__(self, **kwargs: Any) -> None:
        self.component_id = None
        self._parent: Any = None
        for name, value in kwargs.items():
            setattr(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, Component) and not name.startswith("_") and value is not self:
            own_id = self.__dict__.get("component_id")
            if own_id is not None:
                value.attach(self, f"{own_id}.{name}")
        object.__setattr__(self, name, value)

    # --- identity --------------------------------------------------------------------------

    def attach(self, parent: Any, component_id: str) -> None:
        """Place the component in ``parent`` under ``component_id``, unless it has an id
        already: ids stay stable for the life of the component."""
        if self.__dict__.get("component_id") is None:
            object.__setattr__(self, "component_id", component_id)
        if self.__dict__.get("_parent") is None:
            object.__setattr__(self, "_parent", parent)
        for name, child in list(vars(self).items()):
            if isinstance(child, Component) and not name.startswith("_") and child is not self:
                child.attach(self, f"{self.component_id}.{name}")

    @property
    def parent(self) -> Any:
        """The view or component this component belongs to (``None`` until it is assigned)."""
        return self.__dict__.get("_parent")

    @property
    def request(self) -> Any:
        """The request of the view the component belongs to, if any."""
        owner = self.parent
        while isinstance(owner, Component):
            owner = owner.parent
        return getattr(owner, "request", None)

    # --- rendering -------------------------------------------------------------------------

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """The template context: public attributes, ``component_id`` included."""
        context = public_state(self, Component)
        context.setdefault("request", self.request)
        context.update(kwargs)
        return context

    def get_template(self) -> Template:
        """The compiled template this component renders."""
        if self.template is not None:
            return compile_string(self.template)
        if self.template_name:
            return get_template(self.template_name, near=type(self))
        raise TypeError(
            f"{type(self).__name__} has no template. Instead of leaving it empty, set "
            f"template = '<div>...</div>' or template_name = 'app/part.html' on the class."
        )

    def render(self) -> SafeString:
        """The component's HTML, its root element marked with its ``component_id``."""
        html = self.get_template().render(self.get_context_data())
        if self.component_id is not None:
            html = mark_root(html, self.component_id)
        return mark_safe(html)

    def __html__(self) -> str:
        return self.render()

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} component_id={self.component_id!r}>"


class LiveComponent(Component, UsesServices):
    """A stateful component: ``mount()`` once, ``update(**assigns)`` whenever its parent passes
    new values, its own ``@event_handler`` methods, and ``send_parent`` to notify its parent.

    ``LiveComponent(**assigns)`` calls ``mount()`` and then ``update(**assigns)``, whose default
    sets the assigns as attributes; override ``update`` to validate or derive values.
    """

    def __init__(self, **assigns: Any) -> None:
        super().__init__()
        self.mount()
        self.update(**assigns)

    def mount(self) -> None:
        """Set the component's initial state. Called once, when it is created."""

    def update(self, **assigns: Any) -> None:
        """Take new values from the parent; the default sets each as an attribute."""
        for name, value in assigns.items():
            setattr(self, name, value)

    def send_parent(self, event: str, **payload: Any) -> None:
        """Tell the parent something happened: calls ``parent.handle_info(event, payload)``
        at once, with ``payload["component_id"]`` set to this component's id."""
        parent = self.parent
        if parent is None:
            raise RuntimeError(
                f"{type(self).__name__}.send_parent({event!r}) has no parent yet. Instead of "
                f"sending before it is placed, assign the component to an attribute of its "
                f"view (self.{event}_source = {type(self).__name__}(...)) first."
            )
        payload.setdefault("component_id", self.component_id)
        parent.handle_info(event, payload)

    def handle_info(self, event: str, payload: dict[str, Any]) -> None:
        """A message from a child component, or what the component subscribed to or
        scheduled (``subscribe``, ``send_after``). The default does nothing."""

    def handle_async_result(self, name: str, result: Any, error: BaseException | None) -> None:
        """The result of the component's ``start_async`` task; the default raises ``error``."""
        if error is not None:
            raise error

    def _services(self) -> tuple[Any, str]:
        owner = self.parent
        while isinstance(owner, Component):
            owner = owner.parent
        services, generation = (
            owner.__dict__.get("_djust_services") if owner is not None else None
        ) or (None, "")
        if services is None or self.component_id is None:
            # Not placed in a connected view yet (a component's mount() runs in its
            # constructor): the session starts it once the component is in the view.
            return _Pending(self), ""
        return services, f"{generation}:{self.component_id}"


def register_component(tag: str) -> Callable[[type[Component]], type[Component]]:
    """Register a component class under a tag name, for ``{% component "tag" ... %}``.

    The tag is lower-case words joined by hyphens (``my-button``); each tag names one class.
    """
    if not isinstance(tag, str) or not _TAG_RE.match(tag):
        raise ValueError(
            f"register_component({tag!r}): a tag is lower-case words joined by hyphens. "
            f"Instead of {tag!r}, write e.g. 'my-button'."
        )

    def register(cls: type[Component]) -> type[Component]:
        if not (isinstance(cls, type) and issubclass(cls, Component)):
            raise TypeError(f"@register_component({tag!r}) decorates a Component subclass.")
        existing = _registry.get(tag)
        if existing is not None and qualified_name(existing) != qualified_name(cls):
            raise ValueError(
                f"the component tag {tag!r} is already registered to {qualified_name(existing)}; "
                f"instead of reusing it for {qualified_name(cls)}, choose another tag."
            )
        cls.tag_name = tag
        _registry[tag] = cls
        return cls

    return register


def get_component(tag: str) -> type[Component]:
    """The component class registered under ``tag``."""
    try:
        return _registry[tag]
    except KeyError:
        known = ", ".join(sorted(_registry)) or "none yet"
        raise LookupError(
            f"no component is registered as {tag!r} (registered: {known}). Decorate its class "
            f"with @register_component({tag!r}) in a module that is imported."
        ) from None


def qualified_name(cls: type) -> str:
    """The dotted import path of a class."""
    return f"{cls.__module__}.{cls.__qualname__}"


def components_in(owner: object) -> Iterator[tuple[str, Component]]:
    """Components held by ``owner``'s public attributes: directly, or in a list, tuple or dict
    attribute, with the id each gets there (``name``, ``name.0``, ``name.key``)."""
    for name, value in list(vars(owner).items()):
        if name.startswith("_") or name == "component_id":
            continue
        if isinstance(value, Component):
            yield name, value
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                if isinstance(item, Component):
                    yield f"{name}.{index}", item
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, Component):
                    yield f"{name}.{key}", item


def assign_ids(owner: object) -> list[Component]:
    """Give every component under ``owner`` an id (keeping ids already given); returns them,
    parents before children."""
    found: list[Component] = []
    _assign(owner, "", set(), found)
    return found


def _assign(owner: object, prefix: str, taken: set[str], found: list[Component]) -> None:
    for path, component in components_in(owner):
        if component.component_id is None:
            wanted = prefix + path
            candidate, n = wanted, 2
            while candidate in taken:
                candidate, n = f"{wanted}-{n}", n + 1
            component.attach(owner, candidate)
        elif component.parent is None:
            component.attach(owner, component.component_id)
        taken.add(component.component_id)  # type: ignore[arg-type]
        found.append(component)
        _assign(component, f"{component.component_id}.", taken, found)


class _Pending:
    """Stands in for the services of a component not yet placed in a connected view: records
    the calls, which :func:`djust.services.SessionServices.adopt` replays once it is."""

    def __init__(self, component: LiveComponent) -> None:
        self._calls: list[tuple[str, tuple[Any, ...]]] = component.__dict__.setdefault(
            "_djust_pending", []
        )
        PENDING.add(component)

    def subscribe(self, topic: str, owner: str) -> None:
        self._calls.append(("subscribe", (topic,)))

    def unsubscribe(self, topic: str, owner: str) -> None:
        self._calls.append(("unsubscribe", (topic,)))

    def start_timer(self, ms: float, repeat: bool, event: str, payload: Any, owner: str) -> Any:
        self._calls.append(("start_timer", (ms, repeat, event, payload)))
        return Timer(SessionServices(None), 0, owner)

    def start_task(self, name: str, callback: Any, args: Any, kwargs: Any, owner: str) -> None:
        self._calls.append(("start_task", (name, callback, args, kwargs)))

    def cancel_task(self, name: str) -> bool:
        self._calls.append(("cancel_task", (name,)))
        return False

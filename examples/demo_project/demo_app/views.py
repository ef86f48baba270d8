"""The demo's LiveViews: a counter, a todo list, a product search, a small shop and components.

`/counter/` and `/todo/` keep a fixed markup (ids, classes, event names) that tools outside the
test suite rely on; change it only together with them.
"""

from django.http import Http404

from demo_app.models import Product
from djust import Component, LiveComponent, LiveView, event_handler, reactive
from djust.components import AlertComponent
from djust.mixins.navigation import NavigationMixin

PAGES = [
    {"url": "/counter/", "title": "Counter", "about": "a page template with dj-root"},
    {
        "url": "/counter/inline/",
        "title": "Inline counter",
        "about": "the same view written with template_string",
    },
    {"url": "/todo/", "title": "Todo list", "about": "keyed rows: add, toggle, delete, reorder"},
    {"url": "/search/", "title": "Product search", "about": "debounced search over SQLite"},
    {"url": "/shop/", "title": "Shop", "about": "dj-patch filters and dj-navigate detail pages"},
    {
        "url": "/components/",
        "title": "Components",
        "about": "an alert, stateful counters and their parent",
    },
]


class IndexView(LiveView):
    """The demo's front page: links to each example."""

    template_name = "demo_app/index.html"

    def mount(self, request, **kwargs):
        self.pages = PAGES


class CounterView(LiveView):
    """The README's counter, with a page template."""

    template_name = "demo_app/counter.html"

    def mount(self, request, **kwargs):
        self.count = 0

    @event_handler
    def increment(self):
        self.count += 1

    @event_handler
    def decrement(self):
        self.count -= 1


class InlineCounterView(CounterView):
    """The same counter as the README's Quick Example writes it: a template_string, which
    djust wraps in a minimal page of its own."""

    template_string = """
    <div>
        <h1 id="count">Count: {{ count }}</h1>
        <button id="inc" dj-click="increment">+</button>
        <button id="dec" dj-click="decrement">-</button>
    </div>
    """


class TodoView(LiveView):
    """A todo list whose rows are keyed by id, so reordering moves them instead of rewriting."""

    template_name = "demo_app/todo.html"

    def mount(self, request, **kwargs):
        self.todos = []
        self.added = 0  # keys the text field: a new one (empty) after each add
        # Public, not `_next_id`: the HTTP fallback carries public state between requests.
        self.next_id = 1

    @reactive
    def done_count(self):
        return sum(1 for todo in self.todos if todo["done"])

    @event_handler
    def add(self, text: str = "", **kwargs):
        text = text.strip()
        if text:
            self.todos.append({"id": self.next_id, "text": text, "done": False})
            self.next_id += 1
            self.added += 1

    @event_handler
    def toggle(self, id: int):
        for todo in self.todos:
            if todo["id"] == id:
                todo["done"] = not todo["done"]

    @event_handler
    def delete(self, id: int):
        self.todos = [todo for todo in self.todos if todo["id"] != id]

    @event_handler
    def reverse(self):
        self.todos.reverse()


class SearchView(LiveView):
    """Search as you type; the page waits until typing pauses (dj-debounce) before asking."""

    template_name = "demo_app/search.html"

    def mount(self, request, **kwargs):
        self.query = ""
        self.searches = 0
        self.results = []

    @event_handler
    def search(self, value: str = "", **kwargs):
        self.query = value
        self.searches += 1
        term = value.strip()
        self.results = list(Product.objects.filter(name__icontains=term)[:20]) if term else []


class ShopListView(NavigationMixin, LiveView):
    """Products by category and order: the filter lives in the URL (dj-patch, live_patch)."""

    template_name = "demo_app/shop_list.html"
    orders = {"name": "name", "price": "price", "-price": "-price"}

    def mount(self, request, **kwargs):
        self.categories = sorted(set(Product.objects.values_list("category", flat=True)))

    def handle_params(self, params, uri):
        category = params.get("category", "all")
        self.category = category if category in self.categories else "all"
        sort = params.get("sort", "name")
        self.sort = sort if sort in self.orders else "name"
        products = Product.objects.order_by(self.orders[self.sort], "name")
        if self.category != "all":
            products = products.filter(category=self.category)
        self.products = list(products)

    @event_handler
    def cheapest_first(self):
        self.live_patch(params={"category": self.category, "sort": "price"})


class ShopDetailView(NavigationMixin, LiveView):
    """One product; reached with dj-navigate, so the socket stays open."""

    template_name = "demo_app/shop_detail.html"

    def mount(self, request, pk, **kwargs):
        try:
            self.product = Product.objects.get(pk=pk)
        except Product.DoesNotExist:
            raise Http404("no such product") from None
        self.in_cart = 0

    @event_handler
    def add_to_cart(self):
        self.in_cart += 1
        self.put_flash("info", f"{self.product.name} × {self.in_cart} in your cart.")


class Counter(LiveComponent):
    """A counter with its own state and handlers; tells its parent whenever it changes."""

    template_name = "demo_app/counter_component.html"

    def mount(self):
        self.count = 0
        self.label = "Counter"

    @event_handler
    def inc(self):
        self.count += 1
        self.send_parent("changed", count=self.count)

    @event_handler
    def dec(self):
        self.count -= 1
        self.send_parent("changed", count=self.count)


class Badge(Component):
    """A stateless component: renders its attributes."""

    template = '<span class="badge">{{ text }}</span>'


class ComponentsView(LiveView):
    """An alert, two counters and a parent that keeps their total."""

    template_name = "demo_app/components.html"

    def mount(self, request, **kwargs):
        self.notice = AlertComponent(
            message="Components keep their own state.", type="info", dismissible=True
        )
        self.apples = Counter(label="Apples")
        self.pears = Counter(label="Pears")
        self.badge = Badge(text="live")
        self.total = 0
        self.last_change = "nothing yet"

    def handle_info(self, event, payload):
        if event == "changed":
            self.total = self.apples.count + self.pears.count
            self.last_change = f"{payload['component_id']} is now {payload['count']}"

    @event_handler
    def reset(self):
        for counter in (self.apples, self.pears):
            counter.update(count=0)
        self.total = 0
        self.last_change = "reset"
        self.notice.show("Counters reset.")

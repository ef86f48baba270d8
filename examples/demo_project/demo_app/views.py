"""The demo's LiveViews."""

from djust import LiveView, event_handler


class IndexView(LiveView):
    """The demo's front page: links to each example."""

    template_name = "demo_app/index.html"

    def mount(self, request, **kwargs):
        self.pages = [
            {"url": "/counter/", "title": "Counter", "about": "a page template with dj-root"},
            {"url": "/counter/inline/", "title": "Inline counter",
             "about": "the same view written with template_string"},
        ]


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


class InlineCounterView(LiveView):
    """The README's Quick Example counter: a template_string and no page template."""

    template_string = """
    <div>
        <h1 id="count">Count: {{ count }}</h1>
        <button id="inc" dj-click="increment">+</button>
        <button id="dec" dj-click="decrement">-</button>
    </div>
    """

    def mount(self, request, **kwargs):
        self.count = 0

    @event_handler
    def increment(self):
        self.count += 1

    @event_handler
    def decrement(self):
        self.count -= 1

"""LiveViews the test suite mounts."""

from djust import LiveView, event_handler


class CounterView(LiveView):
    template_name = "testapp/counter.html"

    def mount(self, request, **kwargs):
        self.count = int(request.GET.get("start", 0))

    @event_handler
    def increment(self):
        self.count += 1

    @event_handler()
    def add(self, amount: int, note: str = ""):
        self.count += amount
        self.note = note

    @event_handler
    def explode(self):
        self.count = 99
        raise RuntimeError("boom")

    def reset(self):
        """Not an event handler: must not be callable from the wire."""
        self.count = 0


class ItemView(LiveView):
    template_string = "<p>item {{ pk }}: {{ label|upper }}</p>"

    def mount(self, request, pk, **kwargs):
        self.pk = pk
        self.label = "widget"


class ClockView(LiveView):
    """Renders differently on every mount, as a view showing the time would."""

    template_string = "<p>mount number {{ n }}</p>"
    mounts = 0

    def mount(self, request, **kwargs):
        ClockView.mounts += 1
        self.n = ClockView.mounts

"""Pages for JS commands, streams and uploads, each small enough to read at a glance; the
browser tests in tests/features/ drive them."""

from __future__ import annotations

import hashlib

from djust import LiveView, event_handler
from djust.js import JS

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
{{% load djust_tags %}}{{% djust_scripts %}}
<style>.open {{ outline: 2px solid red; }} li {{ height: 40px; }}</style></head>
<body><div dj-view="{{{{ dj_view_id }}}}" dj-root>{body}</div></body></html>"""


class JsView(LiveView):
    """JS commands beside a counter whose patches rewrite the elements they changed."""

    login_required = False
    template_string = PAGE.format(
        title="js",
        body="""
<button id="open" dj-click="{{ open_menu }}">menu</button>
<button id="close" dj-click="{{ close_menu }}">close</button>
<button id="inc" dj-click="{{ bump }}">+</button>
<button id="missing" dj-click="{{ nowhere }}">nowhere</button>
<div id="menu" class="menu count-{{ count }}" style="display:none"
  title="t{{ count }}">menu {{ count }}</div>
<p id="count">{{ count }}</p>
""",
    )

    def mount(self, request, **kwargs):
        self.count = 0
        self.open_menu = (
            JS()
            .show(to="#menu")
            .add_class("open", to="#menu")
            .set_attribute("aria-expanded", "true", to="#open")
        )
        self.close_menu = JS().hide(to="#menu").remove_class("open", to="#menu")
        self.bump = JS().push("increment").add_class("bumped", to="#count")
        self.nowhere = JS().hide(to="#no-such-thing").push("increment")

    @event_handler
    def increment(self):
        self.count += 1


class FeedView(LiveView):
    """A stream with infinite scroll: older items load when the last one scrolls into view."""

    login_required = False
    template_string = PAGE.format(
        title="feed",
        body="""
<p id="loaded">{{ loaded }} loaded</p>
<button id="post" dj-click="post">post</button>
<ul id="items" dj-stream="items" dj-viewport-bottom="older" style="list-style:none;margin:0">
{% for dom_id, item in streams.items %}<li id="{{ dom_id }}">item {{ item.n }}</li>{% endfor %}
</ul>
""",
    )

    PAGE_SIZE = 30

    def mount(self, request, **kwargs):
        self.loaded = 0
        self.posted = 0
        self._more()

    def _more(self):
        start = self.loaded
        self.loaded += self.PAGE_SIZE
        self.stream("items", [{"id": n, "n": n} for n in range(start, self.loaded)], limit=-60)

    @event_handler
    def older(self):
        if self.loaded < 150:
            self._more()

    @event_handler
    def post(self):
        self.posted += 1
        # At the top, keeping the first 60 (the oldest item goes).
        item = {"id": f"new{self.posted}", "n": f"new {self.posted}"}
        self.stream_insert("items", item, at=0, limit=60)


class UploadView(LiveView):
    """An avatar upload: file input, drop zone, previews, progress, cancel, then save."""

    login_required = False
    template_string = PAGE.format(
        title="upload",
        body="""
<input id="file" type="file" dj-upload="avatar" accept="{{ uploads.avatar.accept }}" multiple>
<div id="drop" dj-drop-target="avatar" style="width:200px;height:50px;border:1px dashed">drop</div>
<ul id="entries">{% for e in uploads.avatar.entries %}
<li id="e-{{ e.ref }}" class="entry">
<img dj-upload-preview="{{ e.ref }}" width="8" height="8" alt="">
<span class="name">{{ e.client_name }}</span> <span class="progress">{{ e.progress }}%</span>
{% for err in e.errors %}<span class="error">{{ err }}</span>{% endfor %}
<button class="cancel" dj-upload-cancel="{{ e.ref }}">cancel</button></li>{% endfor %}</ul>
<button id="save" dj-click="save">save</button>
<p id="saved">{% for s in saved %}{{ s }};{% endfor %}</p>
""",
    )

    def mount(self, request, **kwargs):
        self.saved = []
        self.allow_upload(
            "avatar",
            accept=[".png", ".txt", ".bin"],
            max_entries=3,
            # ?max= lets benchmarks/bench_uploads_streams.py send its 50 MB file.
            max_file_size=int(request.GET.get("max", 4 * 1024 * 1024)),
            chunk_size=int(request.GET.get("chunk", 64 * 1024)),
        )

    @event_handler
    def save(self):
        self.saved = self.consume_uploaded_entries(
            "avatar",
            lambda file, entry: f"{file.name}={hashlib.sha256(file.read()).hexdigest()[:12]}",
        )

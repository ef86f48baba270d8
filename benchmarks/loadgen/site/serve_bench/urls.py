"""The demo's URLs, unchanged, and the bench's."""

from demo_project.urls import urlpatterns as demo_urlpatterns
from django.urls import path

from serve_bench import views

urlpatterns = [
    path("bench/slow/", views.SlowCounterView.as_live_view(), name="bench-slow"),
    path("bench/small/", views.small_page, name="bench-small"),
    path("bench/fanout/", views.FanoutView.as_live_view(), name="bench-fanout"),
    path("bench/publish/", views.publish, name="bench-publish"),
    path("bench/pubsub-stats/", views.pubsub_stats, name="bench-pubsub-stats"),
    *demo_urlpatterns,
]

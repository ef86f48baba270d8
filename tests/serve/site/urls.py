from django.urls import path

from tests.serve.site import views

urlpatterns = [
    path("live/", views.SiteView.as_live_view(), name="live"),
    path("pid/", views.pid),
    path("stats/", views.stats),
    path("finished/", views.finished),
    path("echo/", views.echo),
    path("form/", views.form),
    path("upload/", views.upload),
    path("body/", views.body),
    path("stream/", views.stream),
    path("endless/", views.endless),
    path("stream-closed/", views.stream_closed),
    path("sleep/", views.sleep),
    path("gate/", views.gate),
]

from django.urls import path

from tests.testapp import session_views, views

urlpatterns = [
    path("counter/", views.CounterView.as_live_view()),
    path("items/<int:pk>/", views.ItemView.as_live_view()),
    path("clock/", views.ClockView.as_live_view()),
    path("session/list/", session_views.ListView.as_live_view()),
    path("session/detail/<int:pk>/", session_views.DetailView.as_live_view()),
    path("session/broken/", session_views.BrokenMountView.as_live_view()),
    path("session/state/", session_views.StateView.as_live_view()),
    path("session/opaque/", session_views.OpaqueStateView.as_live_view()),
    path("session/plain/", session_views.plain),
    path("session/flash/", session_views.FlashSourceView.as_live_view()),
    path("session/flashed/", session_views.FlashedView.as_live_view()),
]

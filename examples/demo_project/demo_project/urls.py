from demo_app import views
from django.urls import include, path

urlpatterns = [
    path("", views.IndexView.as_live_view(), name="index"),
    path("counter/", views.CounterView.as_live_view(), name="counter"),
    path("counter/inline/", views.InlineCounterView.as_live_view(), name="counter-inline"),
    path("bindings/", include("bindings.urls")),
]

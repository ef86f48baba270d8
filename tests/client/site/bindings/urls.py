"""The bindings pages, under /bindings/."""

from django.urls import path

from bindings import views

urlpatterns = [
    path("counter/", views.CounterView.as_live_view()),
    path("fields/", views.FieldsView.as_live_view()),
    path("rate/", views.RateView.as_live_view()),
    path("form/", views.FormView.as_live_view()),
    path("keys/", views.KeysView.as_live_view()),
    path("focus/", views.FocusView.as_live_view()),
    path("loading/", views.LoadingView.as_live_view()),
    path("nav/", views.NavView.as_live_view()),
    path("nav/other/", views.OtherView.as_live_view()),
    path("hooks/", views.HooksView.as_live_view()),
    path("errors/", views.ErrorsView.as_live_view()),
    path("components/", views.ComponentsView.as_live_view()),
    path("focus-keep/", views.FocusKeepView.as_live_view()),
    path("decorated/", views.DecoratedView.as_live_view()),
    path("plain/", views.plain_page),
]

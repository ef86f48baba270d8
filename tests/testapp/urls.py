from django.urls import path

from tests.testapp import views

urlpatterns = [
    path("counter/", views.CounterView.as_live_view()),
    path("items/<int:pk>/", views.ItemView.as_live_view()),
    path("clock/", views.ClockView.as_live_view()),
]

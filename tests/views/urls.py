from django.http import HttpResponse
from django.urls import path

from tests.views import live

urlpatterns = [
    path("views/counter/", live.CounterView.as_live_view()),
    path("views/items/<int:pk>/", live.ItemView.as_live_view()),
    path("views/items/<int:pk>/<slug:section>/", live.ItemView.as_live_view()),
    path("views/params/", live.ParamsView.as_live_view()),
    path("views/components/", live.ComponentsView.as_live_view()),
    path("views/redirecting/", live.RedirectingView.as_live_view()),
    path("views/todo/", live.TodoView.as_live_view()),
    path("views/plain/", lambda request: HttpResponse("plain")),
]

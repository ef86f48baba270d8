from demo_app import views
from django.contrib.staticfiles.views import serve as serve_static
from django.http import HttpRequest, HttpResponse
from django.urls import path


def no_icon(request: HttpRequest) -> HttpResponse:
    """The demo has no icon; answering 204 keeps the browser's console free of a 404."""
    return HttpResponse(status=204)


urlpatterns = [
    path("", views.IndexView.as_live_view(), name="index"),
    path("counter/", views.CounterView.as_live_view(), name="counter"),
    path("counter/inline/", views.InlineCounterView.as_live_view(), name="counter-inline"),
    path("todo/", views.TodoView.as_live_view(), name="todo"),
    path("search/", views.SearchView.as_live_view(), name="search"),
    path("shop/", views.ShopListView.as_live_view(), name="shop"),
    path("shop/<int:pk>/", views.ShopDetailView.as_live_view(), name="shop-detail"),
    path("components/", views.ComponentsView.as_live_view(), name="components"),
    path("chat/", views.ChatView.as_live_view(), name="chat"),
    path("dashboard/", views.DashboardView.as_live_view(), name="dashboard"),
    path("favicon.ico", no_icon),
    # The demo's stylesheet with no set-up step: `djust serve` answers STATIC_URL from Rust
    # (the apps' static folders in DEBUG, STATIC_ROOT after collectstatic) and only asks Django
    # for a file it does not have; uvicorn serves no static files at all. A real site runs
    # collectstatic and lets its server (or nginx) answer instead. (STATIC_URL is "static/".)
    path("static/<path:path>", serve_static, {"insecure": True}),
]

from django.http import HttpRequest, HttpResponse
from django.urls import path
from features import views


def no_icon(request: HttpRequest) -> HttpResponse:
    """No icon; answering 204 keeps the browser's console free of a 404."""
    return HttpResponse(status=204)


urlpatterns = [
    path("js/", views.JsView.as_live_view()),
    path("feed/", views.FeedView.as_live_view()),
    path("upload/", views.UploadView.as_live_view()),
    path("favicon.ico", no_icon),
]

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def no_icon(request: HttpRequest) -> HttpResponse:
    """No icon; answering 204 keeps the browser's console free of a 404."""
    return HttpResponse(status=204)


urlpatterns = [
    path("bindings/", include("bindings.urls")),
    path("favicon.ico", no_icon),
]

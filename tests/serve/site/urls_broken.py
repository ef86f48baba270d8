"""A URLconf that imports a view module that does not exist."""

from tests.serve.site import no_such_views  # noqa: F401

urlpatterns: list = []

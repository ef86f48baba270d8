import pytest


@pytest.fixture(autouse=True)
def views_urls(request, settings):
    """The LiveViews of tests/views/live.py, routed by tests/views/urls.py (unless the test
    names its own with @pytest.mark.urls)."""
    if request.node.get_closest_marker("urls") is None:
        settings.ROOT_URLCONF = "tests.views.urls"

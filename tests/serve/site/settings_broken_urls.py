"""The test site whose URLconf cannot be imported (a typo in a view module)."""

from tests.serve.site.settings import *  # noqa: F403

ROOT_URLCONF = "tests.serve.site.urls_broken"

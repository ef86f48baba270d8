"""The test site with an installed app that cannot be imported (``djust serve`` must say so in
one line)."""

from tests.serve.site.settings import *  # noqa: F403
from tests.serve.site.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.serve.site.brokenapp"]

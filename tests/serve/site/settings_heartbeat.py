"""The test site with a short heartbeat: pinged every second, dropped after 3 s of silence."""

from tests.serve.site.settings import *  # noqa: F403
from tests.serve.site.settings import LIVEVIEW_CONFIG

LIVEVIEW_CONFIG = {**LIVEVIEW_CONFIG, "heartbeat_interval": 1, "heartbeat_timeout": 3}

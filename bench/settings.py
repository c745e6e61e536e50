"""The app's own settings, plus a constant page to measure the server against (`make bench`).

The constant view exists only here: the site's URL configuration never has it.
"""

from __future__ import annotations

from yearloop.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

from __future__ import annotations

import warnings

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlannerConfig(AppConfig):
    name = "planner"
    verbose_name = _("Planner")

    def ready(self) -> None:
        import pillow_heif
        from django.conf import settings
        from PIL import Image

        from . import signals  # noqa: F401

        pillow_heif.register_heif_opener()
        # Pillow only warns between its limit and twice that; a bomb must be refused.
        Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS
        warnings.simplefilter("error", Image.DecompressionBombWarning)

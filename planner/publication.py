"""The moment a post is first published: followers and subscribers hear of it once.

A post is published when its visibility first leaves "private" (public or unlisted, as its
writer chooses). Making it private and shared again, importing an archive or building the
demo sets `published_at` directly and announces nothing.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent once the publishing transaction has committed, with `post` (a Year).
post_published = Signal()

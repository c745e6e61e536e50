"""Helpers for comparing rendered pages."""

from __future__ import annotations

import re


def unmasked(page: str, url: str) -> str:
    """The page but for its own address, its CSRF tokens (masked anew on every page) and nonce."""
    page = re.sub(r"\b[A-Za-z0-9]{64}\b", "<csrf token>", page)
    return re.sub(r'nonce="[^"]+"', 'nonce=""', page).replace(url, "<url>")

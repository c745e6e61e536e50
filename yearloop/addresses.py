"""The address of the person making a request, as seen by the first proxy in front of us.

With `PROXY_COUNT` proxies in front (nginx: 1), each appends the address it was reached
from to `X-Forwarded-For`, so the client is the `PROXY_COUNT`-th entry from the right;
anything left of it was sent by the client and may be forged. With `PROXY_COUNT=0` the
header is ignored and the connection's address (`REMOTE_ADDR`) is the client.

Everything that counts a client by address uses this one helper: django-axes
(`AXES_CLIENT_IP_CALLABLE`), the de-duplication of view counts (planner/stats.py) and the
limit on shares to the app (planner/views/share.py).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address; REMOTE_ADDR when the proxies' header is missing or odd."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count or not forwarded[-count]:
        return remote  # not through every proxy we expect: only the connection is known
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote

"""The client's address, as every part of the app reads it (rate limits, IP hashes, burst detection).

Without trusted proxies (the default) the address is ``REMOTE_ADDR``: forwarded headers are ignored, because any
client can send them. Behind proxies, say how many there are (``WAGTAIL_AWARDS_TRUSTED_PROXY_COUNT``) or which they
are (``WAGTAIL_AWARDS_TRUSTED_PROXIES``); django-ipware then reads the client from the forwarded header
(``WAGTAIL_AWARDS_FORWARDED_FOR_HEADER``, ``X-Forwarded-For`` by default).

The chain handed to django-ipware is the header's addresses followed by ``REMOTE_ADDR`` (the peer that connected),
so the count and the list describe the real hops in front of the app server: with one proxy the client is the
address the proxy appended, and whatever a client wrote into the header before it is ignored. With a list, the
connecting peer must be the last trusted proxy; a request that did not come through the trusted proxies (a chain
too short, or a peer not on the list) keeps ``REMOTE_ADDR``.
"""

import functools
import hashlib
import hmac

from django.conf import settings
from ipware import get_client_ip

from .conf import awards_settings


def client_address(request) -> str:
    """The address of the client that sent ``request``, as text ("" when there is none); worked out once a request
    (for the same headers and settings)."""
    peer = (request.META.get("REMOTE_ADDR") or "").strip()
    count = int(awards_settings.TRUSTED_PROXY_COUNT or 0)
    proxies = list(awards_settings.TRUSTED_PROXIES or ())
    if not count and not proxies:
        return peer
    forwarded = request.META.get(awards_settings.FORWARDED_FOR_HEADER) or ""
    key = (peer, forwarded, count, tuple(proxies))
    known = getattr(request, "_awards_client_address", None)
    if known is not None and known[0] == key:
        return known[1]
    address = _client_address(peer, forwarded, count, tuple(proxies))
    request._awards_client_address = (key, address)
    return address


@functools.lru_cache(maxsize=4096)
def _client_address(peer, forwarded, count, proxies):
    """The client's address behind the ``proxies`` (a tuple) or ``count`` trusted proxies: a pure function of its
    arguments, so a recent answer is reused (a voter's requests come with the same headers)."""
    header = "HTTP_X_AWARDS_CLIENT_CHAIN"
    chain = ", ".join(part for part in (forwarded.strip(), peer) if part)
    address, _routable = get_client_ip(
        request_from_meta({header: chain}),
        proxy_count=None if proxies else count,
        proxy_trusted_ips=list(proxies) or None,
        request_header_order=[header],
        strict=False,
    )
    return address or peer


class request_from_meta:  # noqa: N801 - a stand-in for a request, used like one
    """The least django-ipware needs of a request: its ``META``."""

    def __init__(self, meta):
        self.META = meta


def client_hash(value: str) -> str:
    """A keyed hash of an IP address or user agent: comparable between votes, not reversible to the value."""
    return hmac.new(settings.SECRET_KEY.encode(), (value or "").encode(), hashlib.sha256).hexdigest()

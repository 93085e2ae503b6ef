"""Which Binance API (product line) answered, from the request's URL or host.

The same code means different things on different APIs (-4003 is an invalid e-mail on the
wallet API and a bad quantity on futures), so a log line that kept the request URL can be
normalized for the right catalog.  The path decides where it is telling (``/sapi/v1/margin``
is the margin API, served from the spot host); otherwise the host does.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Path prefixes, most specific first: (prefix, product).
_PATHS = (
    ("/sapi/v1/margin", "margin"),
    ("/sapi/v1/portfolio", "portfolio_margin_pro"),
    ("/sapi/", "sapi"),
    ("/wapi/", "sapi"),  # the wallet API before SAPI replaced it
    ("/fapi/", "usdm"),
    ("/dapi/", "coinm"),
    ("/eapi/", "options"),
    ("/papi/", "portfolio_margin"),
    ("/api/", "spot"),
)
# Host names: the first label decides (api1.binance.com, testnet.binancefuture.com, ...).
_HOSTS = (
    (re.compile(r"^(fapi|fstream|ws-fapi)\d*\.|^testnet\.binancefuture\.com$"), "usdm"),
    (re.compile(r"^(dapi|dstream|ws-dapi)\d*\."), "coinm"),
    (re.compile(r"^(eapi|nbstream|estream)\d*\."), "options"),
    (re.compile(r"^papi\d*\."), "portfolio_margin"),
    (re.compile(r"^(api|api-gcp|ws-api|stream|data-api)\d*\.|^testnet\.binance\.vision$"), "spot"),
)


def product_from_url(url: str) -> str | None:
    """The product line of a Binance request URL (or bare host), or None when it says nothing.

    >>> product_from_url("https://fapi.binance.com/fapi/v1/order")
    'usdm'
    >>> product_from_url("https://api.binance.com/sapi/v1/capital/withdraw/apply")
    'sapi'
    >>> product_from_url("api.binance.com/api/v3/order"), product_from_url("example.com")
    ('spot', None)
    """
    text = url.strip()
    if "//" not in text:
        text = "//" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    path = parts.path.lower()
    for prefix, product in _PATHS:
        if path.startswith(prefix):
            return product
    host = (parts.hostname or "").lower()
    for pattern, product in _HOSTS:
        if pattern.search(host):
            return product
    return None

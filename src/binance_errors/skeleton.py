"""The shape of a message that matched nothing: what varies is masked, so variants group.

``Too many requests; current limit of IP(130.176.187.73) is 6000 requests per minute.`` and the
same sentence with another address and limit both become
``Too many requests; current limit of IP(<ip>) is <n> requests per minute.``
"""

from __future__ import annotations

import re

MAX_SKELETON_INPUT = 1_000
CACHE_SIZE = 4_096
"""Skeletons kept, by the message's digit places; past it, afresh."""

_MASKS = re.compile(
    r"""
    (?P<q>'[^'\n]{0,200}'|"[^"\n]{0,200}"|`[^`\n]{0,200}`)            # a quoted value
  | (?P<ip>\b\d{1,3}(?:\.\d{1,3}){3}\b|\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\b)   # an IPv4 or IPv6 address
  | (?P<id>\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b
          |\b(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{16,}\b)           # a UUID or a long hex id
  | (?P<sym>\b[A-Z0-9]{2,12}(?:USDT|USDC|FDUSD|BUSD|TUSD|BTC|ETH|BNB|EUR|TRY|BRL)\b) # a trading pair
  | (?P<n>[-+]?\d+(?:[.,:]\d+)*)                                      # a number, time or amount
    """,
    re.VERBOSE,
)


def _mask(found: re.Match[str]) -> str:
    return f"<{found.lastgroup}>"


# Every test the masks make on a digit is a class test that any ASCII digit passes alike
# (\d, \w, [0-9a-f], [A-Z0-9], \b), and every digit ends up inside a mask (the last
# branch takes any run of them): so messages that differ only in their digits have one
# skeleton, and it is kept under the message with its digits turned to zeros.
_DIGITS_AS_ZERO = str.maketrans("0123456789", "0000000000")
_known: dict[str, str] = {}


def skeleton(message: str) -> str:
    """``message`` with quoted values, addresses, ids, trading pairs and numbers masked."""
    text = message[:MAX_SKELETON_INPUT].strip()
    key = text.translate(_DIGITS_AS_ZERO)
    shape = _known.get(key)
    if shape is None:
        shape = _MASKS.sub(_mask, text)
        if len(_known) >= CACHE_SIZE:
            _known.clear()
        _known[key] = shape
    return shape

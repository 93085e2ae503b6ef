"""The shape of a message that matched nothing: what varies is masked, so variants group.

``Too many requests; current limit of IP(130.176.187.73) is 6000 requests per minute.`` and the
same sentence with another address and limit both become
``Too many requests; current limit of IP(<ip>) is <n> requests per minute.``
"""

from __future__ import annotations

import re

MAX_SKELETON_INPUT = 1_000

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


def skeleton(message: str) -> str:
    """``message`` with quoted values, addresses, ids, trading pairs and numbers masked."""
    return _MASKS.sub(_mask, message[:MAX_SKELETON_INPUT].strip())

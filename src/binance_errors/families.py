"""The family of a code that no catalog lists, from the code ranges in the pages' headings.

Binance's pages group codes under headings that name a range: ``10xx - General Server or
Network issues``, ``11xx - 2xxx Request issues``, ``3xxx-5xxx SAPI-specific issues``,
``10xxx - Crypto Loans``.  A code the catalog does not list still belongs to the heading whose
range holds it, so an unknown -1099 or -3999 is at least known to be a server or SAPI error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_RANGE = re.compile(r"^\s*(?P<low>\d+)(?P<low_x>[xX]+)(?:\s*-\s*(?P<high>\d+)(?P<high_x>[xX]+))?")


def _bounds(group: str) -> tuple[int, int] | None:
    found = _RANGE.match(group)
    if found is None:
        return None
    low_width = len(found.group("low_x"))
    low = int(found.group("low")) * 10**low_width
    if found.group("high"):
        high_width = len(found.group("high_x"))
        high = (int(found.group("high")) + 1) * 10**high_width - 1
    else:
        high = low + 10**low_width - 1
    return low, high


class Families:
    """Maps an error code to the heading whose range holds it."""

    def __init__(self, groups: Iterable[str | None]) -> None:
        ranges: dict[tuple[int, int], str] = {}
        for group in groups:
            bounds = _bounds(group) if group else None
            if bounds is not None and group is not None:
                ranges.setdefault(bounds, group)
        # The narrowest range wins: 10xxx (Crypto Loans) before a wider heading that holds it.
        self._ranges = sorted(ranges.items(), key=lambda item: item[0][1] - item[0][0])

    def of(self, code: int) -> str | None:
        magnitude = abs(code)
        for (low, high), group in self._ranges:
            if low <= magnitude <= high:
                return group
        return None

"""Timestamps as logs write them, turned into instants that sort."""

from __future__ import annotations

from datetime import UTC, datetime

import regex

_EPOCH = regex.compile(r"^\d{10}(?:\d{3})?(?:\.\d+)?$")
_SEPARATORS = regex.compile(r"^(\d{4})[/.](\d{2})[/.](\d{2})")
# "12:45:20:705" and "19:23:27,771": milliseconds after a colon or a comma.
_ODD_FRACTION = regex.compile(r"(\d{2}:\d{2}:\d{2})[:,](\d{1,6})")


def instant(ts: str | None) -> str | None:
    """``ts`` as an ISO 8601 UTC string (naive times are taken as UTC), or ``None``.

    Logs write times in many shapes; only the ones that parse without guessing the
    day/month order take part in "first/last seen".
    """
    if not ts:
        return None
    text = ts.strip()
    if text[4:5] == "-" and "," not in text and not text.endswith(" UTC"):
        # ISO 8601 as written (the common case): none of the rewrites applies to it, so it
        # is read at once; what this reader refuses, the rewrites may still mend.
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            return _utc_text(moment)
    return instant_by_rewrites(text)


def instant_by_rewrites(text: str) -> str | None:
    """`instant` of a stripped, non-empty ``text``, the long way: every rewrite tried, then the reader."""
    try:
        if _EPOCH.match(text):
            value = float(text)
            if value > 1e11:
                value /= 1000.0
            moment = datetime.fromtimestamp(value, tz=UTC)
        else:
            text = _SEPARATORS.sub(r"\1-\2-\3", text)
            text = _ODD_FRACTION.sub(r"\1.\2", text)
            if text.endswith(" UTC"):
                text = text[:-4] + "+00:00"
            moment = datetime.fromisoformat(text)
    except (ValueError, OverflowError, OSError):
        return None
    return _utc_text(moment)


def _utc_text(moment: datetime) -> str | None:
    if moment.tzinfo is None:
        # Taken as UTC: the same text as with tzinfo=UTC, "+00:00" written "Z".
        return moment.isoformat(timespec="milliseconds") + "Z"
    try:
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

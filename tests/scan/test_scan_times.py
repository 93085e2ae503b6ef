"""Time stamps into instants: the shortcut for ISO 8601 reads exactly as the general way."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from binance_errors.scan.times import instant, instant_by_rewrites

# Pieces of time stamps, valid and not, joined at random.
_PIECES = st.sampled_from(
    ["2025", "-", "03", "01", "13", "T", " ", ":", "10", "25", "59", ".", ",", "123", "1234567", "Z", "+01:00",
     "-0530", " UTC", "/", "W09", "0001", "9999", "24", "60", "1700000000"]
)  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=12).map("".join) | st.text(max_size=30))
def test_the_iso_shortcut_reads_as_the_general_way(ts: str) -> None:
    assert instant(ts) == (instant_by_rewrites(ts.strip()) if ts else None)


def test_common_stamps() -> None:
    assert instant("2025-03-01 00:47:09.098") == "2025-03-01T00:47:09.098Z"
    assert instant("2025-03-01T01:47:09+01:00") == "2025-03-01T00:47:09.000Z"
    assert instant("2025-03-01 00:47:09,5") == "2025-03-01T00:47:09.500Z"
    assert instant("2025/03/01 00:47:09 UTC") == "2025-03-01T00:47:09.000Z"
    assert instant("1700000000123") == "2023-11-14T22:13:20.123Z"
    assert instant("2025-13-01 00:47:09") is None
    # Naive times are UTC, written as an aware one is.
    assert instant("0001-01-01T00:00:00") == "0001-01-01T00:00:00.000Z"
    assert instant("0001-01-01T00:00:00+00:00") == "0001-01-01T00:00:00.000Z"

"""Skeletons: kept by the message's digit places, they must be what masking the message gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from binance_errors import skeleton as skeleton_module
from binance_errors.skeleton import _MASKS, MAX_SKELETON_INPUT, _mask, skeleton

_PIECES = st.sampled_from(
    [
        "Order", "ticket", "rule R", "1.2.3.4", "10.0.0", "fe80::1", "::", "BTCUSDT", "ETH", "1000SATSUSDT",
        "'x1'", '"7"', "`a`", "0x1f", "deadbeefdeadbeef1", "123e4567-e89b-12d3-a456-426614174000", "-12.5",
        "+3", "12:30:01", "1,000", "٣", "é", " ", ", ", ".", ":", "(", ")", "_",
    ]
)  # fmt: skip


@settings(max_examples=500)
@given(pieces=st.lists(st.one_of(_PIECES, st.from_regex(r"[0-9]{1,4}", fullmatch=True)), max_size=12))
def test_a_kept_skeleton_is_what_masking_gives(pieces: list[str]) -> None:
    message = "".join(pieces)
    # The same message with other digits first, so the second one may be served from the cache.
    other = message.translate(str.maketrans("0123456789", "9876543210"))
    for text in (other, message):
        assert skeleton(text) == _MASKS.sub(_mask, text[:MAX_SKELETON_INPUT].strip())


def test_messages_that_differ_in_digits_share_an_entry() -> None:
    skeleton_module._known.clear()
    assert skeleton("Your account is under review (ticket 53105).") == "Your account is under review (ticket <n>)."
    assert skeleton("Your account is under review (ticket 98765).") == "Your account is under review (ticket <n>)."
    assert len(skeleton_module._known) == 1

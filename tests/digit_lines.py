"""Log lines whose messages hold numbers, and their digit variants: for the tests of the
readers that reuse one line's reading for lines that differ from it only in digits."""

from __future__ import annotations

import json
from collections.abc import Callable

from hypothesis import strategies as st

# Messages with numbers, among them the texts that make some digit matter to a reader:
# a code key, an HTTP status after the words the status search looks for, a bare code,
# a trailing code, a time stamp, literal digits of documented wordings.
MESSAGES = [
    "Your account is under review (ticket 53105).",
    "Request rejected by risk engine: rule R305 triggered.",
    "Service temporarily unavailable for BTCUSDT, please retry in 120 seconds.",
    "Timestamp for this request was 1000ms ahead of the server's time.",
    "Too much request weight used; current limit is 1200 request weight per 1 MINUTE.",
    "Invalid code=1234 in request 77.",
    "upstream status: 503 after 2 tries",
    "binance 404 page 12",
    "HTTP status code 201 then 7",
    "<Response [500]> id 44",
    "proxy _httpcode: 404 id 9",
    "Order 12 failed -1234 later 5",
    "Something went wrong 42 (-1100)",
    "1700000000 is the time",
    "2700000000 is the time",
    "The residual balances of BTC have exceeded 0.001BTC, Please re-choose.",
    "More than 20x leverage is available 30 days after Futures account registration.",
    "ticket 5 of 5",
    "Filter failure: LOT_SIZE 3",
    "Parameter 'q1' was empty.",
    "Illegal characters found in parameter 'id9'; legal range is '^[a-zA-Z0-9-_]{1,36}$'.",
]
CODES = ["-1000", "-2010", "-9000", "-12345", "-1021", "-1003", "-1121", "200", "0", "-5004", "-4200"]


def _body(code: str, msg: str) -> str:
    return '{"code":' + code + ',"msg":' + json.dumps(msg) + "}"


# A line around (time stamp, code, message).
WRAPPERS = [
    lambda ts, c, m: _body(c, m),
    lambda ts, c, m: '{"ts":"' + ts + '","level":"error","error":' + _body(c, m) + "}",
    lambda ts, c, m: '{"id":"a1","status":400,"error":' + _body(c, m) + ',"note":' + json.dumps(m) + "}",
    lambda ts, c, m: '{"timestamp":"' + ts + '","message":' + json.dumps(f"APIError(code={c}): {m}") + "}",
    lambda ts, c, m: f"{ts} ERROR binance.exceptions.BinanceAPIException: APIError(code={c}): {m}",
    lambda ts, c, m: f"{ts} WARNING Failed to create order (binance {_body(c, m)})",
    lambda ts, c, m: f"{ts} ERROR [placeOrder] binance: {c} {m} (createOrder)",
    lambda ts, c, m: f"[{ts}] WARN <APIError> code={c}, msg={m} strategy=grid",
    lambda ts, c, m: f"{ts} error executing order [{ {'code': int(c), 'msg': m}!r}]",
    lambda ts, c, m: f"{ts} response body: " + json.dumps(_body(c, m)),
    # Bodies escaped twice, inside a repr, and next to an escape that stays.
    lambda ts, c, m: f"{ts} response body: " + json.dumps(json.dumps(_body(c, m))),
    lambda ts, c, m: f"{ts} failed {json.dumps({'error': _body(c, m)})!r}",
    lambda ts, c, m: f'{ts} body="' + _body(c, m).replace('"', '\\"') + '" path=C:\\tmp\\x',
    lambda ts, c, m: f'{ts} body="' + _body(c, m).replace('"', '\\"').replace(" ", "\\u0020", 1) + '"',
    lambda ts, c, m: f"{ts} ccxt.base.errors.ExchangeError: binance 400 Bad Request {_body(c, m)}",
    lambda ts, c, m: f"{ts} binance {c} {m}",
    lambda ts, c, m: f"{c} {m}",
    lambda ts, c, m: f"{m} {m} code={c}",
    lambda ts, c, m: f"{ts} status: {m} code={c}",
    lambda ts, c, m: f"code={c} msg={m}",
    lambda ts, c, m: f"{ts} APIError(code={c}): {m} (HTTP status: 400)",
    lambda ts, c, m: f"{ts} APIError(code={c}): {m} qty=1{m[-1:]}",
    # The message at the start, where a time stamp may begin; the message twice.
    lambda ts, c, m: f"{m} ({c})",
    lambda ts, c, m: f"{ts} note {m} {c} {m}",
]
STAMPS = ["2025-03-01 00:47:09.098", "2025-03-01T00:47:09Z", "1700000000123", ""]


def redigit(draw: Callable[[st.SearchStrategy[str]], str], text: str, *, all_digits: bool = False) -> str:
    """``text`` with some of its digits (all of them with ``all_digits``) drawn anew."""
    out = []
    for char in text:
        if "0" <= char <= "9" and (all_digits or draw(st.sampled_from("ab")) == "a"):
            out.append(draw(st.sampled_from("0123456789")))
        else:
            out.append(char)
    return "".join(out)


@st.composite
def digit_variant_lines(draw: st.DrawFn) -> list[str]:
    """A line, then lines that differ from it in the digits of its message (mostly) or
    elsewhere: each line's reading must be that of the line read in full."""
    wrap = draw(st.sampled_from(WRAPPERS))
    msg = draw(st.sampled_from(MESSAGES))
    code = draw(st.sampled_from(CODES))
    stamp = draw(st.sampled_from(STAMPS))
    lines = [wrap(stamp, code, msg)]
    for _ in range(draw(st.integers(1, 6))):
        other_msg = redigit(draw, msg)
        other_code = redigit(draw, code) if draw(st.integers(0, 4)) == 0 else code
        other_stamp = redigit(draw, stamp, all_digits=True) if draw(st.booleans()) else stamp
        lines.append(wrap(other_stamp, other_code, other_msg))
    return lines


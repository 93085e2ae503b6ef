"""What an HTTP or WebSocket API client receives around an error: status, headers, envelope.

Which HTTP status goes with which error (Binance's documented behaviour, simplified to one
status per error so that tests can rely on it).  With the product known, the code's name in
that product's catalog decides, since product lines number some codes differently (options
sends its rate limits as -1008 TOO_MANY_REQUESTS; on the futures APIs -1004 is DUPLICATE_IP, a
request error); without it, the code decides as on the spot and SAPI pages:

===========================================================  ======  ==========================
error (code name; codes on the spot and SAPI pages)          status  Retry-After
===========================================================  ======  ==========================
TOO_MANY_REQUESTS "IP banned until ..." (a message with a    418     seconds until the ban lifts
time: -1003)
TOO_MANY_REQUESTS other messages, TOO_MANY_ORDERS (-1003,    429     1 .. the limit's interval
-1015)
UNKNOWN, UNEXPECTED_RESP (-1000, -1006)                      500     none
DISCONNECTED, SERVER_BUSY, TIMEOUT, Request Throttled        503     none
(-1001, -1004, -1007, -1008)
UNAUTHORIZED, BAD_API_KEY_FMT, REJECTED_MBX_KEY,             401     none
INVALID_API_KEY (-1002, -2014, -2015)
everything else (malformed or rejected requests)             400     none
===========================================================  ======  ==========================
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from binance_errors.catalog import Template
from binance_errors.strategies._cases import ErrorCase, catalogs
from binance_errors.strategies._values import EPOCH, now_ms

SPOT_CODE_NAMES: Mapping[int, str] = {
    -1000: "UNKNOWN", -1001: "DISCONNECTED", -1002: "UNAUTHORIZED", -1003: "TOO_MANY_REQUESTS",
    -1004: "SERVER_BUSY", -1006: "UNEXPECTED_RESP", -1007: "TIMEOUT", -1008: "SERVER_BUSY",
    -1015: "TOO_MANY_ORDERS", -2014: "BAD_API_KEY_FMT", -2015: "REJECTED_MBX_KEY",
}  # fmt: skip
"""The names that decide the status where the product is not known (the spot and SAPI pages')."""
STATUSES = (400, 401, 418, 429, 500, 503)
_CONTENT_TYPE = "application/json;charset=UTF-8"


STATUS_BY_NAME: Mapping[str, int] = {
    "TOO_MANY_REQUESTS": 429, "TOO_MANY_ORDERS": 429,
    "UNKNOWN": 500, "UNEXPECTED_RESP": 500,
    "DISCONNECTED": 503, "SERVER_BUSY": 503, "TIMEOUT": 503, "Request Throttled": 503,
    "UNAUTHORIZED": 401, "BAD_API_KEY_FMT": 401, "REJECTED_MBX_KEY": 401, "INVALID_API_KEY": 401,
}  # fmt: skip
"""The status by the code's documented name, for the general codes (10xx) and the API-key codes."""
_API_KEY_CODES = frozenset({-2014, -2015})


def _code_name(code: int, product: str | None) -> str | None:
    if product is None:
        return SPOT_CODE_NAMES.get(code)
    if not (-1100 < code <= -1000 or code in _API_KEY_CODES):
        return None
    info = catalogs()[product].codes.get(code)
    return info.name if info is not None else None


def status_for(template: Template, code: int, product: str | None = None) -> int:
    """The HTTP status that carries ``template``'s message under ``code``, sent by ``product``
    (the code's name in that product's catalog decides; without a product, the spot page's)."""
    name = _code_name(code, product)
    status = STATUS_BY_NAME.get(name, 400) if name is not None else 400
    if name == "TOO_MANY_REQUESTS" and any(arg.type == "epoch_ms" for arg in template.args):
        return 418  # "IP banned until ..."
    return status


@dataclass(frozen=True, slots=True)
class HttpErrorResponse:
    """An error response as an HTTP client sees it, and the case it was built from."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    case: ErrorCase

    @property
    def retry_after(self) -> int | None:
        """The ``Retry-After`` header in seconds, or None when the response has none."""
        value = self.headers.get("Retry-After")
        return None if value is None else int(value)

    def json(self) -> Any:
        return json.loads(self.body)


def _ban_end_ms(case: ErrorCase) -> int | None:
    until = case.args.get("until")
    return _ms(until) if isinstance(until, datetime) else None


def _ms(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(milliseconds=1)


_UNIT_SECONDS = {"SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86400}


def _window_seconds(case: ErrorCase) -> int:
    """The rate limit's interval in seconds: ``1 MINUTE`` in one argument, or in two (options' ``per %s %s``)."""
    interval = case.args.get("interval")
    if isinstance(interval, timedelta):
        return int(interval.total_seconds())
    count, unit = case.args.get("interval_num"), case.args.get("interval_unit")
    if isinstance(count, int) and isinstance(unit, str) and unit.upper() in _UNIT_SECONDS:
        return count * _UNIT_SECONDS[unit.upper()]
    return 60


def _retry_after_seconds(draw: st.DrawFn, case: ErrorCase, status: int) -> int | None:
    if status == 418:
        end = _ban_end_ms(case)
        if end is not None:
            # Rounded up to whole seconds: a client that waits that long is past the ban.
            return max(1, math.ceil((end - now_ms()) / 1000))
        return draw(st.integers(120, 3 * 86400))
    if status == 429:
        window = _window_seconds(case)
        return draw(st.integers(1, max(1, window)))
    return None


@st.composite
def http_response(draw: st.DrawFn, cases: st.SearchStrategy[ErrorCase]) -> HttpErrorResponse:
    case = draw(cases)
    status = status_for(case.template, case.code, case.product)
    headers = {"Content-Type": _CONTENT_TYPE, "x-mbx-used-weight-1m": str(draw(st.integers(1, 6000)))}
    retry_after = _retry_after_seconds(draw, case, status)
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    body = json.dumps(case.payload(), ensure_ascii=False).encode()
    return HttpErrorResponse(status, headers, body, case)


@st.composite
def ws_api_error(draw: st.DrawFn, cases: st.SearchStrategy[ErrorCase]) -> dict[str, Any]:
    """The WebSocket API's response envelope for an error, as parsed JSON."""
    response = draw(http_response(cases))
    error: dict[str, Any] = dict(response.case.payload())
    if response.retry_after is not None:
        # The WebSocket API states the ban's or window's end as epoch milliseconds instead of a header.
        end = _ban_end_ms(response.case) or now_ms() + response.retry_after * 1000
        error["data"] = {"serverTime": now_ms(), "retryAfter": end}
    request_id = draw(st.one_of(st.uuids().map(str), st.integers(1, 10**6)))
    return {
        "id": request_id,
        "status": response.status,
        "error": error,
        "rateLimits": [
            {"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": 6000,
             "count": int(response.headers["x-mbx-used-weight-1m"])}
        ],
    }

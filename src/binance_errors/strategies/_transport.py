"""What an HTTP or WebSocket API client receives around an error: status, headers, envelope.

Which HTTP status goes with which error (Binance's documented behaviour, simplified to one
status per error so that tests can rely on it):

======================================================  ======  ==============
error                                                   status  Retry-After
======================================================  ======  ==============
-1003 "IP banned until ..." (any message with a time)   418     seconds until the ban lifts
-1003 other messages, -1015 (request or order limits)   429     1 .. the limit's interval
-1000 UNKNOWN, -1006 UNEXPECTED_RESP                    500     none
-1001, -1004, -1007, -1008 (disconnected, busy, ...)    503     none
-1002 UNAUTHORIZED, -2014, -2015 (API key rejected)     401     none
everything else (malformed or rejected requests)        400     none
======================================================  ======  ==============
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
from binance_errors.strategies._cases import ErrorCase
from binance_errors.strategies._values import EPOCH, now_ms

RATE_LIMIT_CODES = frozenset({-1003, -1015})
SERVER_ERROR_STATUS: Mapping[int, int] = {-1000: 500, -1006: 500, -1001: 503, -1004: 503, -1007: 503, -1008: 503}
UNAUTHORIZED_CODES = frozenset({-1002, -2014, -2015})
STATUSES = (400, 401, 418, 429, 500, 503)
_CONTENT_TYPE = "application/json;charset=UTF-8"


def status_for(template: Template, code: int) -> int:
    """The HTTP status that carries ``template``'s message under ``code``."""
    if code in RATE_LIMIT_CODES:
        banned = code == -1003 and any(arg.type == "epoch_ms" for arg in template.args)
        return 418 if banned else 429
    if code in SERVER_ERROR_STATUS:
        return SERVER_ERROR_STATUS[code]
    return 401 if code in UNAUTHORIZED_CODES else 400


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


def _retry_after_seconds(draw: st.DrawFn, case: ErrorCase, status: int) -> int | None:
    if status == 418:
        end = _ban_end_ms(case)
        if end is not None:
            # Rounded up to whole seconds: a client that waits that long is past the ban.
            return max(1, math.ceil((end - now_ms()) / 1000))
        return draw(st.integers(120, 3 * 86400))
    if status == 429:
        interval = case.args.get("interval")
        window = int(interval.total_seconds()) if isinstance(interval, timedelta) else 60
        return draw(st.integers(1, max(1, window)))
    return None


@st.composite
def http_response(draw: st.DrawFn, cases: st.SearchStrategy[ErrorCase]) -> HttpErrorResponse:
    case = draw(cases)
    status = status_for(case.template, case.code)
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

"""How a Binance client library can test its own retry logic with binance_errors.strategies.

The client below is a stand-in for a spot SDK: it retries rate limits after ``Retry-After``,
retries server errors with backoff, never resubmits when the execution status is unknown
(the record's ``execution_unknown``: -1006, -1007, the order may have been placed), and raises
at once on request errors.  It knows which API it talks to, so it normalizes with
``product="spot"``, and the tests draw only the errors the spot API sends.  They check those
rules against every such error the catalog can produce.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from binance_errors import ErrorRecord, normalize_payload
from binance_errors.strategies import HttpErrorResponse, http_error_responses

PRODUCT = "spot"
EXECUTION_UNKNOWN = frozenset({-1006, -1007})
"""What Binance documents as "execution status unknown": the tests' own knowledge, not the client's."""


class ApiError(Exception):
    def __init__(self, record: ErrorRecord) -> None:
        super().__init__(f"{record.code}: {record.message}")
        self.record = record


class ExecutionStatusUnknownError(ApiError):
    """The request may have been executed: look it up, never send it again blindly."""


@dataclass
class FakeTransport:
    """Replies with the scripted error responses first, then with success."""

    replies: list[HttpErrorResponse]
    sent: int = 0

    def send(self, params: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        self.sent += 1
        if self.replies:
            reply = self.replies.pop(0)
            return reply.status, dict(reply.headers), reply.body
        return 200, {}, b'{"orderId": 1}'


@dataclass
class Client:
    transport: FakeTransport
    sleep: Callable[[float], None]
    max_attempts: int = 4
    backoff: float = 0.5

    def place_order(self, params: dict[str, str]) -> Any:
        record: ErrorRecord | None = None
        for attempt in range(self.max_attempts):
            status, headers, body = self.transport.send(params)
            if status == 200:
                return body
            record = normalize_payload(body, product=PRODUCT)
            if record.execution_unknown:
                raise ExecutionStatusUnknownError(record)
            if status in (418, 429):
                self.sleep(float(headers["Retry-After"]))
            elif status >= 500 and record.retryable:
                self.sleep(self.backoff * 2**attempt)
            else:
                raise ApiError(record)
        assert record is not None
        raise ApiError(record)


def _client(replies: list[HttpErrorResponse]) -> tuple[Client, FakeTransport, list[float]]:
    slept: list[float] = []
    transport = FakeTransport(list(replies))
    return Client(transport, slept.append), transport, slept


ORDER = {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.001"}


@settings(max_examples=40, deadline=None)
@given(st.one_of(http_error_responses(product=PRODUCT, status=429), http_error_responses(product=PRODUCT, status=418)))
def test_rate_limits_wait_for_retry_after_then_succeed(response: HttpErrorResponse) -> None:
    client, transport, slept = _client([response])
    assert client.place_order(ORDER) == b'{"orderId": 1}'
    assert transport.sent == 2
    assert slept == [response.retry_after]


@settings(max_examples=40, deadline=None)
@given(st.one_of(http_error_responses(-1006, product=PRODUCT), http_error_responses(-1007, product=PRODUCT)))
def test_execution_unknown_is_never_resubmitted(response: HttpErrorResponse) -> None:
    client, transport, slept = _client([response])
    with pytest.raises(ExecutionStatusUnknownError):
        client.place_order(ORDER)
    assert transport.sent == 1 and slept == []


@settings(max_examples=40, deadline=None)
@given(st.one_of(http_error_responses(product=PRODUCT, status=500), http_error_responses(product=PRODUCT, status=503)))
def test_other_server_errors_are_retried_with_backoff(response: HttpErrorResponse) -> None:
    assume(response.case.code not in EXECUTION_UNKNOWN)  # covered above: never retried
    client, _transport, slept = _client([response, response])
    assert client.place_order(ORDER) == b'{"orderId": 1}'
    assert slept == [0.5, 1.0]


@settings(max_examples=60, deadline=None)
@given(http_error_responses(product=PRODUCT, status=400))
def test_request_errors_raise_at_once_with_the_normalized_record(response: HttpErrorResponse) -> None:
    client, transport, slept = _client([response])
    with pytest.raises(ApiError) as raised:
        client.place_order(ORDER)
    assert transport.sent == 1 and slept == []
    assert raised.value.record.template_id == response.case.template_id


@settings(max_examples=40, deadline=None)
@given(http_error_responses(product=PRODUCT, category="insufficient_funds"))
def test_insufficient_funds_are_not_retried(response: HttpErrorResponse) -> None:
    # The category filter: every message the catalog's rules file under insufficient funds.
    client, transport, slept = _client([response])
    with pytest.raises(ApiError) as raised:
        client.place_order(ORDER)
    assert transport.sent == 1 and slept == []
    assert raised.value.record.category == "insufficient_funds"
    assert raised.value.record.retryable is False

"""What a caller can do about an error: the catalog's rules, as record fields."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from binance_errors import normalize
from binance_errors.catalog import CATEGORIES, default_catalogs


@pytest.mark.parametrize("product", sorted(default_catalogs()))
def test_every_code_and_table_row_has_a_rule(product: str) -> None:
    catalog = default_catalogs()[product]
    missing = [str(code) for code, info in catalog.codes.items() if info.action is None]
    missing += [template.id for template in catalog.templates if template.action is None]
    assert missing == []
    for template in catalog.templates:
        assert template.action is not None and template.action.category in CATEGORIES


@pytest.mark.parametrize("code", [-1006, -1007])
def test_execution_status_unknown(code: int) -> None:
    record = normalize(code, "whatever the server says", product="sapi")
    assert record.execution_unknown is True
    assert record.category == "server"


def test_ip_ban_says_until_when() -> None:
    record = normalize(
        -1003,
        "Way too much request weight used; IP banned until 1659146400000. "
        "Please use WebSocket Streams for live updates to avoid bans.",
    )
    assert (record.category, record.retryable) == ("rate_limit", True)
    assert record.retry_after == datetime(2022, 7, 30, 2, 0, tzinfo=UTC)
    assert record.to_dict()["retry_after"] == "2022-07-30T02:00:00+00:00"


def test_rate_window_says_how_long() -> None:
    record = normalize(-1015, "Too many new orders; current limit is 50 orders per 10 SECOND.")
    assert record.retry_after == timedelta(seconds=10)
    assert record.to_dict()["retry_after"] == 10.0


@pytest.mark.parametrize(
    ("code", "message", "category", "retryable"),
    [
        (-2010, "Account has insufficient balance for requested action.", "insufficient_funds", False),
        (-1013, "Filter failure: LOT_SIZE", "validation", False),
        (-1021, "Timestamp for this request is outside of the recvWindow.", "clock", True),
        (-1022, "Signature for this request is not valid.", "auth", False),
        (-2011, "Unknown order sent.", "order_state", False),
        (-1001, "Internal error; unable to process your request. Please try again.", "server", True),
    ],
)
def test_rules_follow_the_message(code: int, message: str, category: str, retryable: bool) -> None:
    record = normalize(code, message)
    assert (record.category, record.retryable, record.execution_unknown) == (category, retryable, False)


def test_unknown_errors_stay_useful() -> None:
    under_known_code = normalize(-1121, "Symbol BTCUSDT is not 'tradable' since 1700000000000.", product="sapi")
    assert (under_known_code.match, under_known_code.name) == ("code", "BAD_SYMBOL")
    assert under_known_code.group == "11xx - 2xxx Request issues"
    assert under_known_code.skeleton == "Symbol <sym> is not <q> since <n>."
    unknown_code = normalize(-10999, "Loan 12345 cannot be found.", product="sapi")
    assert (unknown_code.match, unknown_code.group) == ("unknown", "10xxx - Crypto Loans")
    assert unknown_code.skeleton == "Loan <n> cannot be found."
    assert normalize(-1999, "x", product="sapi").group == "11xx - 2xxx Request issues"
    assert normalize(-1121, "Invalid symbol.").skeleton is None

"""find_error and find_request_url: every wrapper form, real log lines, and hostile input."""

from __future__ import annotations

import doctest
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from binance_errors import finder
from binance_errors.finder import TRIGGER_CODE, TRIGGER_WORDS, find_error, find_request_url, might_hold_error
from digit_lines import digit_variant_lines, redigit
from shared_data import REAL, real_log_lines


@pytest.mark.skipif(not REAL.is_file(), reason="shared/examples/real-messages.jsonl is not present")
@pytest.mark.parametrize("row", real_log_lines(), ids=lambda row: str(row["code"]))
def test_real_log_lines_give_their_code_and_message(row: dict[str, Any]) -> None:
    found = find_error(row["raw"])
    assert found is not None
    assert (found.code, found.msg) == (row["code"], row["msg"])


@pytest.mark.parametrize(
    ("text", "code", "msg"),
    [
        ('{"code":-1013,"msg":"Filter failure: LOT_SIZE"}', -1013, "Filter failure: LOT_SIZE"),
        ('order failed: {"code": -1121, "msg": "Invalid symbol."} retrying', -1121, "Invalid symbol."),
        ('{"msg":"Invalid symbol.","code":-1121}', -1121, "Invalid symbol."),
        # cut before the closing quote and brace
        ('binance {"code":-4131,"msg":"The counterparty\'s best price', -4131, "The counterparty's best price"),
        # escaped into a JSON string, once and twice
        (
            r'body="{\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions for action.\"}"',
            -2015,
            "Invalid API-key, IP, or permissions for action.",
        ),
        (
            r'"{\\\"code\\\":-1022,\\\"msg\\\":\\\"Signature for this request is not valid.\\\"}"',
            -1022,
            "Signature for this request is not valid.",
        ),
        # Python repr of a dict, with the other quote inside
        (
            "[{'code': -4164, 'msg': \"Order's notional must be no smaller than 5.0\"}]",
            -4164,
            "Order's notional must be no smaller than 5.0",
        ),
        # WebSocket API response
        (
            '{"id":"7","status":400,"error":{"code":-1100,"msg":"Illegal characters found in a parameter."}}',
            -1100,
            "Illegal characters found in a parameter.",
        ),
        (
            '{"success":false,"msg":"The operation failed, please try again later."}',
            None,
            "The operation failed, please try again later.",
        ),
        (
            "{ msg: 'The operation failed, please try again later.', success: false }",
            None,
            "The operation failed, please try again later.",
        ),
        (
            "binance.exceptions.BinanceAPIException: APIError(code=-1013): Filter failure: LOT_SIZE",
            -1013,
            "Filter failure: LOT_SIZE",
        ),
        ("BinanceAPIException: Margin is insufficient.", None, "Margin is insufficient."),
        (
            'ccxt.base.errors.InvalidOrder: binance {"code":-2010,"msg":"Account has insufficient balance for '
            'requested action."}',
            -2010,
            "Account has insufficient balance for requested action.",
        ),
        (
            "binance -2010 Account has insufficient balance for requested action.",
            -2010,
            "Account has insufficient balance for requested action.",
        ),
        (
            "[0004] WARN <APIError> code=-1015, msg=Too many new orders; current limit is 50 orders per 10 SECOND."
            " strategy=grid",
            -1015,
            "Too many new orders; current limit is 50 orders per 10 SECOND.",
        ),
        ("> 2021-04-23 05:03:05 Error binance: -2011 Unknown order sent. (placeOrder)", -2011, "Unknown order sent."),
        ("seem has this problem {-9000 illegal parameter}", -9000, "illegal parameter"),
        ("{-11001: Isolated margin account does not exist. }", -11001, "Isolated margin account does not exist."),
        (
            "Array\n(\n    [code] => -1101\n    [msg] => Too many parameters; expected '6' and received '7'.\n)",
            -1101,
            "Too many parameters; expected '6' and received '7'.",
        ),
        (
            "Some.HttpException: [BadRequest]: 'Bad Request' - Illegal characters found in parameter 'price'. (-1100)",
            -1100,
            "Illegal characters found in parameter 'price'.",
        ),
        ('{"code":-1003,"msg":"\\u8bf7\\u6c42\\u8fc7\\u591a"}', -1003, "请求过多"),
        ("2024-05-01T10:00:00Z ERROR -1100 非法字符", -1100, "非法字符"),
    ],
)
def test_wrapper_forms(text: str, code: int | None, msg: str) -> None:
    found = find_error(text)
    assert found is not None, text
    assert (found.code, found.msg) == (code, msg)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2024-01-01 12:00:00 INFO order placed symbol=BTCUSDT qty=0.01",
        "GET /api/v3/ticker 200 OK",
        "msg=started worker",  # an application's own key=value log, not a Binance body
        '{"code":200,"msg":"success"}',  # an HTTP status is no error code
        "Order Failed, Code: 400",
        "balance went from 12 to -3 today",
        "error_code_msg === 'x'",
    ],
)
def test_lines_without_an_error(text: str) -> None:
    assert find_error(text) is None


def test_leading_timestamp_and_http_status_are_kept() -> None:
    found = find_error('2026-07-19 19:23:27,771 WARNING binance 418 I\'m a teapot {"code":-1003,"msg":"x"}')
    assert found is not None
    assert found.timestamp == "2026-07-19 19:23:27,771"
    assert found.extras["http_status"] == "418"
    epoch = find_error("1700000000123 APIError(code=-1021): Timestamp for this request is outside of the recvWindow.")
    assert epoch is not None and epoch.timestamp == "1700000000123"


def test_the_same_tail_behind_two_timestamps_gives_two_timestamps() -> None:
    first = find_error("2024-01-01 00:00:00 APIError(code=-1013): Filter failure: LOT_SIZE")
    second = find_error("2024-01-02 00:00:00 APIError(code=-1013): Filter failure: LOT_SIZE")
    assert first is not None and second is not None
    assert (first.timestamp, second.timestamp) == ("2024-01-01 00:00:00", "2024-01-02 00:00:00")
    assert first.msg == second.msg


@pytest.mark.parametrize("value", [None, b'{"code":-1013,"msg":"x"}', 12, ["code"]])
def test_non_text_gives_none(value: object) -> None:
    assert find_error(value) is None  # type: ignore[arg-type]


HOSTILE = [
    " " * 100_000,
    "-" * 100_000,
    "-1" * 50_000,
    "code: 1 " * 12_000,
    "code=-1013: m " + "a=b " * 25_000,
    '"msg":"' + "a\\" * 40_000,
    '\\"code\\":' * 10_000,
    "code=-1013: " + "(" * 40_000 + ")" * 40_000,
    "code=-1013: " + '"' * 80_000,
    "-1013 " * 15_000,
    "BinanceException: " + "Error: " * 12_000,
    "code=-1013" + "\n" * 80_000,
    "{" * 100_000,
    "\x00\udcff" * 30_000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_is_bounded_and_never_raises(text: str) -> None:
    start = time.perf_counter()
    find_error(text)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("text", [text[:1024] for text in HOSTILE], ids=range(len(HOSTILE)))
def test_hostile_short_input_is_fast_without_a_time_limit(text: str) -> None:
    # Up to 1 KiB the searches run without the engine's time limit: they must not need it.
    start = time.perf_counter()
    find_error(text)
    assert time.perf_counter() - start < 0.25


@pytest.mark.parametrize(
    ("text", "url"),
    [
        (
            '{"code":-1021,"msg":"x","_method":"GET","_url":"https:\\/\\/api.binance.com\\/api\\/v3\\/account"}',
            "https://api.binance.com/api/v3/account",
        ),
        ('POST https://fapi.binance.com/fapi/v1/order -> {"code":-4003}', "https://fapi.binance.com/fapi/v1/order"),
        ("`POST /fapi/v1/marginType` returns error `-4067`", "/fapi/v1/marginType"),
        (
            "{'url': 'https://dapi.binance.com/dapi/v1/order?symbol=X', 'code': -1}",
            "https://dapi.binance.com/dapi/v1/order?symbol=X",
        ),
        (
            "request_url=https://papi.binance.com/papi/v1/um/order, code=-2010",
            "https://papi.binance.com/papi/v1/um/order",
        ),
        ('requestUri: "https://eapi.binance.com/eapi/v1/order"', "https://eapi.binance.com/eapi/v1/order"),
        ("GET https://api.binance.com/api/v3/order, code=-2013", "https://api.binance.com/api/v3/order"),
        # Not the request's: another host, a link in the text, a key that is not the URL of the request.
        ("url=https://example.com/api/v3/order code=-1000", None),
        ("see https://fapi.binance.com/fapi/v1/order code=-4003", None),
        ("curl=https://fapi.binance.com/fapi/v1/order code=-4003", None),
        ("base_url=https://fapi.binance.com code=-4003", None),
        ("docs: https://developers.binance.com/docs/derivatives/usds-margined-futures/error-code", None),
    ],
)
def test_find_request_url(text: str, url: str | None) -> None:
    assert find_request_url(text) == url


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_find_request_url_is_bounded_and_never_raises(text: str) -> None:
    start = time.perf_counter()
    find_request_url(text)
    find_request_url("url=" + text)
    find_request_url("POST /" + text)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("value", [None, b"url=https://api.binance.com/api/v3/order", 12])
def test_find_request_url_of_non_text_is_none(value: object) -> None:
    assert find_request_url(value) is None  # type: ignore[arg-type]


_FRAGMENTS = st.sampled_from(
    [
        '"code"',
        "code",
        "CODE",
        "msg",
        "Msg",
        ":",
        "=",
        "-",
        "-1013",
        "-20",
        "12345",
        " ",
        "'",
        '"',
        "{",
        "}",
        "(",
        ")",
        "binance",
        "BINANCE",
        "Exception",
        "\\",
        "\n",
        "é",
        "ſ",
        "١٢٣٤",
        "x",
    ]
)


@given(st.lists(_FRAGMENTS, max_size=14).map("".join))
def test_the_block_trigger_accepts_every_text_find_error_accepts(text: str) -> None:
    # The scanner only looks at lines its byte-level trigger accepts: it must not miss any.
    if find_error(text) is not None:
        low = text.encode("utf-8", "surrogatepass").lower()
        assert might_hold_error(text) is not None
        assert any(word in low for word in TRIGGER_WORDS) or TRIGGER_CODE.search(text.encode()) is not None


def test_finder_docstring_examples() -> None:
    failures, tried = doctest.testmod(finder)
    assert tried > 0
    assert failures == 0


# -- digit_blind_span: one reading for every text that differs only in the message's digits --


@settings(max_examples=400, deadline=None)
@given(lines=digit_variant_lines(), data=st.data())
def test_a_digit_blind_span_reads_alike_whatever_its_digits(lines: list[str], data: st.DataObject) -> None:
    text = lines[0]
    found = find_error(text)
    if found is None:
        return
    span = finder.digit_blind_span(text, found.msg)
    if span is None:
        return
    start, end = span
    assert text[start:end] == found.msg
    for _ in range(5):
        other = text[:start] + redigit(data.draw, text[start:end]) + text[end:]
        again = find_error(other)
        assert again is not None
        assert (again.code, again.msg, again.extras, again.timestamp, again.form) == (
            found.code, other[start:end], found.extras, found.timestamp, found.form
        )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "msg"),
    [
        # A code key's value inside the message: compared as a number.
        ("ERROR APIError(code=-1000): Invalid code=1234 in request", "Invalid code=1234 in request"),
        # An HTTP status's first digit must be 1-5.
        ("2025-03-01 00:47:09 binance: -1000 upstream status: 503 later", "upstream status: 503 later"),
        # The message twice: which one was read cannot be told.
        ("ticket 5 -1000 ticket 5", "ticket 5"),
        ("2025-03-01 00:47:09 note ticket 5 -1000 ticket 5", "ticket 5"),
        # A leading 1 would make the message's first digits an epoch time stamp.
        ("2700000000 is the time (-1000)", "2700000000 is the time"),
        # Escapes are undone before the search: a \\u escape's digits are a character's.
        ('body="{\\"code\\":-1000,\\"msg\\":\\"ticket\\u00205\\"}"', "ticket 5"),
        ('body="{\\"code\\":-1000,\\"msg\\":\\"ticket 5 \\u0035\\"}"', "ticket 5"),
        # The message's bytes are not those of the line (an escaped quote in it).
        ('body="{\\"code\\":-1000,\\"msg\\":\\"ticket \\\\\\"5\\\\\\"\\"}"', "ticket"),
        # A status that the search looks for in the line as it is, before unescaping.
        ('binance 503 body="{\\"code\\":-1000,\\"msg\\":\\"binance 503 x\\"}"', "binance 503 x"),
    ],
)
def test_no_digit_blind_span_where_a_digit_of_the_message_could_matter(text: str, msg: str) -> None:
    found = find_error(text)
    assert found is not None and msg in found.msg
    assert finder.digit_blind_span(text, found.msg) is None


def test_a_body_inside_a_string_literal_has_a_digit_blind_span() -> None:
    text = '2025-03-01 00:47:09.098 response body: "{\\"code\\":-9000,\\"msg\\":\\"Retry in 158 seconds.\\"}"'
    found = find_error(text)
    assert found is not None and found.msg == "Retry in 158 seconds."
    start, end = finder.digit_blind_span(text, found.msg) or (0, 0)
    assert text[start:end] == "Retry in 158 seconds."


def test_a_message_with_numbers_after_its_code_has_a_digit_blind_span() -> None:
    text = "2025-03-01 00:47:09.098 ERROR APIError(code=-12345): Your account is under review (ticket 53105)."
    found = find_error(text)
    assert found is not None
    start, end = finder.digit_blind_span(text, found.msg) or (0, 0)
    assert text[start:end] == "Your account is under review (ticket 53105)."

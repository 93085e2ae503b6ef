"""binance_errors.extract: the first Binance error in a line of text, normalized, with its product."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import binance_errors
from binance_errors import CatalogError, ErrorRecord, extract, normalize
from binance_errors.finder import find_request_url
from binance_errors.products import product_from_url
from shared_data import REAL, real_log_lines, real_rows


@pytest.mark.skipif(not REAL.is_file(), reason="shared/examples/real-messages.jsonl is not present")
@pytest.mark.parametrize("row", real_log_lines(), ids=lambda row: str(row["code"]))
def test_real_wrapped_lines_give_their_code_and_message(row: dict[str, Any]) -> None:
    record = extract(row["raw"])
    assert isinstance(record, ErrorRecord), row["raw"]
    assert (record.code, record.message) == (row["code"], row["msg"])
    # The record normalize gives the bare code and message, for the product the line's request URL names.
    url = find_request_url(row["raw"])
    assert record == normalize(row["code"], row["msg"], product_from_url(url) if url else None)


@pytest.mark.skipif(not REAL.is_file(), reason="shared/examples/real-messages.jsonl is not present")
def test_every_real_line_gives_a_record_or_none_without_raising() -> None:
    rows = real_rows()
    assert len(real_log_lines()) >= 50
    for row in rows:
        record = extract(row["raw"])
        assert record is None or isinstance(record, ErrorRecord)


# The file's names for the product lines, where they differ from the package's.
_PRODUCT_NAMES = {"usdm_futures": "usdm", "coinm_futures": "coinm"}


@pytest.mark.skipif(not REAL.is_file(), reason="shared/examples/real-messages.jsonl is not present")
def test_real_lines_that_keep_the_request_url_get_its_product() -> None:
    named = [row for row in real_log_lines() if find_request_url(row["raw"]) is not None]
    assert len(named) >= 2  # the -1021 line's "_url" and the -4067 line's "POST /fapi/v1/marginType"
    for row in named:
        record = extract(row["raw"])
        assert record is not None
        assert record.product == _PRODUCT_NAMES.get(row["product"], row["product"]), row["raw"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2024-01-01 12:00:00 INFO order placed symbol=BTCUSDT qty=0.01",
        "GET /api/v3/ticker 200 OK",
        "POST https://fapi.binance.com/fapi/v1/order 200 OK",
        "msg=started worker",
        '{"code":200,"msg":"success"}',
        "Order Failed, Code: 400",
    ],
)
def test_lines_without_an_error_give_none(text: str) -> None:
    assert extract(text) is None
    assert extract(text, product="usdm") is None


def test_the_product_given_decides() -> None:
    line = "binance.exceptions.BinanceAPIException: APIError(code=-4003): Quantity less than zero."
    futures = extract(line, product="usdm")
    wallet = extract("APIError(code=-4003): Your input email is invalid.", product="sapi")
    assert futures is not None and wallet is not None
    assert (futures.product, futures.name) == ("usdm", "QTY_LESS_THAN_ZERO")
    assert (wallet.product, wallet.name) == ("sapi", "CAPITAL_IEV")
    # The product given wins over the URL in the line.
    given_wins = extract(
        'POST https://api.binance.com/sapi/v1/x {"code":-4003,"msg":"Quantity less than zero."}', "usdm"
    )
    assert given_wins is not None and given_wins.product == "usdm"


def test_an_unknown_product_name_is_a_programming_error() -> None:
    with pytest.raises(CatalogError):
        extract("APIError(code=-1013): Filter failure: LOT_SIZE", product="nonsense")


@pytest.mark.parametrize(
    ("text", "product"),
    [
        # The request's URL, as a log keeps it: a URL key (escaped), a method and URL, a method and path.
        (
            r'{"code":-4003,"msg":"Quantity less than zero.","_method":"POST",'
            r'"_url":"https:\/\/fapi.binance.com\/fapi\/v1\/order"}',
            "usdm",
        ),
        ('POST https://dapi.binance.com/dapi/v1/order -> {"code":-4003,"msg":"Quantity less than zero."}', "coinm"),
        ('`POST /fapi/v1/order` returns error `-4003` ("Quantity less than zero.")', "usdm"),
        (
            "url=https://api.binance.com/sapi/v1/capital/withdraw/apply code=-4003 msg=Your input email is invalid.",
            "sapi",
        ),
        ("GET https://testnet.binancefuture.com/fapi/v1/order APIError(code=-2013): Order does not exist.", "usdm"),
    ],
)
def test_the_request_url_in_the_line_names_the_product(text: str, product: str) -> None:
    record = extract(text)
    assert record is not None
    assert record.product == product
    assert record.products == (product,)


def test_a_url_that_is_not_the_requests_is_ignored() -> None:
    # A link, another host, or a key that is not the request's: the message decides alone.
    body = '{"code":-4003,"msg":"Quantity less than zero."}'
    plain = extract(body)
    assert plain is not None
    for text in (
        "see https://api.binance.com/sapi/v1/capital " + body,
        "url=https://example.com/sapi/v1/capital " + body,
        "base_url=https://api.binance.com/sapi/v1/x " + body,
    ):
        record = extract(text)
        assert record is not None
        assert (record.product, record.products, record.name) == (plain.product, plain.products, plain.name)


def test_a_url_without_a_known_api_leaves_the_product_open() -> None:
    record = extract("POST https://www.binance.com/bapi/x -> APIError(code=-1013): Filter failure: LOT_SIZE")
    plain = extract("APIError(code=-1013): Filter failure: LOT_SIZE")
    assert record is not None and plain is not None
    assert record.products == plain.products


HOSTILE = [
    " " * 100_000,
    "-1" * 50_000,
    "code=-1013: m " + "a=b " * 25_000,
    '"msg":"' + "a\\" * 40_000,
    "POST /" + "a" * 100_000 + ' {"code":-1013,"msg":"x"}',
    "url=" + "\\/" * 50_000 + " code=-1013, msg=x",
    '"_url":"' + "https://api.binance.com/" * 4_000 + '" code=-1013',
    "GET " * 25_000 + "code=-1013",
    "\x00\udcff" * 30_000 + "url=https://[::1/ code=-1013 msg=x",
    "POST https://[broken/api/v3 code=-1013, msg=x",
    "url=https://api.binance.com:99999999/api/v3 code=-1013, msg=x",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_never_raises_and_is_bounded(text: str) -> None:
    start = time.perf_counter()
    record = extract(text)
    assert record is None or isinstance(record, ErrorRecord)
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize("value", [None, b'{"code":-1013,"msg":"x"}', 12, ["code"]])
def test_non_text_gives_none(value: object) -> None:
    assert extract(value) is None  # type: ignore[arg-type]


_PIECES = st.sampled_from(
    ["code", "msg", "=", ":", "-1013", "-4003", " ", '"', "'", "\\/", "/", "url", "_url", "POST ", "GET ",
     "https://", "fapi.binance.com", "/fapi/v1/", "/sapi/", "[", "]", "{", "}", "binance", "é", "\n", "x"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=16).map("".join))
def test_any_text_gives_a_record_or_none(text: str) -> None:
    record = extract(text)
    assert record is None or isinstance(record, ErrorRecord)
    if record is not None:
        assert record.product is None or record.product in binance_errors.Normalizer().products

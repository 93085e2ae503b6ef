"""sapi() and normalize_payload(): the quirks of the catalog and the decision order."""

from __future__ import annotations

import gc
import json
import threading
import weakref
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from binance_errors import Normalizer, normalize_payload
from binance_errors.catalog import Template, Wording, default_catalog
from binance_errors.normalizer import _find, _Matcher
from binance_errors.placeholders import fill
from binance_errors.record import _NO_EXTRAS, ErrorRecord, JsonValue
from catalog_values import TEMPLATES, VALUES

SAPI = Normalizer(default_catalog("sapi"))


def sapi(code: object, msg: object) -> ErrorRecord:
    """These tests are about the SAPI page: normalize against its catalog alone."""
    return SAPI.normalize(code, msg)


RATE_LIMIT = (
    "Too much request weight used; current limit is 1200 request weight per 1 MINUTE. "
    "Please use WebSocket Streams for live updates to avoid polling the API."
)


def test_the_contract_example() -> None:
    record = sapi(-1003, RATE_LIMIT)
    assert (record.code, record.name, record.match, record.lang) == (-1003, "TOO_MANY_REQUESTS", "template", "en")
    assert record.template is not None and "%s request weight per %s" in record.template
    assert record.raw_args == ("1200", "1 MINUTE")
    assert record.args == {"limit": 1200, "interval": timedelta(minutes=1)}
    assert record.message == RATE_LIMIT
    assert json.loads(json.dumps(record.to_dict()))["args"] == {"limit": 1200, "interval": 60.0}


def test_ip_ban_until_is_an_aware_utc_datetime() -> None:
    record = sapi(
        -1003,
        "Way too much request weight used; IP banned until 1659146400000. "
        "Please use WebSocket Streams for live updates to avoid bans.",
    )
    assert record.args["until"] == datetime(2022, 7, 30, 2, 0, tzinfo=UTC)
    assert record.to_dict()["args"] == {"until": "2022-07-30T02:00:00+00:00"}


def test_code_documented_twice_keeps_each_headings_name() -> None:
    assert sapi(-5012, "Asset transfer is in pending.").name == "TRANSFER_PENDING"
    second = sapi(-5012, "future account or sub relation not exists.")
    assert second.name == "FUTURE_ACCT_OR_SUBRELATION_NOT_EXIST"
    assert sapi(-5012, "something new").name == "TRANSFER_PENDING"


def test_message_shared_by_two_codes_resolves_by_code() -> None:
    text = "This asset are not allowed to transfer into margin account currently."
    first, second = sapi(-3009, text), sapi(-3017, text)
    assert (first.name, second.name) == ("ASSET_NOT_MORTGAGEABLE", "ASSET_ADMIN_BAN_MORTGAGE")
    assert first.template_id != second.template_id
    assert first.template == second.template


def test_chinese_translation_reorders_arguments_into_english_order() -> None:
    record = sapi(-1015, "新订单太多； 当前限制为每10 SECOND 50个订单。")
    assert record.template == "Too many new orders; current limit is %s orders per %s."
    assert record.raw_args == ("50", "10 SECOND")
    assert record.args == {"limit": 50, "interval": timedelta(seconds=10)}
    assert record.lang == "zh"


def test_chinese_translation_with_fewer_placeholders() -> None:
    record = sapi(-4060, "体现仍在区块确认中，暂时锁定部分资产")
    assert record.template_id == "-4060"
    assert record.raw_args == ()
    assert record.lang == "zh"


def test_chinese_page_that_lists_the_english_line() -> None:
    assert sapi(-1151, "Symbol is present multiple times in the list.").lang == "en"
    english = sapi(-18005, "Too many invalid verify attempts, please try later")
    chinese = sapi(-18005, "参考号输错次数过多，请稍后再试")
    assert english.template_id == chinese.template_id
    assert chinese.lang == "zh"


@pytest.mark.parametrize(
    ("code", "message", "raw_args"),
    [
        (
            -1003,
            "请求权重过多； IP被禁止，直到1659146400000。 请使用 Websocket Streams 进行实时更新，以免被禁。",
            ("1659146400000",),
        ),
        (-1127, "More than 24 hours between startTime and endTime.", ("24",)),
        (-4036, "The new address needs to be withdrawn in 48 hours.", ("48",)),
        (-10043, "ETH borrowing is currently not supported.", ("ETH",)),
        (-10042, "暂不支持BNB币种", ("BNB",)),
    ],
)
def test_placeholder_spellings(code: int, message: str, raw_args: tuple[str, ...]) -> None:
    record = sapi(code, message)
    assert record.match == "template"
    assert record.raw_args == raw_args


def test_literal_numbers_are_text_not_placeholders() -> None:
    timestamp = sapi(-1021, "Timestamp for this request was 1000ms ahead of the server's time.")
    assert (timestamp.match, timestamp.raw_args) == ("exact", ())
    other = sapi(-1021, "Timestamp for this request was 2000ms ahead of the server's time.")
    assert (other.match, other.template_id) == ("fuzzy", "-1021.2")
    assert other.confidence is not None and 0.8 <= other.confidence < 1
    residual = sapi(-5004, "The residual balances have exceeded 0.001BTC, Please re-choose.")
    assert (residual.template_id, residual.raw_args) == ("-5004.1", ())
    with_asset = sapi(-5004, "The residual balances of DOGE have exceeded 0.001BTC, Please re-choose.")
    assert (with_asset.template_id, with_asset.args) == ("-5004.2", {"asset": "DOGE"})


def test_withdrawal_amounts_are_decimals() -> None:
    record = sapi(-4022, "Not less than the minimum pick-up quantity 0.0005.")
    assert record.args == {"min_amount": Decimal("0.0005")}
    multiple = sapi(-4021, "资产的提款数量必须是0.01的整数倍。")
    assert multiple.args == {"factor": "整数", "step": Decimal("0.01")}
    assert multiple.raw_args == ("整数", "0.01")


@pytest.mark.parametrize("code", [-1013, -2010, -1010, None])
def test_filter_failures_classify_even_when_the_table_lacks_the_filter(code: int | None) -> None:
    listed = sapi(code, "Filter failure: LOT_SIZE")
    assert (listed.kind, listed.subtype, listed.match) == ("filter_failure", "LOT_SIZE", "exact")
    assert listed.template_id == "filter.LOT_SIZE"
    for new_filter in ("NOTIONAL", "MAX_NUM_ALGO_ORDERS_V2"):
        record = sapi(code, f"Filter failure: {new_filter}")
        assert (record.kind, record.subtype, record.match) == ("filter_failure", new_filter, "template")
        assert record.raw_args == (new_filter,)


def test_renamed_filter_keeps_its_current_subtype() -> None:
    record = sapi(-2010, "Filter failure: MAX_ALGO_ORDERS")
    assert (record.template, record.subtype) == ("Filter failure: MAX_NUM_ALGO_ORDERS", "MAX_NUM_ALGO_ORDERS")


def test_order_rejections_under_catch_all_codes() -> None:
    record = sapi(-2010, "Account has insufficient balance for requested action.")
    assert (record.name, record.kind, record.subtype) == (
        "NEW_ORDER_REJECTED",
        "order_rejection",
        "INSUFFICIENT_BALANCE",
    )
    assert record.template_code is None
    cancel = sapi(-2011, "Unknown order sent.")
    assert (cancel.name, cancel.subtype) == ("CANCEL_REJECTED", "UNKNOWN_ORDER")
    assert sapi(-1010, "Market is closed.").name == "ERROR_MSG_RECEIVED"


def test_decision_order() -> None:
    # The code's own literal message wins over a placeholder variant of the same code.
    assert sapi(-1000, "An unknown error occurred while processing the request.").template_id == "-1000.1"
    assert sapi(-1000, "An unknown error occurred while processing the request.[boom]").template_id == "-1000.2"
    # The same text under another code: the text decides, the code is kept.
    moved = sapi(-1102, "Invalid symbol.")
    assert (moved.code, moved.name, moved.template_code, moved.match) == (
        -1102,
        "MANDATORY_PARAM_EMPTY_OR_MALFORMED",
        -1121,
        "exact",
    )
    # A documented code with an unknown message, and an unknown code.
    assert sapi(-1121, "Something else entirely.").match == "code"
    unknown = sapi(-987654, "Something else entirely.")
    assert (unknown.match, unknown.name, unknown.template) == ("unknown", None, None)


def test_shared_text_without_code_takes_the_first_documented_code() -> None:
    record = sapi(None, "Invalid symbol.")
    assert (record.code, record.template_code, record.match) == (None, -1121, "exact")


@pytest.mark.parametrize(
    "payload",
    [
        {"code": -1121, "msg": "Invalid symbol."},
        '{"code": -1121, "msg": "Invalid symbol."}',
        b'{"code": -1121, "msg": "Invalid symbol."}',
        {"id": "a1", "status": 400, "error": {"code": -1121, "msg": "Invalid symbol."}},
        '{"id":"a1","status":400,"error":{"code":-1121,"msg":"Invalid symbol."},"rateLimits":[]}',
        {"code": "-1121", "msg": "Invalid symbol."},
    ],
)
def test_payload_forms(payload: object) -> None:
    record = normalize_payload(payload, product="sapi")
    assert (record.code, record.template_id) == (-1121, "-1121")


def test_success_false_payload_has_no_code() -> None:
    record = normalize_payload(
        {"success": False, "msg": "You are not authorized to execute this request."}, product="sapi"
    )
    assert (record.code, record.template_id) == (None, "-1002")


def test_cache_is_bounded_and_results_are_stable() -> None:
    normalizer = Normalizer(cache_size=8)
    first = normalizer.normalize(-1003, RATE_LIMIT)
    for limit in range(100):
        normalizer.normalize(-1015, f"Too many new orders; current limit is {limit} orders per 10 SECOND.")
    info = normalizer.cache_info()
    assert info.currsize <= 8
    assert normalizer.normalize(-1003, RATE_LIMIT) == first


def test_threads_get_the_same_records() -> None:
    normalizer = Normalizer(cache_size=16)
    messages = [(-1015, f"Too many new orders; current limit is {n} orders per 10 SECOND.") for n in range(200)]
    expected = [Normalizer(cache_size=0).normalize(code, msg).to_dict() for code, msg in messages]
    results: list[list[dict[str, JsonValue]]] = []

    def work() -> None:
        results.append([normalizer.normalize(code, msg).to_dict() for code, msg in messages])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 8


def test_records_are_immutable_and_hashable() -> None:
    record = sapi(-1121, "Invalid symbol.")
    with pytest.raises(AttributeError):
        record.code = 1  # type: ignore[misc]
    assert len({record, sapi(-1121, "Invalid symbol.")}) == 1


def test_every_field_is_set_under_its_own_name() -> None:
    # The normalizer builds records positionally for speed; this pins the order to the names.
    record = sapi(
        -1003,
        "Way too much request weight used; IP banned until 1659146400000. "
        "Please use WebSocket Streams for live updates to avoid bans., request ip: 1.2.3.4",
    )
    expected = ErrorRecord(
        code=-1003,
        name="TOO_MANY_REQUESTS",
        message=record.message,
        template="Way too much request weight used; IP banned until %s. "
        "Please use WebSocket Streams for live updates to avoid bans.",
        template_id="-1003.3",
        raw_args=("1659146400000",),
        args={"until": datetime(2022, 7, 30, 2, 0, tzinfo=UTC)},
        kind=None,
        subtype=None,
        lang="en",
        match="template",
        group="10xx - General Server or Network issues",
        template_code=-1003,
        confidence=1.0,
        extras={"request_ip": "1.2.3.4"},
        category="rate_limit",
        retryable=True,
        retry_after=datetime(2022, 7, 30, 2, 0, tzinfo=UTC),
        execution_unknown=False,
        skeleton=None,
        product="sapi",
        products=("sapi",),
    )
    assert record._asdict() == expected._asdict()
    assert len(record) == len(ErrorRecord._fields)


def test_a_dropped_normalizer_is_freed_at_once() -> None:
    # No reference cycle through its cache: reference counting alone frees it and its records.
    normalizer = Normalizer(cache_size=8)
    normalizer.normalize(-1121, "Invalid symbol.")
    gone = weakref.ref(normalizer)
    gc.disable()
    try:
        del normalizer
        assert gone() is None
    finally:
        gc.enable()


def test_payload_with_the_request_url() -> None:
    body = {"code": -4003, "msg": "Your input email is invalid."}
    assert normalize_payload(body, url="https://api.binance.com/sapi/v1/capital/withdraw/apply").product == "sapi"
    futures = normalize_payload({"code": -4003, "msg": "Quantity less than zero."}, url="fapi.binance.com")
    assert (futures.product, futures.name) == ("usdm", "QTY_LESS_THAN_ZERO")
    # A URL that names no API leaves the message to decide; a given product wins over the URL.
    assert normalize_payload(body, url="https://example.com/x").products == ("sapi", "margin", "portfolio_margin_pro")
    assert normalize_payload(body, "usdm", url="https://api.binance.com/sapi/v1/x").product == "usdm"


@pytest.mark.parametrize(
    ("product", "template", "wording"),
    [
        pytest.param(product, template, wording, id=f"{template.id}/{position}")
        for product, template in TEMPLATES.values()
        for position, wording in enumerate(template.wordings)
        if not wording.is_literal and template.code is not None
    ],
)
@settings(max_examples=3)
@given(data=st.data())
def test_the_common_path_builds_what_the_general_one_does(
    product: str, template: Template, wording: Wording, data: st.DataObject
) -> None:
    # The normalizer has a short path for a message its code's own pattern reads, which
    # builds the record from parts kept per wording; the general path decides each field.
    values = [data.draw(VALUES[template.args[index].type])[0] for index in wording.arg_order]
    message = fill(wording.text, values)
    for in_product in (product, None):
        normalizer = Normalizer()
        record = normalizer.normalize(template.code, message, in_product)
        index = normalizer._indexes[in_product]
        found = _find(index, template.code, message.strip(), 1.0)
        assert found is not None
        general = _Matcher._build(
            index, in_product, template.code, message, *found, confidence=1.0, extras=_NO_EXTRAS
        )
        assert record._asdict() == general._asdict()


def test_records_by_code_alone_set_every_field_under_its_own_name() -> None:
    # Built positionally too, from parts kept per code.
    known = sapi(-1006, "Something else entirely, 42.")
    assert known._asdict() == ErrorRecord(
        code=-1006,
        name="UNEXPECTED_RESP",
        message="Something else entirely, 42.",
        match="code",
        group="10xx - General Server or Network issues",
        category="server",
        retryable=True,
        execution_unknown=True,
        skeleton="Something else entirely, <n>.",
        product="sapi",
        products=("sapi",),
    )._asdict()
    unknown = Normalizer().normalize(-1199, "Loan 42 cannot be found.", "usdm")
    assert unknown._asdict() == ErrorRecord(
        code=-1199,
        name=None,
        message="Loan 42 cannot be found.",
        group="11xx - Request issues",
        skeleton="Loan <n> cannot be found.",
        product="usdm",
        products=("usdm",),
    )._asdict()


def test_arguments_keep_curly_quotes_and_full_width_punctuation() -> None:
    # Such messages are matched by the patterns that know these characters; an argument
    # is the text as sent.
    zh = sapi(-1100, "在参数“symbol”中发现非法字符；合法范围是‘a，b：c’。")
    assert (zh.template_id, zh.lang, zh.raw_args) == ("-1100.3", "zh", ("symbol", "a，b：c"))
    en = sapi(-1100, "Illegal characters found in parameter ‘symbol’; legal range is “^[A-Z]{1,20}（ok）”.")
    assert (en.template_id, en.raw_args) == ("-1100.3", ("symbol", "^[A-Z]{1,20}（ok）"))
    suffixed = sapi(-1121, "Invalid symbol.， request ip: ２.３")
    assert suffixed.extras == {"request_ip": "２.３"}

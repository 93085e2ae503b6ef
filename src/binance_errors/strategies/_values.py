"""Realistic values for catalog arguments, each drawn as (typed value, text in the message).

Every value is generated typed first and then written out the way Binance writes it, so a
test can compare what `normalize` returns with what was generated.  The written text always
matches the argument type's pattern in `binance_errors.argtypes`, which is what makes the
round trip hold.  Each strategy lists its most common, simplest values first (and
`st.one_of` tries its first branch first), so failing examples shrink to readable ones.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache

from hypothesis import strategies as st

from binance_errors.catalog import ArgSpec, Template
from binance_errors.record import ArgValue

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Value:
    typed: ArgValue
    text: str
    quoted: Value | None = None
    """For a list: the same items quoted (``'a', 'b'``), for a ``['%s'...]`` placeholder."""

    def for_token(self, token: str) -> Value:
        """The value as the server writes it in place of the placeholder ``token``."""
        return self.quoted if self.quoted is not None and token == QUOTED_LIST_TOKEN else self


QUOTED_LIST_TOKEN = "'%s'..."
"""The spot page's placeholder for a list of quoted names (``Conflicting fields: ['%s'...]``)."""


# Request-weight and order-count limits as Binance publishes them in exchangeInfo.
WEIGHT_LIMITS = ((6000, "1 MINUTE"), (1200, "1 MINUTE"), (12000, "1 MINUTE"), (61000, "5 MINUTE"))
ORDER_LIMITS = ((50, "10 SECOND"), (100, "10 SECOND"), (160000, "1 DAY"), (200000, "1 DAY"))
INTERVALS = ("1 MINUTE", "10 SECOND", "1 SECOND", "5 MINUTE", "1 HOUR", "1 DAY")
_UNITS = {"SECOND": timedelta(seconds=1), "MINUTE": timedelta(minutes=1), "HOUR": timedelta(hours=1),
          "DAY": timedelta(days=1)}

PARAMS = (
    "symbol", "quantity", "price", "timestamp", "recvWindow", "newClientOrderId", "side", "type",
    "timeInForce", "orderId", "origClientOrderId", "stopPrice", "quoteOrderQty", "icebergQty",
    "signature", "startTime", "endTime", "limit", "asset", "amount", "coin", "network", "address",
    "email", "fromEmail", "toEmail", "transferType", "listenKey",
)
# Parameters that Binance documents as "send one or the other".
PARAM_PAIRS = (("orderId", "origClientOrderId"), ("quantity", "quoteOrderQty"), ("startTime", "endTime"),
               ("orderListId", "listClientOrderId"), ("email", "subAccountId"))
ASSETS = ("BTC", "USDT", "ETH", "BNB", "FDUSD", "USDC", "SOL", "XRP", "DOGE", "TRX", "1000SATS", "1INCH")
# Filters from the exchangeInfo documentation, including ones newer than the docs' error table.
FILTER_NAMES = (
    "NOTIONAL", "MAX_NUM_ORDER_AMENDS", "MAX_NUM_ORDER_LISTS", "EXCHANGE_MAX_NUM_ICEBERG_ORDERS",
    "EXCHANGE_MAX_NUM_ORDER_LISTS", "T_PLUS_SELL", "MAX_ASSET", "PRICE_FILTER", "PERCENT_PRICE",
    "PERCENT_PRICE_BY_SIDE", "LOT_SIZE", "MIN_NOTIONAL", "ICEBERG_PARTS", "MARKET_LOT_SIZE",
    "MAX_POSITION", "MAX_NUM_ORDERS", "MAX_NUM_ALGO_ORDERS", "MAX_NUM_ICEBERG_ORDERS", "TRAILING_DELTA",
    "EXCHANGE_MAX_NUM_ORDERS", "EXCHANGE_MAX_NUM_ALGO_ORDERS",
)
DECIMALS = ("0.001", "0.01", "0.1", "1", "10", "0.00000001", "0.0001", "5")
# Free-text arguments by name, as the server fills them.  Texts never start or end with white
# space, a quote or a full stop: the server's message could not tell those from the template's.
TEXTS: Mapping[str, tuple[str, ...]] = {
    "detail": ("Internal error", "symbol", "Service unavailable", "Request timeout", "newClientOrderId"),
    "legal_range": ("^[A-Z0-9-_.]{1,20}$", "^[a-zA-Z0-9-_]{1,36}$", "^[\\.A-Z\\:/a-z0-9_-]{1,36}$"),
    "factor": ("integer",),
    "locked": ("0.5 BTC", "100 USDT", "2 ETH"),
    # FIX API: tags and repeating groups by number, components by name.
    "tag": ("38", "44", "11", "54", "40", "99"),
    "group": ("453", "136", "268", "555"),
    "component": ("TriggeringInstruction", "Parties", "PegInstructions"),
    "recommendation": ("Remove TriggerPrice", "Set OrdType to LIMIT", "Use TriggerType 4"),
    "order_type": ("LIMIT", "MARKET", "STOP", "TAKE_PROFIT", "STOP_MARKET", "TRAILING_STOP_MARKET"),
    "working_type": ("MARK", "LAST_PRICE", "INDEX"),
    "existing": ("open orders", "position", "isolated margin"),
    "limit": ("7", "15", "25", "1000"),
    "interval_unit": ("MINUTE", "SECOND", "HOUR", "DAY"),
    "items": ("BTC-250627-100000-C", "ETH-250328-3000-P"),
    "options_id": ("1024", "88213", "5000123"),
    "user_id": ("123456789", "40718293", "5500021"),
}
_WORDS = ("error", "system", "busy", "order", "invalid", "request", "account", "limit", "value", "node")


def _words(texts: tuple[str, ...]) -> st.SearchStrategy[Value]:
    return st.sampled_from([Value(text, text) for text in texts])


def _ints(common: tuple[int, ...], low: int, high: int) -> st.SearchStrategy[Value]:
    return st.one_of(st.sampled_from(common), st.integers(low, high)).map(lambda n: Value(n, str(n)))


BOOLS = (Value(True, "true"), Value(False, "false"))


def list_value(items: tuple[str, ...]) -> Value:
    """Names as Binance lists them inside brackets: ``a, b``, or ``'a', 'b'`` where the page quotes them."""
    plain = ", ".join(items)
    quoted = ", ".join(f"'{item}'" for item in items)
    return Value(plain, plain, Value(quoted, quoted))


def _lists() -> st.SearchStrategy[Value]:
    # Parameter names that Binance reports together (fields that must be sent together or conflict).
    pairs = st.sampled_from([list_value(pair) for pair in PARAM_PAIRS])
    drawn = st.lists(st.sampled_from(PARAMS), min_size=1, max_size=4, unique=True).map(
        lambda names: list_value(tuple(names))
    )
    return st.one_of(pairs, drawn)


def interval_value(text: str) -> Value:
    count, unit = text.split()
    return Value(int(count) * _UNITS[unit], text)


def decimal_value(text: str) -> Value:
    return Value(Decimal(text), text)


@cache
def now_ms() -> int:
    """'Now' for generated timestamps, fixed for the process and rounded to the minute.

    Fixing it keeps examples reproducible within a run (hypothesis replays choices, so a
    moving clock would make a replayed example differ from the one that failed)."""
    return int(time.time()) // 60 * 60_000


def epoch_ms_value(ms: int) -> Value:
    return Value(EPOCH + timedelta(milliseconds=ms), str(ms))


def _epoch_ms(earliest_s: int, latest_s: int) -> st.SearchStrategy[Value]:
    # Offsets in whole seconds plus a millisecond part, shrinking towards "now".
    return st.builds(
        lambda seconds, millis: epoch_ms_value(now_ms() + seconds * 1000 + millis),
        st.integers(earliest_s, latest_s),
        st.integers(0, 999),
    )


def _decimals() -> st.SearchStrategy[Value]:
    built = st.builds(
        lambda digits, places: format(Decimal(digits).scaleb(-places), "f"),
        st.integers(1, 10**10),
        st.integers(0, 8),
    )
    return st.one_of(st.sampled_from(DECIMALS), built).map(decimal_value)


def _text(name: str) -> st.SearchStrategy[Value]:
    known = TEXTS.get(name)
    if known is not None:
        return _words(known)
    words = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4).map(" ".join)
    return words.map(lambda text: Value(text, text))


def by_type(arg: ArgSpec) -> st.SearchStrategy[Value]:
    """Values for one argument on its own, by name where the name says more than the type."""
    name, kind = arg.name, arg.type
    if kind == "int":
        if name == "hours":
            return _ints((24, 48, 72, 1, 12), 1, 720)
        return _ints((1, 10, 100), 0, 10**6)
    if kind == "decimal":
        return _decimals()
    if kind == "epoch_ms":
        # A ban lifts in the future (2 minutes to 3 days); other timestamps sit around now.
        return _epoch_ms(120, 3 * 86400) if name == "until" else _epoch_ms(-86400, 86400)
    # Ready-made Value objects rather than .map(): fewer layers per draw keeps generation fast.
    if kind == "interval":
        return st.sampled_from([interval_value(text) for text in INTERVALS])
    if kind == "param":
        return _words(PARAMS)
    if kind == "asset":
        return _words(ASSETS)
    if kind == "filter_name":
        return _words(FILTER_NAMES)
    if kind == "bool":
        return st.sampled_from(BOOLS)
    if kind == "list":
        return _lists()
    if kind == "text":
        return _text(name)
    raise ValueError(f"no value strategy for argument type {kind!r}")


def _joint(template: Template) -> st.SearchStrategy[dict[str, Value]] | None:
    """Arguments that only make sense together: a limit with its interval, counts that disagree."""
    names = {arg.name: arg.type for arg in template.args}
    if names.get("limit") == "int" and names.get("interval") == "interval":
        # The order-count message names orders; every other limit message is about request weight.
        limits = ORDER_LIMITS if "order" in template.en.lower() else WEIGHT_LIMITS
        return st.sampled_from(limits).map(
            lambda pair: {"limit": Value(pair[0], str(pair[0])), "interval": interval_value(pair[1])}
        )
    if names.get("limit") == "int" and names.get("interval_num") == "int" and names.get("interval_unit") == "text":
        # The options page writes the interval as two placeholders: "per %s %s" (1 MINUTE).
        return st.sampled_from(WEIGHT_LIMITS).map(
            lambda pair: {
                "limit": Value(pair[0], str(pair[0])),
                "interval_num": Value(int(pair[1].split()[0]), pair[1].split()[0]),
                "interval_unit": Value(pair[1].split()[1], pair[1].split()[1]),
            }
        )
    if names.get("param") == "param" and names.get("other_param") == "param":
        return st.sampled_from(PARAM_PAIRS).map(
            lambda pair: {"param": Value(pair[0], pair[0]), "other_param": Value(pair[1], pair[1])}
        )
    for few, many in (("expected", "received"), ("read", "sent")):
        if names.get(few) == "int" and names.get(many) == "int":
            return st.builds(
                lambda low, extra, a=few, b=many: {a: Value(low, str(low)), b: Value(low + extra, str(low + extra))},
                st.integers(1, 30),
                st.integers(1, 10),
            )
    return None


def template_values(template: Template) -> st.SearchStrategy[dict[str, Value]]:
    """Values for every argument of ``template``, by argument name."""
    joint = _joint(template)
    if joint is None:
        return st.fixed_dictionaries({arg.name: by_type(arg) for arg in template.args})
    # The joint strategy covers a known pair; anything else the template has is drawn on its own.
    return st.tuples(joint, st.fixed_dictionaries({arg.name: by_type(arg) for arg in template.args})).map(
        lambda pair: {**pair[1], **pair[0]}
    )


def simplest_values(template: Template) -> dict[str, Value]:
    """The values each argument shrinks towards: a readable example without drawing."""
    values: dict[str, Value] = {}
    for arg in template.args:
        if arg.type == "int":
            values[arg.name] = Value(24 if arg.name == "hours" else 1, "24" if arg.name == "hours" else "1")
        elif arg.type == "decimal":
            values[arg.name] = decimal_value(DECIMALS[0])
        elif arg.type == "epoch_ms":
            values[arg.name] = epoch_ms_value(now_ms())
        elif arg.type == "interval":
            values[arg.name] = interval_value(INTERVALS[0])
        elif arg.type == "text":
            text = TEXTS.get(arg.name, _WORDS)[0]
            values[arg.name] = Value(text, text)
        elif arg.type == "bool":
            values[arg.name] = BOOLS[0]
        elif arg.type == "list":
            values[arg.name] = list_value(PARAM_PAIRS[0])
        else:
            text = {"param": PARAMS, "asset": ASSETS, "filter_name": FILTER_NAMES}[arg.type][0]
            values[arg.name] = Value(text, text)
    return values

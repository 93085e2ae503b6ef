"""The types a catalog placeholder can have: what text it matches and what value it becomes.

Each type is a `parse` field type: a converter function carrying its own pattern
(``parse.with_pattern``).  The compiler takes the pattern into the reverse-matching
regex; the converter turns the captured text into a value.  The same registry works
with ``parse.parse(..., extra_types=ARG_TYPES)``, which the benchmark uses as its
baseline.  A converter raises ``ValueError`` (or ``ArithmeticError``, ``OverflowError``)
when the text does not convert; the record then keeps the raw string.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, cast

import parse

from binance_errors.record import ArgValue

Converter = Callable[[str], ArgValue]

_INTERVAL_UNITS = {
    "millisecond": timedelta(milliseconds=1),
    "second": timedelta(seconds=1),
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
}
_INTERVAL_LETTERS = {"s": "second", "m": "minute", "h": "hour", "d": "day", "w": "week"}


def _typed(pattern: str) -> Callable[[Callable[[str], ArgValue]], Converter]:
    # parse.with_pattern is untyped; this keeps the converters' signatures visible to mypy.
    return cast(Callable[[Callable[[str], ArgValue]], Converter], parse.with_pattern(pattern))


@_typed(r"[-+]?\d+")
def to_int(text: str) -> ArgValue:
    return int(text)


@_typed(r"[-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?")
def to_decimal(text: str) -> ArgValue:
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise ValueError(text) from error


@_typed(r"\d+")
def to_epoch_ms(text: str) -> ArgValue:
    """Milliseconds since the Unix epoch -> an aware datetime in UTC."""
    return datetime.fromtimestamp(int(text) / 1000, tz=UTC)


@_typed(r"\d+\s*[A-Za-z]+")
def to_interval(text: str) -> ArgValue:
    """Binance rate-limit intervals such as ``1 MINUTE`` or ``10 SECOND`` -> timedelta."""
    digits = text.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    unit = text[len(digits) :].lower()
    unit = _INTERVAL_LETTERS.get(unit, unit.removesuffix("s"))
    if unit not in _INTERVAL_UNITS:
        raise ValueError(text)
    return int(digits) * _INTERVAL_UNITS[unit]


@_typed(r"[^\s`'\"‘’“”]+")
def to_param(text: str) -> ArgValue:
    """A request parameter name, as the server echoes it."""
    return text


@_typed(r"[A-Za-z0-9]+")
def to_asset(text: str) -> ArgValue:
    """An asset ticker such as BTC or 1000SATS."""
    return text


@_typed(r"[A-Za-z0-9_]+")
def to_filter_name(text: str) -> ArgValue:
    return text


@_typed(r"[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]")
def to_bool(text: str) -> ArgValue:
    """``%b``: Java's ``true``/``false``.  A bool is an int to the type system, so records
    carry it as-is and JSON renders it as true/false."""
    return text.lower() == "true"


@_typed(r"[^\[\]\r\n]+?")
def to_list(text: str) -> ArgValue:
    """The inside of a bracketed list (``Fields [%s]``, ``Conflicting fields: ['%s'...]``):
    names separated by commas, possibly quoted.  Kept as the text the server sent, because
    its separators and quoting vary and a reader wants to see them as sent."""
    return text


@_typed(r".+?")
def to_text(text: str) -> ArgValue:
    """Free text: the widest placeholder, matched as little as the template allows."""
    return text


ARG_TYPES: dict[str, Converter] = {
    "int": to_int,
    "decimal": to_decimal,
    "epoch_ms": to_epoch_ms,
    "interval": to_interval,
    "param": to_param,
    "asset": to_asset,
    "filter_name": to_filter_name,
    "bool": to_bool,
    "list": to_list,
    "text": to_text,
}
"""Every type name a catalog may use, with its converter."""


def pattern_of(type_name: str) -> str:
    converter: Any = ARG_TYPES[type_name]
    return str(converter.pattern)


CONVERSION_ERRORS = (ValueError, ArithmeticError, OverflowError, OSError)
"""What a converter raises for text it cannot convert (the record then keeps the raw text)."""

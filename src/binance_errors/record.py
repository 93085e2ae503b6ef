"""The structured record that `normalize` returns for every input."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Literal, NamedTuple

MatchKind = Literal["exact", "template", "fuzzy", "code", "unknown"]
ArgValue = int | Decimal | datetime | timedelta | str
_NO_ARGS: Mapping[str, ArgValue] = MappingProxyType({})
_NO_EXTRAS: Mapping[str, str] = MappingProxyType({})
JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


def _json_arg(value: ArgValue) -> JsonValue:
    # Typed values are rendered so that a JSON reader gets them back without loss:
    # Decimal as its exact string, datetimes as ISO 8601 in UTC, durations in seconds.
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return str(value)
    return value


class ErrorRecord(NamedTuple):
    """One Binance error, normalized.

    Records are immutable and may be shared between threads and between calls (the
    normalizer caches them).  A named tuple, because a log pipeline builds one for every
    distinct error it meets and a tuple is the cheapest immutable record Python has.
    """

    code: int | None
    """The error code as received (``None`` when the input had no usable code)."""
    name: str | None
    """The documented symbolic name of ``code`` (verbatim, typos included), or ``None``."""
    message: str
    """The message exactly as received."""
    template: str | None = None
    """The canonical English template, verbatim as documented, placeholders kept."""
    template_id: str | None = None
    """Stable id of the template: the same across releases and languages."""
    raw_args: tuple[str, ...] = ()
    """Substrings that filled the placeholders, in the order of the English template."""
    args: Mapping[str, ArgValue] = _NO_ARGS
    """Named arguments converted to their types (the raw string where conversion fails)."""
    kind: Literal["filter_failure", "order_rejection"] | None = None
    subtype: str | None = None
    """The filter name or the order-rejection reason the catalog assigns."""
    lang: Literal["en", "zh"] = "en"
    match: MatchKind = "unknown"
    group: str | None = None
    """The heading the code is documented under (for example ``10xx - General Server or Network issues``)."""
    template_code: int | None = None
    """The code the matched template is documented under (``None`` for the filter and rejection tables)."""
    confidence: float | None = None
    """1.0 for an exact or template match, the similarity score (0 to 1) for a fuzzy one, else None."""
    extras: Mapping[str, str] = _NO_EXTRAS
    """What the server appended to the message, by name (``request_ip``)."""
    category: str = "unknown"
    """rate_limit, auth, clock, validation, insufficient_funds, order_state, account, market, server, unknown."""
    retryable: bool | None = None
    """Whether sending the same request again can succeed (after ``retry_after``); None when unknown."""
    retry_after: datetime | timedelta | None = None
    """When a retry can succeed: an aware UTC datetime (an IP ban's end) or an interval (a rate window)."""
    execution_unknown: bool = False
    """The request may have been executed: check its outcome before sending it again."""
    skeleton: str | None = None
    """For a message that matched no template: the text with numbers, ids and quoted values masked."""
    product: str | None = None
    """The product line (API) the record was resolved for: the one given, or the only candidate."""
    products: tuple[str, ...] = ()
    """Every product line whose catalog fits the code and message (more than one: ambiguous)."""

    def __hash__(self) -> int:
        # args is a mapping, so the tuple hash would fail; a record is identified by its input.
        return hash((self.code, self.message, self.template_id))

    def to_dict(self) -> dict[str, JsonValue]:
        """A JSON-ready dict of every field."""
        return {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "template": self.template,
            "template_id": self.template_id,
            "raw_args": list(self.raw_args),
            "args": {key: _json_arg(value) for key, value in self.args.items()},
            "kind": self.kind,
            "subtype": self.subtype,
            "lang": self.lang,
            "match": self.match,
            "group": self.group,
            "template_code": self.template_code,
            "confidence": self.confidence,
            "extras": dict(self.extras),
            "category": self.category,
            "retryable": self.retryable,
            "retry_after": None if self.retry_after is None else _json_arg(self.retry_after),
            "execution_unknown": self.execution_unknown,
            "skeleton": self.skeleton,
            "product": self.product,
            "products": list(self.products),
        }

"""What the catalog-wide property tests share: every template once, and typed values to fill
placeholders with (the text to put in the message, and the value normalize must give back)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from binance_errors.catalog import Template, default_catalogs
from binance_errors.record import ArgValue

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Every template once, with the first product whose catalog has it.
TEMPLATES: dict[str, tuple[str, Template]] = {}
for _product, _catalog in default_catalogs().items():
    for _template in _catalog.templates:
        TEMPLATES.setdefault(_template.id, (_product, _template))

TABLE_FILTERS = {
    wording.text.removeprefix("Filter failure: ")
    for _, template in TEMPLATES.values()
    if template.kind == "filter_failure"
    for wording in template.wordings
    if wording.is_literal
}
_WORD = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9 _=:,\-]{0,20}[A-Za-z0-9])?", fullmatch=True)


def _interval() -> st.SearchStrategy[tuple[str, ArgValue]]:
    units = {"SECOND": "seconds", "MINUTE": "minutes", "HOUR": "hours", "DAY": "days"}
    return st.tuples(st.integers(1, 1000), st.sampled_from(sorted(units))).map(
        lambda pair: (f"{pair[0]} {pair[1]}", timedelta(**{units[pair[1]]: pair[0]}))
    )


def _decimal() -> st.SearchStrategy[tuple[str, ArgValue]]:
    return st.decimals(min_value=0, max_value=10**9, places=8, allow_nan=False, allow_infinity=False).map(
        lambda value: (format(value.normalize(), "f"), value)
    )


# For each argument type: (the text to put in the message, the value normalize must return).
VALUES: dict[str, st.SearchStrategy[tuple[str, ArgValue]]] = {
    "int": st.integers(0, 10**12).map(lambda n: (str(n), n)),
    "decimal": _decimal(),
    "epoch_ms": st.integers(1_500_000_000_000, 2_100_000_000_000).map(
        lambda ms: (str(ms), EPOCH + timedelta(milliseconds=ms))
    ),
    "interval": _interval(),
    "param": st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,24}", fullmatch=True).map(lambda s: (s, s)),
    "asset": st.from_regex(r"[A-Z0-9]{2,10}", fullmatch=True).map(lambda s: (s, s)),
    "filter_name": st.from_regex(r"[A-Z][A-Z0-9_]{1,24}", fullmatch=True)
    .filter(lambda name: name not in TABLE_FILTERS)
    .map(lambda s: (s, s)),
    "text": _WORD.map(lambda s: (s, s)),
    "bool": st.booleans().map(lambda b: (str(b).lower(), b)),
    "list": st.lists(st.from_regex(r"[a-z][A-Za-z]{0,12}", fullmatch=True), min_size=1, max_size=4).map(
        lambda names: (", ".join(names), ", ".join(names))
    ),
}

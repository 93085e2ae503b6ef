"""Round trip over the whole catalog: render every wording with generated values, normalize it,
and get back the template, the raw arguments in English order and their typed values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from binance_errors import normalize
from binance_errors.catalog import Template, Wording, default_catalogs
from binance_errors.placeholders import fill
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

WORDINGS = [
    (product, template, wording, position)
    for product, template in TEMPLATES.values()
    for position, wording in enumerate(template.wordings)
]


def cases(literal: bool) -> list[object]:
    return [
        pytest.param(product, template, wording, id=f"{template.id}/{wording.lang}/{position}")
        for product, template, wording, position in WORDINGS
        if wording.is_literal == literal
    ]


def test_every_argument_type_has_values() -> None:
    used = {arg.type for _, template in TEMPLATES.values() for arg in template.args}
    assert used <= set(VALUES)


@pytest.mark.parametrize(("product", "template", "wording"), cases(literal=False))
@given(data=st.data())
def test_rendered_wordings_come_back(product: str, template: Template, wording: Wording, data: st.DataObject) -> None:
    drawn = {index: data.draw(VALUES[template.args[index].type]) for index in wording.arg_order}
    message = fill(wording.text, [drawn[index][0] for index in wording.arg_order])
    for code, in_product in ((template.code, product), (None, product), (template.code, None)):
        record = normalize(code, message, product=in_product)
        if in_product is not None and code is None:
            # Without the code, another code of the product may document a message of the
            # same shape ("Conflicting fields: [%s]" under -1182 and -1128 on the spot page).
            assert record.template_id == template.id or record.template_code != template.code
        elif in_product is None:
            # Without the product, another product line may document the same text (perhaps as
            # its current wording where this is an older one): the record lists every candidate.
            assert record.template_id == template.id or product in record.products
        else:
            assert record.template_id == template.id
        assert record.raw_args == tuple(drawn[index][0] for index in sorted(drawn))
        assert record.args == {template.args[index].name: drawn[index][1] for index in sorted(drawn)}
        assert record.lang == wording.lang
        assert record.match == "template"
    if template.subtype_arg is not None:
        assert normalize(template.code, message, product=product).subtype == drawn[0][0]


@pytest.mark.parametrize(("product", "template", "wording"), cases(literal=True))
def test_literal_wordings_come_back(product: str, template: Template, wording: Wording) -> None:
    record = normalize(template.code, wording.text, product=product)
    assert record.template_id == template.id
    assert record.raw_args == ()
    assert record.match == "exact"
    assert record.kind == template.kind
    assert record.subtype == template.subtype
    assert record.name == template.name

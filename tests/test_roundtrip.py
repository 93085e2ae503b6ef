"""Round trip over the whole catalog: render every wording with generated values, normalize it,
and get back the template, the raw arguments in English order and their typed values."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from binance_errors import normalize
from binance_errors.catalog import Template, Wording
from binance_errors.compiler import loose_key
from binance_errors.placeholders import fill
from catalog_values import TEMPLATES, VALUES

LITERALS_BY_CODE: dict[int | None, set[str]] = {}
for _, _template in TEMPLATES.values():
    for _wording in _template.wordings:
        if _wording.is_literal:
            LITERALS_BY_CODE.setdefault(_template.code, set()).add(loose_key(_wording.text))

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
    # A value that turns the message into one the page lists literally ("... available 30 days
    # after ..." beside "... available %s days after ...") is that literal message, by design.
    assume(loose_key(message) not in LITERALS_BY_CODE.get(template.code, set()))
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

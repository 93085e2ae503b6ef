"""Drifted messages (other quotes, letter case, final full stops, spacing, a server suffix) keep
their template: for every template of every product line, and never a wrong one."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from binance_errors import normalize
from binance_errors.catalog import Template
from binance_errors.placeholders import fill
from catalog_values import TEMPLATES, VALUES

QUOTES = re.compile(r"[`'\"]")


def _quotes(message: str, quote: str) -> str:
    return QUOTES.sub(quote, message)


DRIFTS: dict[str, Callable[[str], str]] = {
    "backticks": lambda m: _quotes(m, "`"),
    "single quotes": lambda m: _quotes(m, "'"),
    "double quotes": lambda m: _quotes(m, '"'),
    "no quotes": lambda m: _quotes(m, ""),
    "upper case": str.upper,
    "lower case": str.lower,
    "no final stop": lambda m: m.rstrip(".。!！"),
    "doubled final stop": lambda m: m + "." if m.endswith(".") else m,
    "extra spaces": lambda m: "  " + m.replace(" ", "  ") + " ",
    "server suffix": lambda m: m + ", request ip: 203.0.113.7",
}


@pytest.mark.parametrize(("product", "template"), [pytest.param(p, t, id=t.id) for p, t in TEMPLATES.values()])
@settings(max_examples=12)
@given(data=st.data())
def test_drifted_messages_keep_their_template(product: str, template: Template, data: st.DataObject) -> None:
    wording = data.draw(st.sampled_from(template.wordings), label="wording")
    drift = data.draw(st.sampled_from(sorted(DRIFTS)), label="drift")
    values = [data.draw(VALUES[template.args[index].type])[0] for index in wording.arg_order]
    message = DRIFTS[drift](fill(wording.text, values))
    record = normalize(template.code, message, product=product)
    assert record.template_id == template.id, (drift, message)
    assert record.match in ("exact", "template")
    if drift == "server suffix":
        assert record.extras == {"request_ip": "203.0.113.7"}


@pytest.mark.parametrize("end", ["。。", "！！", "..", "!!"])
@pytest.mark.parametrize("product", ["sapi", "portfolio_margin_pro"])
def test_a_doubled_final_mark_keeps_the_literal_message(end: str, product: str) -> None:
    # "... 。`％s`" could read the second 。 as its value: the literal message wins.
    record = normalize(-1100, "在参数中发现非法字符" + end, product)
    assert record.template_id == "-1100.1", record

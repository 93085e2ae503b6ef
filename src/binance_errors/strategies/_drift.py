"""Drift: how real messages differ from the documented text, applied to error cases.

Each kind of drift is one thing seen in real logs; `normalize` is meant to give back the
same template for all of them.  Drift that rewrites the template's own text (quotes,
spaces, an older wording) is applied before the values are filled in, so the values stay
as generated; letter case, the final period and the server suffix apply to the message.
Drift is product-aware: an older wording is one the product's catalog keeps, and a server
suffix is one the product's catalog declares (``[[suffix]]``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from hypothesis import strategies as st

from binance_errors import placeholders
from binance_errors.catalog import Template, Wording
from binance_errors.strategies._cases import (
    Choice,
    ErrorCase,
    Option,
    catalogs,
    current_wordings,
    make_case,
    render,
    values_for,
)

DRIFTS = ("quotes", "case", "period", "spaces", "suffix", "older")
"""Every kind of drift, in the order `drifted_cases` shrinks towards (simplest first)."""

QUOTE_CHARS = ("'", '"', "`", "")
# A quote pair around one token (a placeholder or a parameter name), as in `%s` or 'symbol';
# not the quotes of a list placeholder ['%s'...], which belong to its items.
_QUOTED = re.compile(r"([`'\"])([^`'\"\s]+)\1(?!\.\.\.)")
_FINAL = ".。!！"
# Documentation and private ranges: realistic, and never anyone's real address.
IPS = ("1.2.3.4", "203.0.113.7", "198.51.100.23", "192.0.2.150", "10.0.0.12")


def older_wordings(template: Template, lang: str | None) -> list[Wording]:
    return [w for w in template.wordings if w.seen is not None and (lang is None or w.lang == lang)]


def applicable(kind: str, template: Template, lang: str | None, product: str) -> bool:
    if kind == "older":
        return bool(older_wordings(template, lang))
    if kind == "quotes":
        return any(_QUOTED.search(w.text) for w in current_wordings(template, lang))
    if kind == "suffix":
        return bool(catalogs()[product].suffixes)
    return True


def _requote(text: str, quote: str) -> str:
    def swap(found: re.Match[str]) -> str:
        requoted = f"{quote}{found.group(2)}{quote}"
        # Backticks can be what makes a token text rather than a placeholder (FIX's `<5>`).
        return requoted if placeholders.count(requoted) == placeholders.count(found.group(0)) else found.group(0)

    return _QUOTED.sub(swap, text)


def _swap_first(text: str) -> str:
    for i, char in enumerate(text):
        if char.isalpha() and char.swapcase() != char:
            return text[:i] + char.swapcase() + text[i + 1 :]
    return text


def _lower(text: str) -> str:
    return text.lower()


def _upper(text: str) -> str:
    return text.upper()


def _trailing_space(text: str) -> str:
    return text + " "


def _double_spaces(text: str) -> str:
    return text.replace(" ", "  ")


def _leading_spaces(text: str) -> str:
    return "  " + text


_CASES = (_lower, _swap_first, _upper)
_SPACES = (_trailing_space, _double_spaces, _leading_spaces)


def _period(message: str, double: bool) -> str:
    if message and message[-1] in _FINAL:
        return message + message[-1] if double else message[:-1]
    return message + "."


def _suffix(draw: st.DrawFn, message: str, product: str) -> str:
    suffix = draw(st.sampled_from(catalogs()[product].suffixes))
    value = draw(st.sampled_from(IPS)) if suffix.name == "request_ip" else "1"
    # The server drops the final full stop before its suffix ("...for action, request ip: ...").
    return message.rstrip(_FINAL) + placeholders.fill(suffix.text, [value])


@st.composite
def drifted(draw: st.DrawFn, choices: Sequence[Choice], kinds: Sequence[str], lang: str | None) -> ErrorCase:
    choice = draw(st.sampled_from(choices))
    template = choice.template
    options: list[tuple[Option, list[str]]] = []
    for option in choice.options:
        usable = [kind for kind in kinds if applicable(kind, template, lang, option.product)]
        if usable:
            options.append((option, usable))
    option, usable = draw(st.sampled_from(options))
    chosen = draw(st.lists(st.sampled_from(usable), min_size=1, max_size=len(usable), unique=True))
    if "older" in chosen:
        wording = draw(st.sampled_from(older_wordings(template, lang)))
    else:
        candidates = current_wordings(template, lang)
        if "quotes" in chosen:
            candidates = [w for w in candidates if _QUOTED.search(w.text)]
        wording = draw(st.sampled_from(candidates))
    text = wording.text
    if "quotes" in chosen:
        current = {found.group(1) for found in _QUOTED.finditer(text)}
        text = _requote(text, draw(st.sampled_from([q for q in QUOTE_CHARS if q not in current])))
    if "spaces" in chosen:
        text = draw(st.sampled_from(_SPACES))(text)
    values = draw(values_for(template, wording, option.product))
    case = make_case(template, wording, option.product, draw(st.sampled_from(option.codes)), values)
    message = render(template, wording, values, text)
    if "case" in chosen:
        message = draw(st.sampled_from(_CASES))(message)
    if "period" in chosen:
        message = _period(message, draw(st.booleans()))
    if "suffix" in chosen:
        message = _suffix(draw, message, option.product)
    ordered = tuple(kind for kind in DRIFTS if kind in chosen)
    return ErrorCase(
        case.template, wording, case.product, case.code, message, case.args, case.raw_args, ordered
    )

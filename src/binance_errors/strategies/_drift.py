"""Drift: how real messages differ from the documented text, applied to error cases.

Each kind of drift is one thing seen in real logs; `normalize` is meant to give back the
same template for all of them.  Drift that rewrites the template's own text (quotes,
spaces, an older wording) is applied before the values are filled in, so the values stay
as generated; letter case, the final period and the server suffix apply to the message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from hypothesis import strategies as st

from binance_errors.catalog import Template, Wording
from binance_errors.placeholders import fill
from binance_errors.strategies._cases import ErrorCase, current_wordings, make_case, values_for

DRIFTS = ("quotes", "case", "period", "spaces", "suffix", "older")
"""Every kind of drift, in the order `drifted_cases` shrinks towards (simplest first)."""

QUOTE_CHARS = ("'", '"', "`", "")
# A quote pair around one token (a placeholder or a parameter name), as in `%s` or 'symbol'.
_QUOTED = re.compile(r"([`'\"])([^`'\"\s]+)\1")
_FINAL = ".。!！"
# Documentation and private ranges: realistic, and never anyone's real address.
IPS = ("1.2.3.4", "203.0.113.7", "198.51.100.23", "192.0.2.150", "10.0.0.12")


def older_wordings(template: Template, lang: str | None) -> list[Wording]:
    return [w for w in template.wordings if w.seen is not None and (lang is None or w.lang == lang)]


def applicable(kind: str, template: Template, lang: str | None) -> bool:
    if kind == "older":
        return bool(older_wordings(template, lang))
    if kind == "quotes":
        return any(_QUOTED.search(w.text) for w in current_wordings(template, lang))
    return True


def _requote(text: str, quote: str) -> str:
    return _QUOTED.sub(lambda found: f"{quote}{found.group(2)}{quote}", text)


def _swap_first(text: str) -> str:
    for i, char in enumerate(text):
        if char.isalpha() and char.swapcase() != char:
            return text[:i] + char.swapcase() + text[i + 1 :]
    return text


_CASES: tuple[Callable[[str], str], ...] = (str.lower, _swap_first, str.upper)
_SPACES: tuple[Callable[[str], str], ...] = (
    lambda text: text + " ",
    lambda text: text.replace(" ", "  "),
    lambda text: "  " + text,
)


def _period(message: str, double: bool) -> str:
    if message and message[-1] in _FINAL:
        return message + message[-1] if double else message[:-1]
    return message + "."


@st.composite
def drifted(
    draw: st.DrawFn,
    templates: Sequence[Template],
    kinds: Sequence[str],
    lang: str | None,
    codes_for: Callable[[Template], Sequence[int]],
) -> ErrorCase:
    template = draw(st.sampled_from(templates))
    usable = [kind for kind in kinds if applicable(kind, template, lang)]
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
    values = draw(values_for(template, wording))
    case = make_case(template, wording, draw(st.sampled_from(codes_for(template))), values)
    message = fill(text, [values[template.args[i].name].text for i in wording.arg_order])
    if "case" in chosen:
        message = draw(st.sampled_from(_CASES))(message)
    if "period" in chosen:
        message = _period(message, draw(st.booleans()))
    if "suffix" in chosen:
        # The server drops the final full stop before its suffix ("...for action, request ip: ...").
        message = message.rstrip(_FINAL) + ", request ip: " + draw(st.sampled_from(IPS))
    ordered = tuple(kind for kind in DRIFTS if kind in chosen)
    return ErrorCase(case.template, wording, case.code, message, case.args, case.raw_args, ordered)

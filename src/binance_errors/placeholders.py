"""Placeholders inside documented messages: finding them and filling them in.

Binance's pages write placeholders as ``%s``, ``%d``, ``%b``, full-width ``％s``,
``{0}``/``{param}`` and ``<0>``.  Literal numbers (``1000ms``, ``0.001BTC``) are text.
``<5>`` written inside backticks is a FIX message type (``Logout`<5>```), not a placeholder.
The spot page writes a list of quoted names as ``['%s'...]``: the quotes and the ellipsis
belong to the placeholder (the server sends ``['a', 'b']``), so ``'%s'...`` is one token.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

PLACEHOLDER = re.compile(r"'%s'\.\.\.|%[sdb]|％s|\{\w*\}|(?<!`)<\d+>")


def split(text: str) -> tuple[list[str], list[str]]:
    """The literal pieces and the placeholder tokens of ``text``.

    There is always one more literal piece than placeholders (possibly empty strings).
    """
    literals: list[str] = []
    tokens: list[str] = []
    position = 0
    for found in PLACEHOLDER.finditer(text):
        literals.append(text[position : found.start()])
        tokens.append(found.group())
        position = found.end()
    literals.append(text[position:])
    return literals, tokens


def count(text: str) -> int:
    return len(PLACEHOLDER.findall(text))


def fill(text: str, values: Sequence[str]) -> str:
    """``text`` with its placeholders replaced, in order, by ``values``."""
    literals, tokens = split(text)
    if len(values) != len(tokens):
        raise ValueError(f"{text!r} has {len(tokens)} placeholders, got {len(values)} values")
    pieces = [literals[0]]
    for value, literal in zip(values, literals[1:], strict=True):
        pieces += [value, literal]
    return "".join(pieces)

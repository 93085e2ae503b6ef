"""Turn catalog wordings into reverse-matching patterns and lookup keys.

Two views of a documented text, built so that they accept exactly the same drift:

* ``loose_key``: for texts without placeholders, a dictionary key that ignores letter
  case, white space, quote characters, full-width versus ASCII punctuation and the final
  full stop.  A literal template is then a dict lookup, never a regex.
* ``compile_wording``: for texts with placeholders, one anchored `regex` pattern whose
  literal parts are tolerant in the same ways and whose placeholders are typed
  sub-patterns (named ``a0``, ``a1``... after the argument's index in the English
  template, so a translation that reorders its placeholders still reports them in
  English order).

The patterns contain no nested quantifiers: literal characters, optional classes and
one quantified class per placeholder, so matching time is polynomial in the message
length with a small exponent (at most one lazy free-text placeholder per template in
practice), and the normalizer caps both the length and the time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from binance_errors import placeholders
from binance_errors.argtypes import pattern_of
from binance_errors.catalog import Template, Wording

QUOTES = "`'\"‘’“”"
FINAL_PUNCTUATION = ".。!！"
_FULL_WIDTH = {"；": ";", "，": ",", "：": ":", "（": "(", "）": ")", "！": "!", "？": "?", "［": "[", "］": "]"}
_EQUIVALENT = {ascii_: f"[{regex.escape(ascii_ + full)}]" for full, ascii_ in _FULL_WIDTH.items()}
_DROPPED = dict.fromkeys(map(ord, QUOTES + " \t\r\n\u3000\u00a0\u200b"))
_LOOSE_TABLE = {**_DROPPED, **{ord(full): ascii_ for full, ascii_ in _FULL_WIDTH.items()}}
_LEAD_LENGTH = 3


def loose_key(text: str) -> str:
    """``text`` with the differences that never change a message's meaning removed."""
    return text.translate(_LOOSE_TABLE).casefold().rstrip(FINAL_PUNCTUATION)


def lead_of(text: str) -> str:
    """The first characters of a message's loose key: the bucket its candidates sit in."""
    return loose_key(text[:48])[:_LEAD_LENGTH]


def _tolerant_literal(text: str) -> str:
    pieces: list[str] = []
    in_space = False
    for char in text:
        if char.isspace() or char in QUOTES:
            # White space and quotes around arguments vary between servers and clients;
            # one optional run stands for any amount of either.
            if not in_space:
                pieces.append(f"[\\s{regex.escape(QUOTES)}]*")
            in_space = True
            continue
        in_space = False
        ascii_char = _FULL_WIDTH.get(char, char)
        pieces.append(_EQUIVALENT.get(ascii_char, regex.escape(char)))
    return "".join(pieces)


@dataclass(slots=True)
class CompiledWording:
    """A wording with placeholders and its pattern (compiled on first use)."""

    template: Template
    wording: Wording
    source: str
    specificity: int
    """How much literal text the wording has: more is tried first."""
    lead: str
    """The wording's bucket in the lookup by first characters ("" when it starts with a placeholder)."""
    _pattern: regex.Pattern[str] | None = field(default=None, repr=False)

    @property
    def pattern(self) -> regex.Pattern[str]:
        # Compiling lazily keeps import and the first call fast; two threads racing here
        # both build an equal pattern, and either assignment is fine.
        if self._pattern is None:
            self._pattern = regex.compile(self.source, regex.IGNORECASE | regex.DOTALL)
        return self._pattern

    def match(self, message: str, timeout: float | None) -> dict[int, str] | None:
        """The raw argument texts by English argument index, or None."""
        found = self.pattern.fullmatch(message, timeout=timeout)
        if found is None:
            return None
        return {int(name[1:]): value for name, value in found.groupdict().items() if value is not None}


def compile_wording(template: Template, wording: Wording) -> CompiledWording:
    literals, _tokens = placeholders.split(wording.text)
    last = literals[-1].rstrip().rstrip(FINAL_PUNCTUATION)
    literals[-1] = last
    parts = [_tolerant_literal(literals[0])]
    for arg_index, literal in zip(wording.arg_order, literals[1:], strict=True):
        arg = template.args[arg_index]
        parts.append(f"(?P<a{arg_index}>{pattern_of(arg.type)})")
        parts.append(_tolerant_literal(literal))
    parts.append(f"[\\s{regex.escape(QUOTES + FINAL_PUNCTUATION)}]*")
    specificity = sum(len(loose_key(literal)) for literal in literals)
    lead = loose_key(literals[0])
    lead = lead[:_LEAD_LENGTH] if len(lead) >= _LEAD_LENGTH else ""
    return CompiledWording(template, wording, "".join(parts), specificity, lead)

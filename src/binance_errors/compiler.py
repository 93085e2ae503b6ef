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
from binance_errors.catalog import ArgSpec, Template, Wording

QUOTES = "`'\"‘’“”"
FINAL_PUNCTUATION = ".。!！"
_FULL_WIDTH = {"；": ";", "，": ",", "：": ":", "（": "(", "）": ")", "！": "!", "？": "?", "［": "[", "］": "]"}
_EQUIVALENT = {ascii_: f"[{regex.escape(ascii_ + full)}]" for full, ascii_ in _FULL_WIDTH.items()}
_DROPPED = dict.fromkeys(map(ord, QUOTES + " \t\r\n\u3000\u00a0\u200b"))
_LOOSE_TABLE = {**_DROPPED, **{ord(full): ascii_ for full, ascii_ in _FULL_WIDTH.items()}}
_LEAD_LENGTH = 3


_ASCII_DROPPED = (" \t\r\n\x0b\x0c" + QUOTES[:3]).encode()


def loose_key(text: str) -> str:
    """``text`` with the differences that never change a message's meaning removed."""
    if text.isascii():
        # The common case, on the hot path: bytes.translate deletes in one C pass.
        return text.encode().translate(None, _ASCII_DROPPED).lower().decode().rstrip(FINAL_PUNCTUATION)
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


@dataclass(frozen=True, slots=True)
class CompiledWording:
    """A wording with placeholders, as pattern source ready to join a `PatternGroup`."""

    template: Template
    wording: Wording
    pieces: tuple[str | tuple[int, str], ...]
    """The pattern: regex source text, and (argument index, sub-pattern) for each placeholder."""
    specificity: int
    """How much literal text the wording has: more is tried first."""
    lead: str
    """The wording's bucket in the lookup by first characters ("" when it starts with a placeholder)."""
    present_args: tuple[ArgSpec, ...]
    """The template's arguments that this wording has, in English order."""

    def source(self, group_prefix: str) -> str:
        """The pattern, its placeholder groups named ``group_prefix`` + argument index."""
        return "".join(
            piece if isinstance(piece, str) else f"(?P<{group_prefix}{piece[0]}>{piece[1]})" for piece in self.pieces
        )


class PatternGroup:
    """Wordings tried in order, as the branches of one alternation: a single regex call
    finds the first wording that matches the whole message."""

    def __init__(self, wordings: list[CompiledWording]) -> None:
        self.wordings = sorted(wordings, key=lambda compiled: -compiled.specificity)
        # For each branch: its wording and the names of its argument groups in English order.
        self._branches: dict[str, tuple[CompiledWording, tuple[str, ...]]] = {
            f"b{branch}": (compiled, tuple(f"b{branch}a{index}" for index in sorted(compiled.wording.arg_order)))
            for branch, compiled in enumerate(self.wordings)
        }
        self._pattern: regex.Pattern[str] | None = None

    def _compile(self) -> regex.Pattern[str]:
        branches = (
            f"(?P<b{branch}>{compiled.source(f'b{branch}a')})" for branch, compiled in enumerate(self.wordings)
        )
        return regex.compile("|".join(branches), regex.IGNORECASE | regex.DOTALL)

    def match(self, message: str, timeout: float | None) -> tuple[CompiledWording, tuple[str, ...]] | None:
        """The first wording that matches, and the raw argument texts in English order."""
        pattern = self._pattern
        if pattern is None:
            if not self.wordings:
                return None
            # Compiled on first use, to keep import and the first call fast; two threads
            # racing here both build an equal pattern, and either assignment is fine.
            pattern = self._pattern = self._compile()
        found = pattern.fullmatch(message, timeout=timeout)
        if found is None:
            return None
        compiled, names = self._branches[found.lastgroup or "b0"]
        if len(names) == 1:
            return compiled, (found.group(names[0]),)
        return compiled, found.group(*names) if names else ()


def compile_wording(template: Template, wording: Wording) -> CompiledWording:
    literals, _tokens = placeholders.split(wording.text)
    last = literals[-1].rstrip().rstrip(FINAL_PUNCTUATION)
    literals[-1] = last
    pieces: list[str | tuple[int, str]] = [_tolerant_literal(literals[0])]
    for arg_index, literal in zip(wording.arg_order, literals[1:], strict=True):
        pieces.append((arg_index, pattern_of(template.args[arg_index].type)))
        pieces.append(_tolerant_literal(literal))
    pieces.append(f"[\\s{regex.escape(QUOTES + FINAL_PUNCTUATION)}]*")
    specificity = sum(len(loose_key(literal)) for literal in literals)
    lead = loose_key(literals[0])
    lead = lead[:_LEAD_LENGTH] if len(lead) >= _LEAD_LENGTH else ""
    present = tuple(template.args[index] for index in sorted(wording.arg_order))
    return CompiledWording(template, wording, tuple(pieces), specificity, lead, present)

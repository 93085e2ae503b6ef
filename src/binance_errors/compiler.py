"""Turn catalog wordings into reverse-matching patterns and lookup keys.

Two views of a documented text:

* ``loose_key``: for texts without placeholders, a dictionary key that ignores letter
  case, white space, quote characters, full-width versus ASCII punctuation and the final
  full stop.  A literal template is then a dict lookup, never a regex.
* ``compile_wording``: for texts with placeholders, an anchored pattern whose literal
  parts are tolerant in the same ways (white space may vary, quotes may change or go,
  around arguments too) and whose placeholders are typed sub-patterns.  Groups are named
  after the argument's index in the English template, so a translation that reorders
  its placeholders still reports them in English order.  The wordings of one code (or
  one lookup bucket) are joined into one alternation, a `PatternGroup`.

The patterns contain no nested quantifiers: literal characters, optional classes and
one quantified class per placeholder, so matching time is polynomial in the message
length with a small exponent; the normalizer caps the length, and long messages are
matched with a time limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from binance_errors import placeholders
from binance_errors.argtypes import ARG_TYPES, Converter, pattern_of
from binance_errors.catalog import Suffix, Template, Wording

if TYPE_CHECKING:
    import regex

QUOTES = "`'\"‘’“”"
FINAL_PUNCTUATION = ".。!！"
_FULL_WIDTH = {"；": ";", "，": ",", "：": ":", "（": "(", "）": ")", "！": "!", "？": "?", "［": "[", "］": "]"}
_EQUIVALENT = {ascii_: f"[{re.escape(ascii_ + full)}]" for full, ascii_ in _FULL_WIDTH.items()}
PLAIN_ASCII = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "。": ".", "\u3000": " ", "\u00a0": " "} | _FULL_WIDTH
)
"""Curly quotes, full-width punctuation and wide spaces as the ASCII a message may carry instead."""
_DROPPED = dict.fromkeys(map(ord, QUOTES + " \t\r\n\x0b\x0c\u3000\u00a0\u200b"))
_LOOSE_TABLE = {**_DROPPED, **{ord(full): ascii_ for full, ascii_ in _FULL_WIDTH.items()}}
_ASCII_DROPPED = (" \t\r\n\x0b\x0c" + QUOTES[:3]).encode()
_LEAD_LENGTH = 3
_OPTIONAL_QUOTE = f"[{re.escape(QUOTES)}]?"
_OPTIONAL_SPACE = r"\s*"
_FLAGS = re.IGNORECASE | re.DOTALL
SENTENCE_END = re.compile(r"[.。!！?？;；](?=\s|$)")
"""Where a sentence of a message ends (the normalizer tries a message's leading sentences)."""
# Messages longer than this are matched by the `regex` module with a time limit; shorter
# ones by the standard `re`, which runs these simple anchored patterns about twice as fast
# and cannot take long on so little text (the patterns have no nested quantifiers).
LONG_MESSAGE = 512


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
    """Regex source for documented literal text: any run of white space may shrink, grow or
    vanish; a quote may be any quote character or none; full-width punctuation matches its
    ASCII twin and back."""
    pieces: list[str] = []
    for char in text:
        if char.isspace():
            if not pieces or pieces[-1] != _OPTIONAL_SPACE:
                pieces.append(_OPTIONAL_SPACE)
        elif char in QUOTES:
            pieces.append(_OPTIONAL_QUOTE)
        else:
            ascii_char = _FULL_WIDTH.get(char, char)
            pieces.append(_EQUIVALENT.get(ascii_char, re.escape(char)))
    return "".join(pieces)


def ascii_classes(source: str) -> str:
    """``source`` with the characters beyond ASCII left out of its character classes.

    On an ASCII message the result matches exactly as ``source`` does (those characters are
    quotes and punctuation, with no ASCII case twin), and Python's `re` compiles it several
    times faster: a class with a character beyond Latin-1 costs it a 65,536-entry map.  A
    class that would be left empty, or whose range ends beyond ASCII, is kept whole.
    """
    out: list[str] = []
    position = 0
    while position < len(source):
        char = source[position]
        if char == "\\":
            out.append(source[position : position + 2])
            position += 2
            continue
        if char != "[":
            out.append(char)
            position += 1
            continue
        end = position + 1
        if source.startswith("^", end):
            end += 1
        if source.startswith("]", end):
            end += 1
        while end < len(source) and source[end] != "]":
            end += 2 if source[end] == "\\" else 1
        body = source[position + 1 : end]
        members = re.findall(r"\\.|.", body, re.DOTALL)
        kept = "".join(member for member in members if member[-1].isascii())
        ranged = any(not member[-1].isascii() for member in members) and "-" in body.replace("\\-", "")
        whole = ranged or not kept.lstrip("^")
        out.append("[" + (body if whole else kept) + "]")
        position = end + 1
    return "".join(out)


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
    present_args: tuple[tuple[str, Converter], ...]
    """Name and converter of the template's arguments that this wording has, in English order."""
    anchor: str | None = None
    """Text that every ASCII message this wording matches holds, lower-cased (see `ascii_anchor`)."""

    def source(self, group_prefix: str) -> str:
        """The pattern, its placeholder groups named ``group_prefix`` + argument index."""
        return "".join(
            piece if isinstance(piece, str) else f"(?P<{group_prefix}{piece[0]}>{piece[1]})" for piece in self.pieces
        )


class PatternGroup:
    """Wordings tried in order, as the branches of one alternation: a single regex call
    finds the first wording that matches the whole message.

    ``shared``: a group whose wordings come after this group's own ones, in the one order
    of them all (the lead buckets all end with the wordings that start with a placeholder).
    Its patterns are its own, compiled once for every group that shares it, and each match
    of both is the one that the alternation of all of them would find.
    """

    def __init__(self, wordings: list[CompiledWording], shared: PatternGroup | None = None) -> None:
        self.given = wordings
        """The group's own wordings, as given (a group that shares this one sorts them in with its own)."""
        everything = wordings + shared.given if shared is not None else wordings
        # Most literal text first; between equals, a current wording before an older one.
        ordered = sorted(everything, key=lambda compiled: (-compiled.specificity, compiled.wording.seen is not None))
        # A wording with the same pattern as one before it (the same text in two product
        # lines' catalogs) could never be the first to match: it is left out.
        self.wordings: list[CompiledWording] = []
        """All of them, in order (the shared group's included)."""
        seen: set[tuple[str | tuple[int, str], ...]] = set()
        for compiled in ordered:
            if compiled.pieces not in seen:
                seen.add(compiled.pieces)
                self.wordings.append(compiled)
        self._shared = shared
        # Where each wording stands in the order of them all; one of the shared group's
        # that is left out here stands after every other (a wording with its pattern
        # stands before it and matches where it does).
        self._rank = {id(compiled): rank for rank, compiled in enumerate(self.wordings)}
        shared_ids = {id(compiled) for compiled in shared.wordings} if shared is not None else set()
        own = [compiled for compiled in self.wordings if id(compiled) not in shared_ids]
        self._first_shared = min((self._rank.get(key, len(self.wordings)) for key in shared_ids), default=0)
        # For each branch: its wording and the names of its argument groups in English order.
        self._branches: dict[str, tuple[CompiledWording, tuple[str, ...]]] = {
            f"b{branch}": (compiled, tuple(f"b{branch}a{index}" for index in sorted(compiled.wording.arg_order)))
            for branch, compiled in enumerate(own)
        }
        self._source = "|".join(
            f"(?P<b{branch}>{compiled.source(f'b{branch}a')})" for branch, compiled in enumerate(own)
        )
        # For a miss that is likely: the text that one of the wordings needs, sought in one
        # call before the alternation runs (None when a wording has no such text).
        anchors = [compiled.anchor for compiled in own]
        self._unanchored = not anchors or None in anchors
        self._anchor_source = "|".join(sorted({re.escape(a) for a in anchors if a}, key=len, reverse=True))
        self._anchors: re.Pattern[str] | None = None
        self._short: re.Pattern[str] | None = None
        self._short_any_case: re.Pattern[str] | None = None
        self._long: regex.Pattern[str] | None = None
        self._wide: re.Pattern[str] | None = None
        self._wide_any_case: re.Pattern[str] | None = None
        self._wide_long: regex.Pattern[str] | None = None

    # Patterns compile on first use, each on its own, to keep import and the first call fast;
    # two threads racing here both build an equal pattern, and either assignment is fine.
    @cached_property
    def _ascii_source(self) -> str:
        # Nearly every message is ASCII: it is matched by patterns without the classes'
        # curly quotes and full-width punctuation, which compile several times faster.
        return ascii_classes(self._source)

    def _compile_anchors(self) -> re.Pattern[str]:
        self._anchors = re.compile(self._anchor_source)
        return self._anchors

    def _compile_short(self) -> re.Pattern[str]:
        self._short = re.compile(self._ascii_source, re.DOTALL)
        return self._short

    def _compile_short_any_case(self) -> re.Pattern[str]:
        self._short_any_case = re.compile(self._ascii_source, _FLAGS)
        return self._short_any_case

    def _compile_wide(self) -> re.Pattern[str]:
        self._wide = re.compile(self._source, re.DOTALL)
        return self._wide

    def _compile_wide_any_case(self) -> re.Pattern[str]:
        self._wide_any_case = re.compile(self._source, _FLAGS)
        return self._wide_any_case

    def _long_pattern(self, ascii_only: bool) -> regex.Pattern[str]:
        # Imported here: few runs ever see a message this long, and importing `regex`
        # costs a noticeable part of the package's start-up time.
        import regex  # noqa: PLC0415

        if ascii_only:
            if self._long is None:
                self._long = regex.compile(self._ascii_source, _FLAGS)
            return self._long
        if self._wide_long is None:
            self._wide_long = regex.compile(self._source, _FLAGS)
        return self._wide_long

    def match(
        self, message: str, timeout: float, *, case_first: bool = True
    ) -> tuple[CompiledWording, tuple[str, ...]] | None:
        """The first wording that matches, and the raw argument texts in English order.

        Raises TimeoutError when a long message takes more than ``timeout`` seconds.
        ``case_first`` tries the documented letter case before the case-blind pattern: faster
        when the message is likely to match, slower when it is not.
        """
        shared = self._shared
        # The documented letter case first, in all the wordings; then letter case aside.
        if case_first and len(message) <= LONG_MESSAGE:
            found = self._decoded(self._as_documented(message))
            if shared is not None and self._may_come_later(found):
                found = self._earlier(found, shared._decoded(shared._as_documented(message)))
            if found is not None:
                return found
        found = self._decoded(self._case_blind(message, timeout))
        if shared is not None and self._may_come_later(found):
            found = self._earlier(found, shared._decoded(shared._case_blind(message, timeout)))
        return found

    def _may_come_later(self, own: tuple[CompiledWording, tuple[str, ...]] | None) -> bool:
        """Whether a shared wording could come before ``own`` (this group's match, if any)."""
        return own is None or self._rank[id(own[0])] > self._first_shared

    def _earlier(
        self, own: tuple[CompiledWording, tuple[str, ...]] | None, other: tuple[CompiledWording, tuple[str, ...]] | None
    ) -> tuple[CompiledWording, tuple[str, ...]] | None:
        """Of a match of this group's own wordings and one of the shared group's, the one
        that comes first in the order of them all."""
        if own is None or other is None:
            return own or other
        last = len(self.wordings)
        return other if self._rank.get(id(other[0]), last) < self._rank[id(own[0])] else own

    def _as_documented(self, message: str) -> re.Match[str] | None:
        """The case-sensitive match of a message of at most LONG_MESSAGE characters."""
        if not self._branches:
            return None
        if message.isascii():
            return (self._short or self._compile_short()).fullmatch(message)
        return (self._wide or self._compile_wide()).fullmatch(message)

    def _case_blind(self, message: str, timeout: float) -> re.Match[str] | regex.Match[str] | None:
        if not self._branches:
            return None
        short = len(message) <= LONG_MESSAGE
        if message.isascii():
            # Servers keep the documented letter case nearly always, and a case-sensitive
            # pattern runs faster: the case-blind one is the fallback.  Once a match is
            # unlikely (``case_first=False``, or the documented case missed), most messages
            # lack every wording's anchor, and one search for the anchors costs a fraction
            # of the alternation (whose placeholders at the start of a wording try every
            # position).
            if not self._unanchored and (self._anchors or self._compile_anchors()).search(message.lower()) is None:
                return None
            if short:
                return (self._short_any_case or self._compile_short_any_case()).fullmatch(message)
            return self._long_pattern(True).fullmatch(message, timeout=timeout)
        if short:
            return (self._wide_any_case or self._compile_wide_any_case()).fullmatch(message)
        return self._long_pattern(False).fullmatch(message, timeout=timeout)

    def _decoded(
        self, found: re.Match[str] | regex.Match[str] | None
    ) -> tuple[CompiledWording, tuple[str, ...]] | None:
        if found is None:
            return None
        compiled, names = self._branches[found.lastgroup or "b0"]
        if len(names) == 1:
            return compiled, (found.group(names[0]),)
        return compiled, found.group(*names) if names else ()


def compile_wording(template: Template, wording: Wording) -> CompiledWording:
    literals, _tokens = placeholders.split(wording.text)
    literals[-1] = literals[-1].rstrip().rstrip(FINAL_PUNCTUATION)
    # Quotes around an argument are optional and interchangeable whether or not the page
    # shows them ('symbol', "symbol", `symbol`, symbol all occur), so the placeholder takes
    # them over from the literal text beside it.
    for position in range(len(literals)):
        if position > 0:
            literals[position] = literals[position].lstrip(QUOTES)
        if position < len(literals) - 1:
            literals[position] = literals[position].rstrip(QUOTES)
    pieces: list[str | tuple[int, str]] = [_tolerant_literal(literals[0])]
    for arg_index, literal in zip(wording.arg_order, literals[1:], strict=True):
        arg_type = template.args[arg_index].type
        # A list keeps its quotes: they are part of its items ("['a', 'b']").
        quote = "" if arg_type == "list" else _OPTIONAL_QUOTE
        pieces += [quote, (arg_index, pattern_of(arg_type)), quote]
        pieces.append(_tolerant_literal(literal))
    pieces.append(f"[\\s{re.escape(QUOTES + FINAL_PUNCTUATION)}]*")
    specificity = sum(len(loose_key(literal)) for literal in literals)
    lead = loose_key(literals[0])
    lead = lead[:_LEAD_LENGTH] if len(lead) >= _LEAD_LENGTH else ""
    present = tuple(
        (template.args[index].name, ARG_TYPES[template.args[index].type]) for index in sorted(wording.arg_order)
    )
    return CompiledWording(template, wording, tuple(pieces), specificity, lead, present, ascii_anchor(literals))


_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")


def ascii_anchor(literals: list[str]) -> str | None:
    """Lower-cased text that every ASCII message matched by a wording with these literal
    pieces contains, or None when there is none to tell.

    Every literal character is a mandatory part of the pattern, and an ASCII letter or
    digit stands for itself alone (letter case aside), so the longest run of them must
    appear in the message as it is.  A Chinese character matches no ASCII character, so a
    wording that has one cannot match an ASCII message: its anchor is that character.
    """
    text = "".join(literals)
    ideograph = _IDEOGRAPH.search(text)
    if ideograph is not None:
        return ideograph.group()
    runs = _ASCII_WORD.findall(text)
    return max(runs, key=len).lower() if runs else None


class SuffixSplitter:
    """Separates what servers append to messages (``, request ip: 1.2.3.4``) from the message."""

    def __init__(self, suffixes: list[Suffix]) -> None:
        self.texts = tuple(suffix.text for suffix in suffixes)
        """The suffixes' documented texts (with their placeholder)."""
        # When every suffix has a colon (", request ip: %s"), most messages are out after
        # one C-level search for it.
        if not suffixes:
            self.needle = "\0"  # no message is split (a NUL byte only leads to the empty pattern)
        else:
            self.needle = ":" if all(":" in suffix.text for suffix in suffixes) else ""
        # A cheap first test on every message: the last word before each suffix's value,
        # with the punctuation that follows it ("ip:" of ", request ip: %s").
        self.markers = tuple(
            {
                (re.findall(r"\w+\W?", placeholders.split(suffix.text)[0][0].rstrip()) or [""])[-1].lower()
                for suffix in suffixes
            }
            - {""}
        )
        branches = []
        for suffix in suffixes:
            before, after = placeholders.split(suffix.text)[0]
            branches.append(
                f"{_tolerant_literal(before.lstrip())}{_OPTIONAL_QUOTE}(?P<{suffix.name}>{pattern_of(suffix.arg_type)})"
                f"{_OPTIONAL_QUOTE}{_tolerant_literal(after)}"
            )
        source = rf"\s*[,;.]?\s*(?:{'|'.join(branches)})\s*$"
        self._pattern = re.compile(source, _FLAGS) if branches else None
        self._ascii_pattern = re.compile(ascii_classes(source), _FLAGS) if branches else None

    def split(self, text: str) -> tuple[str, dict[str, str]] | None:
        """(the message without its suffix, the suffix's values by name), or None without one.

        Callers on a hot path may test ``needle in text`` first: without it there is none.
        """
        if self._pattern is None or self.needle not in text:
            return None
        tail = text[-120:].lower()
        if not any(marker in tail for marker in self.markers):
            return None
        pattern = self._ascii_pattern if text.isascii() else self._pattern
        assert pattern is not None  # set with self._pattern
        found = pattern.search(text)
        if found is None:
            return None
        extras = {name: value for name, value in found.groupdict().items() if value is not None}
        return text[: found.start()], extras

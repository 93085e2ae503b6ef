"""When a message that matched nothing speaks for every message that differs from it only in digits.

Unknown messages come back again and again with other numbers in them ("... (ticket 53105).",
"... rule R305 triggered.").  Their *digit mask* (every ASCII digit turned to ``0``, `mask`)
is the same, and so, under the conditions `blind_guard` checks, is their record: the
normalizer then answers such a message with the record of the first one, its ``message``
replaced.  This is exact, not a guess, because for two texts M1 and M2 with one mask (they
differ only in the values of ASCII digits, at the same places):

* every pattern the decision order runs tests a digit only by class (``\\d``, ``\\w``,
  ``[A-Za-z0-9]``, ``\\b``), which any ASCII digit passes alike, unless the pattern's own
  literal text has a digit: a wording without one misses M2 when it misses M1, and so does
  a suffix pattern (``[[suffix]]`` texts are checked once).  The few wordings with one
  (``0.001BTC``, ``20x``, ``MsgSeqNum(34)``) are tried on M1 with each literal digit made
  ``[0-9]``: a wording that M2 matches would match M1 so (`Facts.digit_wordings`);
* the loose key and the lead map a digit to itself and every other character alike, so
  the keys of M2 have the masks of M1's; a dictionary lookup misses M2 when no key of the
  dictionary has that mask (the masked key sets are made once per index);
* a lead with a digit may name another bucket: only when no other lead key has its mask;
* sentence ends sit at the same places, so the last resort's leading sentences of M2 are
  M1's with other digits, and the same holds for each of them;
* the fuzzy index keys its (exact) outcomes on the message's words with those that no
  wording has blanked, and on how many repeat: a word with a digit whose mask no
  vocabulary word has is blanked in both, and words with distinct masks cannot repeat.
  Where a word's mask is also a vocabulary word's (``60000`` is one, so every five-digit
  number is such a word) or two words share a mask (``5 of 5``), the outcome is kept
  with a `Guard`: those words of a later message are read (at the same places) and
  must give the same blanked words and the same number of distinct ones;
* the skeleton is digit-blind (see `binance_errors.skeleton`); the rest of a record
  without a match comes from the code and the product.

Messages longer than `LONG_MESSAGE` are left out (they are matched with a time limit).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from binance_errors import placeholders
from binance_errors.compiler import LONG_MESSAGE, SENTENCE_END, PatternGroup, lead_of, loose_key

if TYPE_CHECKING:
    from binance_errors.index import Index

DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0000000000")
"""For ``bytes.translate``: a message's UTF-8 has ASCII digits only where the message has them
(every byte of another character is 0x80 or above), and this is several times faster than
``str.translate``.  The scan's caches key lines and time stamps so too, where only the places
of digits count."""
_DIGIT = re.compile(r"[0-9]")
_ANY_CASE = re.IGNORECASE | re.DOTALL
"""The most a group's patterns accept (its case-blind ones): a wording's match in any of them is one here."""
_UNSEEN = object()
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
"""`binance_errors.fuzzy.words` on ASCII text without placeholder characters, with places."""


def mask(text: str) -> bytes:
    """``text``'s digit mask, as UTF-8 (a lone surrogate passed through: JSON can carry one)."""
    return text.encode("utf-8", "surrogatepass").translate(DIGITS_AS_ZERO)


has_digit = _DIGIT.search
"""A match (true) where the text has an ASCII digit, else None: a bound method, as it is called
on every word of a message."""


class Guard(NamedTuple):
    """What a later message with the remembered mask must also give to the fuzzy index's key."""

    spans: tuple[tuple[int, int], ...]
    """Where the words to read are (empty: none, the outcome holds for the whole mask)."""
    blanked: tuple[str, ...]
    """Those words as the fuzzy index keys them: the word if a wording has it, else ""."""
    distinct: int
    """How many distinct words they are (the key counts repeated words)."""
    vocabulary: frozenset[str]
    """The fuzzy index's."""

    def holds(self, message: str) -> bool:
        vocabulary = self.vocabulary
        found = []
        for (start, end), expected in zip(self.spans, self.blanked, strict=True):
            word = message[start:end].lower()
            if (word if word in vocabulary else "") != expected:
                return False
            found.append(word)
        return len(found) == 1 or len(set(found)) == self.distinct

    def shifted(self, offset: int) -> Guard:
        """The guard with its places ``offset`` characters later (the white space ``strip`` took)."""
        spans = tuple((start + offset, end + offset) for start, end in self.spans)
        return self._replace(spans=spans)


NO_GUARD = Guard((), (), 0, frozenset())


class Facts:
    """What the check needs of one index, made on first use and kept on the index."""

    def __init__(self, index: Index) -> None:
        # Index.exact and .loose are defaultdicts: iterated here, never indexed with [].
        self.exact = frozenset(mask(key) for key in index.exact)
        self.loose = frozenset(mask(key) for key in index.loose)
        self.leads: dict[bytes, list[str]] = {}
        """The lead keys with a digit, by mask."""
        for lead in index.patterns_by_lead:
            if has_digit(lead):
                self.leads.setdefault(mask(lead), []).append(lead)
        splitter = index.suffixes
        self.suffixes_blind = not (
            has_digit(splitter.needle)
            or any(has_digit(marker) for marker in splitter.markers)
            or any(has_digit("".join(placeholders.split(text)[0])) for text in splitter.texts)
        )
        self._groups: dict[int, re.Pattern[str] | None] = {}
        self._vocabulary_masks: frozenset[bytes] | None = None

    def digit_wordings(self, group: PatternGroup) -> re.Pattern[str] | None:
        """The wordings of ``group`` with an ASCII digit in their literal text, each such digit
        made ``[0-9]``, as one case-blind alternation (None: there are none).

        Such a pattern is digit-blind, and matches whatever the wording matches: when it misses
        a text, the wording misses every text with that text's mask.  Kept by the group's id
        (groups live as long as the index); two threads racing make equal patterns.
        """
        key = id(group)
        known = self._groups.get(key, _UNSEEN)
        if known is not _UNSEEN:
            return known  # type: ignore[return-value]
        sources = []
        for compiled in group.wordings:
            if has_digit("".join(placeholders.split(compiled.wording.text)[0])):
                # The text pieces are the literal text made tolerant: an ASCII digit in them is
                # one of the wording's (the placeholders' sub-patterns are left as they are).
                pieces = (
                    _DIGIT.sub("[0-9]", piece) if isinstance(piece, str) else f"(?:{piece[1]})"
                    for piece in compiled.pieces
                )
                sources.append("(?:" + "".join(pieces) + ")")
        pattern = re.compile("|".join(sources), _ANY_CASE) if sources else None
        self._groups[key] = pattern
        return pattern

    def vocabulary_masks(self, vocabulary: frozenset[str]) -> frozenset[bytes]:
        """The masks of the fuzzy vocabulary's words that have a digit."""
        masks = self._vocabulary_masks
        if masks is None:
            masks = self._vocabulary_masks = frozenset(mask(word) for word in vocabulary if has_digit(word))
        return masks


def facts_of(index: Index) -> Facts:
    # Two threads racing here both make equal facts; either assignment is fine.
    facts = index.digit_blind
    if facts is None:
        facts = index.digit_blind = Facts(index)
    return facts


def _group_blind(facts: Facts, group: PatternGroup | None, text: str) -> bool:
    """Whether ``group``, which missed ``text``, misses every text with its mask."""
    if group is None:
        return True
    digit_wordings = facts.digit_wordings(group)
    return digit_wordings is None or digit_wordings.fullmatch(text) is None


def _lookups_blind(index: Index, facts: Facts, code: int | None, text: str) -> bool:
    """Whether ``_find``'s lookups and patterns, which missed ``text`` under ``code``, miss every
    text with its mask."""
    if mask(text) in facts.exact or mask(loose_key(text)) in facts.loose:
        return False
    if code is not None and not _group_blind(facts, index.own_patterns.get(code), text):
        return False
    lead = lead_of(text)
    if not _group_blind(facts, index.patterns_by_lead.get(lead, index.patterns_for_any_lead), text):
        return False
    if has_digit(lead):
        # Another text's lead has other digits: it must not be another bucket's key.  It may
        # be no key at all: then it gets the group for any lead, which must miss it too.
        if any(other != lead for other in facts.leads.get(mask(lead), ())):
            return False
        if lead in index.patterns_by_lead:
            any_lead = index.patterns_for_any_lead
            if any_lead.match(text, 1.0, case_first=False) is not None or not _group_blind(facts, any_lead, text):
                return False
    return True


def blind_guard(index: Index, code: int | None, text: str, fuzzy_threshold: float | None) -> Guard | None:
    """Whether the outcome for ``text`` (stripped), which matched nothing under ``code``, is the
    outcome for every text with its digit mask: `NO_GUARD` when it is, a `Guard` when it is
    for the texts the guard accepts, None when that is not shown (nothing is remembered).

    ``fuzzy_threshold`` is the normalizer's (None: no fuzzy last resort to account for).
    """
    if len(text) > LONG_MESSAGE:
        return None  # matched with a time limit: not deterministic
    facts = facts_of(index)
    if not facts.suffixes_blind or index.suffixes.split(text) is not None:
        return None
    if not _lookups_blind(index, facts, code, text):
        return None
    if fuzzy_threshold is None:
        return NO_GUARD
    # Imported here, as by the normalizer's last resort: difflib is not needed to start.
    from binance_errors.fuzzy import MAX_FUZZY_LENGTH  # noqa: PLC0415
    # The last resort tries the leading sentences first, with the lookups of _find.
    for found in SENTENCE_END.finditer(text):
        if found.end() < len(text) and not _lookups_blind(index, facts, code, text[: found.end()].strip()):
            return None
    if len(text) > MAX_FUZZY_LENGTH:
        return NO_GUARD  # not compared at all
    return _fuzzy_guard(index, facts, text)


def _fuzzy_guard(index: Index, facts: Facts, text: str) -> Guard | None:
    """What makes the fuzzy index's key of a text with ``text``'s mask the key of ``text``."""
    from binance_errors.fuzzy import words  # noqa: PLC0415 (loaded with the fuzzy index)
    message_words = words(text)
    digit_words = [word for word in message_words if has_digit(word)]
    if not digit_words:
        return NO_GUARD
    vocabulary = index.fuzzy.vocabulary
    vocabulary_masks = facts.vocabulary_masks(vocabulary)
    masks = [mask(word) for word in digit_words]
    shared = {found for found in masks if masks.count(found) > 1} if len(set(masks)) < len(masks) else set()
    # A word whose mask no vocabulary word and no other word of the message has is blanked in
    # every such text and differs from every other word: it changes neither part of the key.
    watched = [position for position, found in enumerate(masks) if found in vocabulary_masks or found in shared]
    if not watched:
        return NO_GUARD
    # The others are read again from each later message, at their places: known only where
    # words() reads the text as it is (ASCII, no placeholder to take out).
    if not text.isascii() or "%" in text or "{" in text or "<" in text:
        return None
    found_words = list(_ASCII_WORD.finditer(text))
    if tuple(found.group().lower() for found in found_words) != message_words:
        return None  # words() reads it otherwise: no places to read
    spans = [found.span() for found in found_words if has_digit(found.group())]
    chosen = [digit_words[position] for position in watched]
    return Guard(
        tuple(spans[position] for position in watched),
        tuple(word if word in vocabulary else "" for word in chosen),
        len(set(chosen)),
        vocabulary,
    )

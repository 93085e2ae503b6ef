"""The last resort for a message that is close to a documented one but matches none.

Edited wordings are compared with every documented wording on their *words* (placeholders
left out).  Candidates come from an inverted index of words, so only wordings sharing a
word are scored; the score is difflib's ratio of the two word sequences (0 to 1).  Below the
threshold the message stays unknown: a fuzzy match is a guess and is reported as one
(``match == "fuzzy"`` with its ``confidence``).  Arguments are then read next to the
words that surround each placeholder, when they can be found.  (A documented message
with a sentence appended is caught before this, by the normalizer.)
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from binance_errors import placeholders
from binance_errors.catalog import Template, Wording
from binance_errors.compiler import CompiledWording

MAX_FUZZY_LENGTH = 400
"""Longer messages are not compared: a documented message is never that long."""
OUTCOME_CACHE_SIZE = 4096
"""Distinct word sequences (unknown words masked) whose outcome is kept; past it, afresh."""
_CANDIDATES = 12
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNSEEN = object()
_STOP = frozenset({"a", "an", "the", "is", "are", "was", "of", "for", "to", "in", "on", "or", "and", "be", "this"})


def words(text: str) -> tuple[str, ...]:
    """The words and numbers of ``text`` in order, lower-cased, placeholders left out; Chinese
    counts character by character.  Numbers stay: a literal number that differs ("2000ms"
    where the page says "1000ms") lowers the score instead of vanishing."""
    if "%" in text or "％" in text or "{" in text or "<" in text:  # what every placeholder holds
        text = placeholders.PLACEHOLDER.sub(" ", text)
    if text.isascii():
        return tuple(_WORD.findall(text.lower()))
    found: list[str] = []
    for word in _WORD.findall(text):
        if _CJK.search(word):
            found.extend(word)
        else:
            found.append(word.lower())
    return tuple(found)


@dataclass(frozen=True, slots=True)
class FuzzyMatch:
    template: Template
    wording: Wording
    confidence: float
    compiled: CompiledWording | None


class FuzzyIndex:
    """Every documented wording, findable by the words it shares with a message."""

    def __init__(self, entries: list[tuple[Template, Wording, CompiledWording | None]]) -> None:
        self._entries = entries
        self._words = [words(wording.text) for _, wording, _ in entries]
        self._lengths = [len(entry_words) for entry_words in self._words]
        postings: dict[str, list[int]] = defaultdict(list)
        for position, entry_words in enumerate(self._words):
            for word in set(entry_words) - _STOP:
                postings[word].append(position)
        # A word that half the catalog shares says nothing about which message this is.
        limit = max(8, len(entries) // 20)
        self._postings = {word: found for word, found in postings.items() if len(found) <= limit}
        self.vocabulary = frozenset(word for entry_words in self._words for word in entry_words)
        """Every word of every wording."""
        self._outcomes: dict[tuple[object, ...], FuzzyMatch | None] = {}

    def best(self, text: str, code: int | None, threshold: float) -> FuzzyMatch | None:
        """The closest wording scoring at least ``threshold``; the code's own ones win ties."""
        if len(text) > MAX_FUZZY_LENGTH:
            return None
        message_words = words(text)
        # Unknown messages come back with other ticket numbers, symbols and ids: words no
        # wording has.  Such a word can match nothing, so the outcome is the same whatever
        # the word is (the scores see only its position); only how many words repeat (the
        # bound below) can tell two such messages apart.  Hence this key, and an outcome
        # that is exact for every message that shares it.
        vocabulary = self.vocabulary
        masked = tuple(word if word in vocabulary else "" for word in message_words)
        key = (code, threshold, len(message_words) - len(set(message_words)), masked)
        outcomes = self._outcomes
        # One get, no test-then-read: another thread may clear the dict in between.
        known = outcomes.get(key, _UNSEEN)
        if known is not _UNSEEN:
            return known  # type: ignore[return-value]
        outcome = self._best(message_words, code, threshold)
        if len(outcomes) >= OUTCOME_CACHE_SIZE:
            outcomes.clear()
        outcomes[key] = outcome
        return outcome

    def _best(self, message_words: tuple[str, ...], code: int | None, threshold: float) -> FuzzyMatch | None:
        shared: dict[int, int] = defaultdict(int)
        for word in set(message_words):
            for position in self._postings.get(word, ()):
                shared[position] += 1
        # The ratio is 2 * matched words / all words.  A wording can match at most the indexed
        # words it shares with the message, plus the message's words the index leaves out
        # (too common to index) and its repeated words: wordings that cannot reach the
        # threshold are dropped before any sequence is compared.
        count = len(message_words)
        slack = (count - len(set(message_words))) + sum(1 for word in message_words if word not in self._postings)
        lengths = self._lengths
        reachable = [
            position
            for position, common in shared.items()
            if 2 * (common + slack) >= threshold * (lengths[position] + count)
        ]
        if not reachable:
            return None
        candidates = heapq.nlargest(_CANDIDATES, reachable, key=shared.__getitem__)
        matcher = SequenceMatcher(autojunk=False)
        matcher.set_seq2(message_words)
        scored: list[tuple[float, bool, int]] = []  # (score, the code's own, position)
        for position in candidates:
            matcher.set_seq1(self._words[position])
            if matcher.quick_ratio() < threshold:  # the exact bound (word counts), cheaper than ratio()
                continue
            score = matcher.ratio()
            if score >= threshold:
                own = code is not None and self._entries[position][0].code == code
                scored.append((score, own, position))
        if not scored:
            return None
        # Highest score; among equals the code's own wording, then the first documented.
        score, _own, position = max(scored, key=lambda item: (item[0], item[1], -item[2]))
        template, wording, compiled = self._entries[position]
        return FuzzyMatch(template, wording, round(score, 3), compiled)


def _anchor(literal: str, *, before: bool) -> str:
    """Regex source for the one or two words next to a placeholder, from its literal side."""
    found = _WORD.findall(literal)
    if not found:
        return ""
    near = found[-2:] if before else found[:2]
    return r"\W*".join(re.escape(word) for word in near)


def fuzzy_arguments(compiled: CompiledWording, text: str) -> tuple[str, ...] | None:
    """The arguments of ``text`` for a wording it only resembles, or None.

    Each placeholder's value is looked for next to the words that surround it in the
    wording ("banned until %s." -> the number after "until"), typed by its sub-pattern.
    A whole-message fuzzy regex would be more thorough but is far too slow at the edit
    distances that real drift needs.
    """
    literals, _tokens = placeholders.split(compiled.wording.text)
    values: dict[int, str] = {}
    for position, arg_index in enumerate(compiled.wording.arg_order):
        value_pattern = next(
            piece[1] for piece in compiled.pieces if not isinstance(piece, str) and piece[0] == arg_index
        )
        before = _anchor(literals[position], before=True)
        after = _anchor(literals[position + 1], before=False)
        if not before and not after:
            return None
        quote = "[`'\"‘’“”]?"
        source = (
            (rf"{before}\s*{quote}" if before else r"^\s*")
            + f"(?P<value>{value_pattern})"
            + (rf"{quote}\s*[,.;:]?\s*{after}" if after else rf"{quote}\s*[.。!！]*\s*$")
        )
        found = re.search(source, text, re.IGNORECASE | re.DOTALL)
        if found is None:
            return None
        values[arg_index] = found.group("value")
    return tuple(values[index] for index in sorted(values))

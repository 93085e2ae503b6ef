"""The fuzzy last resort: its cache of outcomes must give exactly what a fresh comparison gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from binance_errors import Normalizer, fuzzy
from binance_errors.fuzzy import FuzzyIndex, words
from binance_errors.index import Index
from catalog_values import TEMPLATES
from word_edits import edit_words

_INDEX = Index(tuple(Normalizer().catalogs.values()))
_TEXTS = sorted({wording.text for _, template in TEMPLATES.values() for wording in template.wordings})
# Words no wording has (ticket numbers, symbols, ids), and words wordings do have.
_UNKNOWN = st.from_regex(r"[a-z]{2,6}[0-9]{1,6}|[0-9]{5,9}", fullmatch=True).filter(
    lambda word: word not in {w for text in _TEXTS for w in words(text)}
)
_KNOWN = st.sampled_from(sorted({w for text in _TEXTS for w in words(text)}))


def fresh() -> FuzzyIndex:
    return FuzzyIndex(_INDEX._fuzzy_entries)


@st.composite
def edited(draw: st.DrawFn) -> str:
    """A documented text with words replaced, inserted or dropped (unknown and known ones)."""
    text = draw(st.sampled_from(_TEXTS))
    return edit_words(draw, text, st.one_of(_UNKNOWN, _KNOWN), draw(st.integers(1, 4)))


_SHARED = fresh()


@settings(max_examples=300)
@given(text=edited(), code=st.sampled_from([None, -1013, -2010, -1121, -9000]), threshold=st.sampled_from([0.8, 0.9]))
def test_a_cached_outcome_is_what_a_fresh_comparison_gives(text: str, code: int | None, threshold: float) -> None:
    # The shared index has seen many messages (and holds their outcomes); a fresh one none.
    assert _SHARED.best(text, code, threshold) == fresh().best(text, code, threshold)


def test_messages_that_differ_in_unknown_words_share_one_outcome() -> None:
    index = fresh()
    first = index.best("Timestamp for this request is outside of the recvWindow ticket 123.", -1021, 0.8)
    assert first is not None and first.template.id == "-1021.1"
    assert len(index._outcomes) == 1
    second = index.best("Timestamp for this request is outside of the recvWindow ticket 98765.", -1021, 0.8)
    assert second == first
    assert len(index._outcomes) == 1  # the same key: served from the cache
    # A repeated unknown word changes what the candidates can reach: its own key.
    index.best("Timestamp for this request is outside of the recvWindow ticket 5 5.", -1021, 0.8)
    assert len(index._outcomes) == 2


def test_the_outcome_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fuzzy, "OUTCOME_CACHE_SIZE", 10)
    index = fresh()
    for number in range(50):
        index.best(f"Your account is under review number {number} {'x' * (number % 7)}", None, 0.8)
        assert len(index._outcomes) <= 10

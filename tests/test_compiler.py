"""The compiler's patterns for ASCII messages: they must read an ASCII message exactly as the full ones do."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from binance_errors import Normalizer
from binance_errors.catalog import Wording
from binance_errors.compiler import CompiledWording, PatternGroup, ascii_anchor, ascii_classes, compile_wording
from binance_errors.placeholders import fill
from catalog_values import VALUES

_INDEX = Normalizer()._index(None)
# Every code's group and every lead bucket's.
_GROUPS: list[tuple[str, PatternGroup]] = [
    (str(code), group) for code, group in sorted(_INDEX.own_patterns.items(), key=lambda item: str(item[0]))
] + [(f"lead {lead}", group) for lead, group in sorted(_INDEX.patterns_by_lead.items())]
_GROUPS.append(("any lead", _INDEX.patterns_for_any_lead))
# Each group as one alternation of all its wordings, the shared group's included: what a
# group that shares another's patterns must find, match for match.
_ONE_ALTERNATION = {id(group): PatternGroup(list(group.wordings)) for _, group in _GROUPS}
_DRIFTS: list[Callable[[str], str]] = [
    str,
    str.upper,
    str.lower,
    lambda text: text.replace(" ", "  "),
    lambda text: text.replace("'", '"'),
]


def _ascii_message(data: st.DataObject, wordings: st.SearchStrategy[CompiledWording]) -> str:
    """A message of one of ``wordings`` with typical values, drifted a little (quotes swapped,
    spaces doubled, case changed), ASCII only."""
    compiled = data.draw(wordings)
    wording = compiled.wording
    values = [data.draw(VALUES[compiled.template.args[index].type])[0] for index in wording.arg_order]
    drift = data.draw(st.sampled_from(_DRIFTS))
    return drift(fill(wording.text, values)).encode("ascii", "replace").decode()


@pytest.mark.parametrize(("name", "group"), _GROUPS, ids=[name for name, _ in _GROUPS])
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_ascii_patterns_read_ascii_messages_as_the_full_ones(
    name: str, group: PatternGroup, data: st.DataObject
) -> None:
    full = re.compile(group._source, re.IGNORECASE | re.DOTALL)
    ascii_only = re.compile(group._ascii_source, re.IGNORECASE | re.DOTALL)
    message = _ascii_message(data, st.sampled_from(group.wordings))
    expected = full.fullmatch(message)
    found = ascii_only.fullmatch(message)
    assert (found is None) == (expected is None)
    if found is not None and expected is not None:
        assert found.lastgroup == expected.lastgroup
        assert found.groupdict() == expected.groupdict()


_ALL_WORDINGS = [compiled for _, group in _GROUPS for compiled in group.wordings]


@pytest.mark.parametrize(("name", "group"), _GROUPS, ids=[name for name, _ in _GROUPS])
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_the_anchor_search_turns_away_only_messages_that_cannot_match(
    name: str, group: PatternGroup, data: st.DataObject
) -> None:
    # Messages of this group's wordings and of any other: most miss, some match.
    message = _ascii_message(data, st.sampled_from(group.wordings) | st.sampled_from(_ALL_WORDINGS))
    whole = _ONE_ALTERNATION[id(group)]
    any_case = re.compile(whole._ascii_source, re.IGNORECASE | re.DOTALL).fullmatch(message)
    documented_case = re.compile(whole._ascii_source, re.DOTALL).fullmatch(message)
    for case_first, unfiltered in ((False, any_case), (True, documented_case or any_case)):
        found = group.match(message, 1.0, case_first=case_first)
        assert (found is None) == (unfiltered is None)
        if found is not None and unfiltered is not None:
            compiled, names = whole._branches[unfiltered.lastgroup or ""]
            assert found[0] is compiled
            assert found[1] == tuple(unfiltered.group(name) for name in names)


def test_a_bucket_shares_the_patterns_of_the_wordings_that_start_with_a_placeholder() -> None:
    shared = _INDEX.patterns_for_any_lead
    bucket = next(iter(_INDEX.patterns_by_lead.values()))
    assert len(shared.wordings) > 0
    assert all(compiled in bucket.wordings for compiled in shared.wordings)
    # Its own alternation holds its own wordings only.
    assert len(bucket._branches) == len(bucket.wordings) - len(shared.wordings)


def test_a_shared_wording_that_comes_first_wins_as_in_one_alternation() -> None:
    # Both read the message; the shared one has more literal text, so it comes first.
    template = next(t for infos in _INDEX.own_patterns.values() for t in [infos.wordings[0].template]
                    if len(t.args) == 1 and t.args[0].type == "text")  # fmt: skip
    own = compile_wording(template, Wording("Something %s", "en", (0,)))
    first = compile_wording(template, Wording("%s broke the whole thing", "en", (0,)))
    later = compile_wording(template, Wording("%s thing", "en", (0,)))
    message = "Something X broke the whole thing"
    for shared_wordings in ([first], [later], [first, later]):
        shared = PatternGroup(shared_wordings)
        bucket = PatternGroup([own], shared=shared)
        whole = PatternGroup([own, *shared_wordings])
        for case_first in (True, False):
            for text in (message, message.upper()):
                assert bucket.match(text, 1.0, case_first=case_first) == whole.match(text, 1.0, case_first=case_first)
    assert PatternGroup([own], shared=PatternGroup([first])).match(message, 1.0) == (first, ("Something X",))
    assert PatternGroup([own], shared=PatternGroup([later])).match(message, 1.0) == (own, ("X broke the whole thing",))


def test_an_anchor_is_the_longest_run_of_ascii_letters_and_digits_or_a_chinese_character() -> None:
    assert ascii_anchor(["Invalid ", " for parameter ", ""]) == "parameter"
    assert ascii_anchor(["", " Timestamp for this request was 1000ms ahead"]) == "timestamp"
    assert ascii_anchor(["参数 '", "' 不支持GTC以外的值"]) == "参"
    assert ascii_anchor(["", " (", ")"]) is None


def test_classes_lose_only_what_an_ascii_message_cannot_hold() -> None:
    assert ascii_classes("[`'\"‘’“”]?") == "[`'\"]?"
    assert ascii_classes(r"[^\s`'\"‘’“”]+") == r"[^\s`'\"]+"
    assert ascii_classes("a[,，]b[\\]‘]") == "a[,]b[\\]]"
    # Kept whole: a class with nothing ASCII in it, a range that ends beyond ASCII, escapes.
    assert ascii_classes("[，][a-‘]\\[，\\]") == "[，][a-‘]\\[，\\]"

"""The digit-blind shortcut: a record kept for an unknown message's digit mask must be, field for
field, what the full decision order gives every later message with that mask."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from binance_errors import Normalizer, normalizer, placeholders
from binance_errors.catalog import default_catalogs, load_catalog
from binance_errors.digit_blind import blind_guard, facts_of, mask
from binance_errors.fuzzy import words
from binance_errors.normalizer import _NOT_BLIND, _SEEN_ONCE
from binance_errors.record import ErrorRecord
from word_edits import edit_words

_CATALOGS = default_catalogs()
_PRODUCTS = [None, "spot", "sapi", "usdm", "coinm", "portfolio_margin_pro"]
_WORDINGS = sorted(
    {(template.code, wording.text) for catalog in _CATALOGS.values() for template in catalog.templates for wording in
     template.wordings},
    key=str,
)  # fmt: skip
_DIGIT_RUN = re.compile(r"[0-9]+")


def _literal_digits(text: str) -> bool:
    return _DIGIT_RUN.search("".join(placeholders.split(text)[0])) is not None


# The wordings whose literal text has a digit (0.001BTC, 20x, MsgSeqNum(34), 少于0), and the
# literal messages with one (Please try again in 5 minutes.): a digit changed there may match.
_DIGIT_WORDINGS = [pair for pair in _WORDINGS if _literal_digits(pair[1])]
_DIGIT_PATTERNS = [pair for pair in _DIGIT_WORDINGS if placeholders.count(pair[1])]
assert {code for code, _ in _DIGIT_PATTERNS} == {-5004, -1179, -4205, -4200, -4026}
# Digit runs that the catalogs have (a later message may land on one), and their vocabulary's numbers.
_POOL: list[str] = sorted(
    {run for _, text in _WORDINGS for run in _DIGIT_RUN.findall(text)}
    | {word for _, text in _WORDINGS for word in words(text) if word.isdigit()}
)
_UNKNOWN = [
    "Your account is under review (ticket {}).",
    "Request rejected by risk engine: rule R{} triggered.",
    "Order {} of {} rejected.",
    "{} of {}",
    "Leg {} of order {} failed; leg {} retried.",
    "Batch {} failed. Retry in {} seconds. Ref {}.",
    "recvWindow must be less than {} for this endpoint",
    "Timestamp for this request was {}ms ahead of the server's time",
    "Please try again in {} minutes or call {}.",
    "{}{} is not a valid id",
    "  Error {}:{} at node-{}  ",
    "账户 {} 正在审核中（工单 {}）。",
    "订单{}已拒绝。",
    "More than {}x leverage is available {} days after registration.",
    "MsgSeqNum({}) is off by {}.",
    "Value {} exceeds {} ({} of {}).",
]
_CODES = [None, -12345, -9999, 7, -1000, -1003, -1013, -1021, -1100, -1121, -2010, -2011, -2015, -3009, -5004, -1179,
          -4205, -4200, -4026, -1106, -4164]  # fmt: skip


def _digits(least: int, most: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=least, max_size=most)


_NUMBERS = st.one_of(
    _digits(1, 7),
    st.sampled_from(_POOL),
    st.builds("{}.{}".format, _digits(1, 3), _digits(1, 4)),
    st.builds(str.__add__, st.text(string.ascii_uppercase, min_size=1, max_size=3), _digits(1, 4)),
    st.builds(str.__add__, _digits(1, 4), st.text(string.ascii_letters, min_size=1, max_size=3)),
)


@st.composite
def _filled(draw: st.DrawFn) -> tuple[int | None, str]:
    """A documented wording with its placeholders given numbers, as sent or drifted (letter case,
    end, spacing), now and then with its literal numbers changed; under its code or another."""
    code, text = draw(st.sampled_from(draw(st.sampled_from([_DIGIT_PATTERNS, _DIGIT_WORDINGS, _WORDINGS]))))
    if draw(st.integers(0, 5)):
        message = placeholders.fill(text, [draw(_NUMBERS) for _ in range(placeholders.count(text))])
    else:
        message = text  # sent unfilled: "... %s ..." is looked up as it is
    if draw(st.integers(0, 4)) == 0:
        message = _DIGIT_RUN.sub(lambda run: draw(_NUMBERS) if draw(st.booleans()) else run.group(), message)
    drift = draw(st.sampled_from(["", "", "lower", "end", "spaces"]))
    if drift == "lower":
        message = message.lower()
    elif drift == "end":
        message = message.rstrip(".。") if message.endswith((".", "。")) else message + "."
    elif drift == "spaces":
        message = message.replace(" ", "  ")
    return (code if draw(st.booleans()) else draw(st.sampled_from(_CODES))), message


@st.composite
def _edited(draw: st.DrawFn) -> tuple[int | None, str]:
    """A filled wording with words dropped, replaced or added (the fuzzy last resort's domain)."""
    code, message = draw(_filled())
    word = st.one_of(_NUMBERS, st.sampled_from(["ticket", "order", "for", "this", "endpoint", "ref"]))
    return code, edit_words(draw, message, word, draw(st.integers(1, 3)))


@st.composite
def _unknown(draw: st.DrawFn) -> tuple[int | None, str]:
    shape = draw(st.sampled_from(_UNKNOWN))
    number = draw(_NUMBERS)
    # Repeated numbers ("5 of 5") as often as distinct ones.
    values = [number if draw(st.booleans()) else draw(_NUMBERS) for _ in range(shape.count("{}"))]
    return draw(st.sampled_from(_CODES)), shape.format(*values)


@st.composite
def _appended(draw: st.DrawFn) -> tuple[int | None, str]:
    """A documented message (or a near one) with a sentence appended, or a number in front."""
    code, message = draw(st.one_of(_filled(), _unknown()))
    extra = draw(_unknown())[1]
    where = draw(st.sampled_from(["after", "before", "lead"]))
    if where == "after":
        return code, f"{message.rstrip()} {extra}"
    if where == "before":
        return code, f"{extra} {message}"
    return code, f"{draw(_NUMBERS)}{draw(st.sampled_from(['', ' ', '-', ': ']))}{message}"


_MESSAGES = st.tuples(
    st.one_of(_filled(), _filled(), _edited(), _unknown(), _appended(), _appended()),
    st.sampled_from(["", " ", "\n  "]),
    st.sampled_from(["", "", "", ", request ip: 10.0.0.1", ", request ip: 203.0.113.7 "]),
).map(lambda parts: (parts[0][0], parts[1] + parts[0][1] + parts[2]))


@st.composite
def _same_mask(draw: st.DrawFn, message: str) -> str:
    """``message`` with its digits replaced: at random, by a run the catalogs have, by another run
    of the message (so that numbers repeat, or stop repeating) or kept."""
    runs: list[str] = _DIGIT_RUN.findall(message)

    def replace(found: re.Match[str]) -> str:
        run: str = found.group()
        length = len(run)
        choices = [other for other in [*_POOL, *runs] if len(other) == length]
        how = draw(st.sampled_from(["random", "random", "pool", "keep"]))
        if how == "pool" and choices:
            return draw(st.sampled_from(choices))
        if how == "keep":
            return run
        return draw(_digits(length, length))

    return _DIGIT_RUN.sub(replace, message)


# Normalizers without a record cache, so that every call reaches the matcher; one per fuzzy
# setting, each kept across examples (their tables fill up as a long stream's would).
_SHORTCUT = {threshold: Normalizer(cache_size=0, fuzzy_threshold=threshold) for threshold in (0.8, 0.9, None)}


def _fresh(threshold: float | None, code: int | None, message: str, product: str | None) -> ErrorRecord:
    """The full decision order: a normalizer that has kept nothing."""
    return Normalizer(cache_size=0, fuzzy_threshold=threshold).normalize(code, message, product)


def _assert_same(got: ErrorRecord, expected: ErrorRecord) -> None:
    assert type(got) is ErrorRecord
    assert got == expected
    assert got.to_dict() == expected.to_dict()
    assert got._asdict() == expected._asdict()


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    pair=_MESSAGES,
    product=st.sampled_from(_PRODUCTS),
    threshold=st.sampled_from([0.8, 0.9, None]),
    data=st.data(),
)
def test_a_kept_record_is_what_the_full_path_gives_every_message_with_its_mask(
    pair: tuple[int | None, str], product: str | None, threshold: float | None, data: st.DataObject
) -> None:
    # ``drawn`` is often documented (or close to), and the messages met first are the same with
    # other digits: what was kept for them must not hide the match of the drawn one.
    code, drawn = pair
    shortcut = _SHORTCUT[threshold]
    matcher = shortcut._matcher
    # The first message of a mask is noted, the second one checked: both take the full path.
    for label in ("first", "second"):
        message = data.draw(_same_mask(drawn), label=label)
        _assert_same(shortcut.normalize(code, message, product), _fresh(threshold, code, message, product))
    known = matcher.blind.get((code, product, mask(drawn)))
    event(f"kept: {known is not None and known is not _NOT_BLIND and known is not _SEEN_ONCE}")
    for later in [drawn, *(data.draw(_same_mask(drawn), label="later") for _ in range(3))]:
        _assert_same(shortcut.normalize(code, later, product), _fresh(threshold, code, later, product))


@st.composite
def _a_digit_away(draw: st.DrawFn) -> tuple[int | None, str, list[str]]:
    """A message from a wording with a number in its own text (filled or sent unfilled, drifted,
    a word or a sentence added, padded), and the same message from the wording with those
    numbers changed (as long): the ones met first, which match nothing where the drawn one may."""
    code, text = draw(st.sampled_from(draw(st.sampled_from([_DIGIT_PATTERNS, _DIGIT_WORDINGS]))))
    code = draw(st.sampled_from([code, code, None, -12345, -2010, -1100, -1013]))
    values = [draw(_NUMBERS) for _ in range(placeholders.count(text))] if draw(st.booleans()) else None
    drift = draw(st.sampled_from(["", "", "lower", "squeezed"]))
    added = draw(st.sampled_from(["", "", " ms", " now", " for account 7"]))
    appended = draw(st.sampled_from(["", "", " See ticket 4417.", " Retry in 30 seconds. Ref 12."]))
    pad = draw(st.sampled_from(["", " ", "\n  "]))

    def message(wording: str) -> str:
        filled = wording if values is None else placeholders.fill(wording, values)
        if drift == "lower":
            filled = filled.lower()
        elif drift == "squeezed":
            filled = filled.replace(" ", "")  # the loose key drops white space
        if added:
            filled = filled.rstrip(".。") + added
        return pad + filled + appended

    def changed() -> str:
        literals, tokens = placeholders.split(text)
        literals = [
            _DIGIT_RUN.sub(lambda run: draw(_digits(len(run.group()), len(run.group()))), piece) for piece in literals
        ]
        return "".join(piece for pair in zip(literals, [*tokens, ""], strict=True) for piece in pair)

    return code, message(text), [message(changed()) for _ in range(2)]


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=_a_digit_away(),
    product=st.sampled_from([None, None, "spot", "usdm", "sapi"]),
    threshold=st.sampled_from([0.8, None]),
    data=st.data(),
)
def test_a_kept_record_never_hides_a_documented_message_a_digit_away(
    case: tuple[int | None, str, list[str]], product: str | None, threshold: float | None, data: st.DataObject
) -> None:
    code, documented, first = case
    shortcut = Normalizer(cache_size=0, fuzzy_threshold=threshold)
    for message in [*first, documented, *(data.draw(_same_mask(documented), label="later") for _ in range(2))]:
        _assert_same(shortcut.normalize(code, message, product), _fresh(threshold, code, message, product))


_TICKET = "Your account is under review (ticket {})."


@pytest.mark.parametrize("code", [-12345, -2010, None])
def test_the_shortcut_answers_without_the_decision_order(code: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    shortcut = Normalizer()
    shortcut.normalize(code, _TICKET.format(53105))
    shortcut.normalize(code, _TICKET.format(53106))  # the second message of the mask is checked
    assert len(shortcut._matcher.blind) == 1

    def no_full_path(*args: object, **kwargs: object) -> None:
        raise AssertionError("the decision order ran")

    monkeypatch.setattr(normalizer, "_find", no_full_path)
    monkeypatch.setattr(normalizer._Matcher, "code_only", no_full_path)
    for number in (53107, 10000, 99999):
        record = shortcut.normalize(code, _TICKET.format(number))
        assert record.message == _TICKET.format(number)
        assert record.match in ("code", "unknown")
        assert record.skeleton == "Your account is under review (ticket <n>)."
    monkeypatch.undo()
    assert record == Normalizer().normalize(code, _TICKET.format(99999))


def test_a_message_whose_words_change_the_fuzzy_key_takes_the_full_path() -> None:
    # 60000 is a word of a wording (recvWindow must be less than 60000): a later message with
    # it is keyed otherwise by the fuzzy index, so the kept record's guard sends it the long way.
    shortcut = Normalizer(cache_size=0)
    text = "recvWindow must be less than {} for this endpoint"
    shortcut.normalize(-12345, text.format(60001))
    shortcut.normalize(-12345, text.format(60002))
    (remembered,) = shortcut._matcher.blind.values()
    assert remembered[2].spans  # kept with a guard: 60001 has the mask of 60000
    near = shortcut.normalize(-12345, text.format(60000))
    assert near == Normalizer().normalize(-12345, text.format(60000))
    assert near.match == "fuzzy"  # a guess from that one word: what the shortcut must not hide
    assert shortcut.normalize(-12345, text.format(61234)).match == "unknown"


@pytest.mark.parametrize("code", [-2010, -12345, None])
def test_a_leading_sentence_a_digit_away_from_a_documented_message_is_not_kept(code: int | None) -> None:
    # The loose key drops white space: "Pleasetryagainin5minutes." is the literal message, and
    # the last resort finds it as the leading sentence; with 7 minutes nothing is found.
    shortcut = Normalizer(cache_size=0)
    text = "Pleasetryagainin{}minutes. See ticket 4417."
    assert shortcut.normalize(code, text.format(7)).match in ("code", "unknown")
    assert shortcut.normalize(code, text.format(8)).match in ("code", "unknown")
    assert shortcut.normalize(code, text.format(5)).match == "fuzzy"
    assert blind_guard(shortcut._index(None), code, text.format(7), 0.8) is None


def test_what_is_not_vouched_for_is_not_kept() -> None:
    index = Normalizer()._index(None)
    check = blind_guard
    # A wording with a digit of its own in its literal text that another digit reaches.
    assert check(index, -5004, "The residual balances of BTC have exceeded 0.002BTC, Please re-choose.", 0.8) is None
    # The mask of a documented literal message.
    assert check(index, -12345, "Please try again in 6 minutes.", None) is None
    # Too long to be matched without a time limit.
    assert check(index, -12345, "ticket 1 " * 100, None) is None
    # Numbers read from their places only in plain ASCII text.
    assert check(index, -12345, "工单 53105 正在审核", 0.8) is None
    assert check(index, -12345, "Your account is under review (ticket 53105).", None) is not None
    assert facts_of(index) is facts_of(index)


def test_the_table_is_bounded() -> None:
    shortcut = Normalizer(cache_size=0)
    for length in range(1, 30):
        for code in range(-300, 0):
            shortcut.normalize(code, f"Ticket {'7' * length}.")
    assert 0 < len(shortcut._matcher.blind) <= normalizer.DIGIT_BLIND_LIMIT
    shortcut.cache_clear()
    assert not shortcut._matcher.blind


_OWN_CATALOG = """
[catalog]
product = "test"
source = "hand-written"
{suffix}
[[code]]
code = -1
name = "ONE"
group = "tests"

[[code.message]]
id = "-1"
en = "123 orders are open for %s."
args = ["symbol: asset"]
"""
_NODE_SUFFIX = """
[[suffix]]
name = "node"
text = " (node 7: %s)"
type = "text"
description = "Where the server ran."
"""


def test_leads_and_suffixes_with_digits(tmp_path: Path) -> None:
    # No packaged catalog has either: a wording whose first characters are digits sits in a
    # bucket that a message with other digits there does not reach, and a suffix with a digit
    # of its own splits messages by their digits.
    path = tmp_path / "test.toml"
    path.write_text(_OWN_CATALOG.format(suffix=""), encoding="utf-8")
    shortcut = Normalizer(load_catalog([path]), cache_size=0, fuzzy_threshold=None)
    index = shortcut._index(None)
    assert "123" in index.patterns_by_lead
    assert blind_guard(index, -2, "124 orders are open for BTC.", None) is None
    assert blind_guard(index, -2, "12a orders are open for BTC.", None) is not None
    for number in (124, 125, 123, 126):
        message = f"{number} orders are open for BTC."
        got = shortcut.normalize(-2, message)
        _assert_same(got, Normalizer(load_catalog([path]), fuzzy_threshold=None).normalize(-2, message))
    assert got.match == "unknown" and shortcut.normalize(-2, "123 orders are open for BTC.").match == "template"
    path.write_text(_OWN_CATALOG.format(suffix=_NODE_SUFFIX), encoding="utf-8")
    index = Normalizer(load_catalog([path]))._index(None)
    assert not facts_of(index).suffixes_blind
    assert blind_guard(index, -2, "Ticket 53105.", None) is None

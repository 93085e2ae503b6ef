"""normalize never raises and never hangs, whatever it is given."""

from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st

from binance_errors import ErrorRecord, Normalizer, normalize, normalize_payload
from binance_errors.normalizer import CODE_PARTS_LIMIT

ANY_CODE = st.one_of(
    st.none(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),
    st.booleans(),
    st.text(max_size=40),
    st.binary(max_size=40),
    st.from_regex(r"\s*-?\d{1,50}\s*", fullmatch=True),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)
ANY_MESSAGE = st.one_of(
    st.none(),
    st.text(),
    st.binary(),
    st.integers(),
    st.floats(),
    st.lists(st.text(max_size=5), max_size=3),
    st.text(alphabet="`'\"%s{}<>0 .", max_size=200),
)
JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@given(code=ANY_CODE, msg=ANY_MESSAGE)
def test_any_code_and_message_give_a_record(code: object, msg: object) -> None:
    record = normalize(code, msg)
    assert isinstance(record, ErrorRecord)
    assert record.code is None or isinstance(record.code, int)
    assert isinstance(record.message, str)
    record.to_dict()


@given(payload=st.one_of(JSON_VALUES, st.text(), st.binary(), JSON_VALUES.map(str)))
def test_any_payload_gives_a_record(payload: object) -> None:
    assert isinstance(normalize_payload(payload), ErrorRecord)


@given(body=st.dictionaries(st.sampled_from(["code", "msg", "error", "status", "success"]), JSON_VALUES, max_size=5))
def test_payload_shaped_dicts_give_a_record(body: dict[str, object]) -> None:
    assert isinstance(normalize_payload(body), ErrorRecord)


def test_codes_given_as_text_or_floats() -> None:
    assert normalize("-1121", "Invalid symbol.").code == -1121
    assert normalize(b" -1121 ", "Invalid symbol.").code == -1121
    assert normalize(-1121.0, "Invalid symbol.").code == -1121
    assert normalize(-1121.5, "Invalid symbol.").code is None
    assert normalize(True, "Invalid symbol.").code is None
    assert normalize(10**100, "x").code == 10**100


def test_messages_that_are_not_utf8_are_replaced_not_refused() -> None:
    record = normalize(-1121, b"Invalid \xff symbol.")
    assert record.message == "Invalid \ufffd symbol."
    assert normalize(-1121, b"Invalid symbol.").match == "exact"


class _Hostile:
    def __str__(self) -> str:
        raise RuntimeError("no")


def test_objects_that_fail_to_print() -> None:
    assert normalize(-1121, _Hostile()).message == ""


def _seconds(call: object) -> float:
    start = time.perf_counter()
    assert callable(call)
    call()
    return time.perf_counter() - start


def test_hostile_messages_finish_quickly() -> None:
    # A guard against hangs, not a speed target: each of these would take minutes or
    # more with a backtracking pattern and no caps.
    normalizer = Normalizer()
    hostile = [
        "`" * 1_000_000,
        "Illegal characters found in parameter `" + "`" * 3000,
        "Illegal characters found in parameter " + "'a" * 2000 + "; legal range is " + "'" * 1500,
        "Asset withdrawal must be an " + "1 " * 2000 + "multiple of " + "1." * 1000,
        "Filter failure: " + "A" * 100_000,
        "An unknown error occurred while processing the request.[" + "[" * 4000,
        "\x00" * 10_000,
    ]
    for code in (-1100, -4021, None):
        for message in hostile:
            assert _seconds(lambda m=message, c=code: normalizer.normalize(c, m)) < 2.0


def test_huge_messages_are_not_cached() -> None:
    normalizer = Normalizer(cache_size=4)
    for n in range(10):
        normalizer.normalize(-1121, str(n) * 100_000)
    assert normalizer.cache_info().currsize == 0


def test_codes_from_the_input_do_not_grow_the_index() -> None:
    # Any integer may come as a code: the per-code tables keep documented codes only, or
    # start afresh at their bound.
    normalizer = Normalizer()
    for code in range(-200_000, -100_000, 7):
        normalizer.normalize(code, f"Order {code} was rejected.")
        normalizer.normalize(code, f"Ordre {code} refusée ①.")
    index = normalizer._index(None)
    documented = len(set(index.own_patterns) | set(index._literal_texts))
    assert len(index.conflicts) <= documented
    assert len(index.wide_conflicts) <= documented
    assert len(index.code_parts) <= CODE_PARTS_LIMIT

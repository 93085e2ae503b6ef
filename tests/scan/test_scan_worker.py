"""The worker's line-shape cache gives, line for line, what reading each line in full gives."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from binance_errors import normalize
from binance_errors.scan.inputs import Block
from binance_errors.scan.lines import LineError
from binance_errors.scan.stats import Stats
from binance_errors.scan.times import instant
from binance_errors.scan.worker import Options, Worker
from digit_lines import digit_variant_lines

from .reference import reference

BODY = '{"code":-1121,"msg":"Invalid symbol."}'
# Each shape comes back with another time stamp (or none), so the cache is both filled and hit.
LINES = [
    f'{{"ts":"2024-01-02 03:04:05.001","level":"error","error":{BODY}}}',
    f'{{"ts":"2024-01-02 03:04:06.002","level":"error","error":{BODY}}}',
    # Another key wins over the leading one: the timestamp is not the leading value, even
    # when the first line of the shape has the same value in both.
    f'{{"ts":"2030-01-01T00:00:00Z","@timestamp":"2030-01-01T00:00:00Z","error":{BODY}}}',
    f'{{"ts":"2024-01-02 03:04:07","@timestamp":"2030-01-01T00:00:00Z","error":{BODY}}}',
    f'{{"ts":"2024-01-02 03:04:08","@timestamp":"2030-01-01T00:00:00Z","error":{BODY}}}',
    # The leading key again, later in the line: the last value counts.
    f'{{"ts":"2031-01-01","ts":"2031-01-01","error":{BODY}}}',
    f'{{"ts":"2024-01-02 03:04:09","ts":"2031-01-01","error":{BODY}}}',
    f'{{"ts":"2024-01-02 03:04:10","ts":"2031-01-01","error":{BODY}}}',
    '{"ts":1700000000123,"error":{"code":-1121,"msg":"Invalid symbol."}}',
    '{"timestamp":"2024-01-02T03:04:05Z","message":"APIError(code=-2010): Duplicate order sent."}',
    '{"timestamp":"2024-01-02T03:04:06Z","message":"APIError(code=-2010): Duplicate order sent."}',
    '{"ts":"2024-01-02 03:04:05","level":"info","msg":"tick"}',
    '{"ts":"2024-01-02 03:04:06","level":"info","msg":"tick"}',
    '{"ts":"2024-01-02 03:04:05","level":"info","ms',
    BODY,
    BODY + "\r",
    "  " + BODY,
    "2024-01-02 03:04:05 ERROR APIError(code=-1121): Invalid symbol.",
    "2024-01-02 03:04:06 ERROR APIError(code=-1121): Invalid symbol.",
    "2024-01-02 03:04:07 ERROR APIError(code=-1121): Invalid symbol.\r",
    "[2024-01-02T03:04:05.123+00:00] WARN code=-1013, msg=Filter failure: LOT_SIZE strategy=grid",
    "[2024-01-02T03:04:06.456+00:00] WARN code=-1013, msg=Filter failure: LOT_SIZE strategy=grid",
    "2024-01-02 03:04:05 ERROR APIError(code=-1121): Símbolo inválido ①",
    # A digit that is not ASCII: the time stamp reads on into it, which bytes patterns miss.
    "2024-01-02 03:04:05.123456789\u0663 ERROR APIError(code=-1121): Invalid symbol.",
    "2024-01-02 03:04:05.12\u0663 ERROR APIError(code=-1121): Invalid symbol.",
    "2024-01-02 03:04:05 ERROR binance -1000 Service temporarily unavailable, retry in 5 seconds.",
    "2024-01-02 03:04:06 ERROR binance -1000 Service temporarily unavailable, retry in 7 seconds.",
    " {2024-01-02 03:04:05 APIError(code=-1121): Invalid symbol.",
    " {2024-01-02 03:04:05 nothing here",
    "APIError(code=-1121): Invalid symbol.",
    "2024-01-02 03:04:05 INFO order placed",
    "2024-01-02 03:04:05 INFO -1013 reasons to smile",
    "",
]
# Bytes that are not UTF-8 in each kind of line; each shape twice, the second time with
# other digits (the caches' keys ignore them, or hold them apart).
BAD_UTF8_LINES = [
    b'{"ts":"2024-01-02 03:04:05","error":{"code":-1121,"msg":"Invalid \xff symbol."}}',
    b'{"ts":"2024-01-02 03:04:06","error":{"code":-1121,"msg":"Invalid \xff symbol."}}',
    b'{"code":-1121,"msg":"Invalid \xc3 symbol."}',
    b"2024-01-02 03:04:05 ERROR APIError(code=-1121): Invalid \xfe symbol.",
    b"2024-01-02 03:04:06 ERROR APIError(code=-1121): Invalid \xfe symbol.",
    b"2024-01-02 03:04:05 INFO order placed \xff\xfe",
    b"2024-01-02 03:04:06 INFO order placed \xff\xfe",
    b"2024-01-02 03:04:06 INFO order placed \xc3\xa9",
    b"  {\xff",
]


def scanned(lines: list[bytes], field: str | None = None, source: str = "log") -> tuple[list[Any], Counter[str]]:
    worker = Worker(Options(field=field))
    # Twice over: the second pass is served from the cache only.
    for _ in range(2):
        result = worker.process(Block(source, 1, b"\n".join(lines) + b"\n"))
    records = [list(json.loads(line).items()) for line in result.output.splitlines()]
    stats = result.stats
    assert stats.balanced
    assert stats.read == len(lines)
    return records, stats.unreadable_reasons + stats.matches


def test_lines_that_are_not_utf8_are_unreadable_wherever_they_are() -> None:
    # After lines of the same shapes in valid UTF-8, and before them.
    lines = [line.decode("latin-1").encode() for line in BAD_UTF8_LINES]
    for order in (lines + BAD_UTF8_LINES, BAD_UTF8_LINES + lines):
        records, account = scanned(order)
        assert (records, account) == reference(order)
        assert account["invalid UTF-8"] == len(BAD_UTF8_LINES) - 1  # the é line is UTF-8


@pytest.mark.parametrize("field", [None, "error", "ts"])
def test_cached_shapes_match_reading_each_line_in_full(field: str | None) -> None:
    lines = [line.encode() for line in LINES] + [b"2024-01-02 \xff\xfe binary"]
    # Bad bytes in the middle too, next to a valid non-ASCII line: the numbers after them stay right.
    lines[5:5] = [b'{"code":-1121,"msg":"Invalid \xc3"}', f"{BODY} é".encode()]
    assert scanned(lines, field) == reference(lines, field)


def test_a_field_that_is_the_time_stamp_is_read_on_every_line() -> None:
    # The leading "ts" holds the error itself: each line's outcome is its own.
    lines = [
        b'{"ts":"APIError(code=-1121): Invalid symbol.","n":1}',
        b'{"ts":"APIError(code=-2010): Duplicate order sent.","n":1}',
        # ... and when another key gives the timestamp.
        b'{"ts":"APIError(code=-1121): Invalid symbol.","@timestamp":"2024-01-02"}',
        b'{"ts":"APIError(code=-2010): Duplicate order sent.","@timestamp":"2024-01-02"}',
    ]
    records, _ = scanned(lines, field="ts")
    assert [dict(record)["code"] for record in records] == [-1121, -2010, -1121, -2010]
    assert (records, _) == reference(lines, field="ts")


def test_percent_in_a_file_name_is_kept_verbatim() -> None:
    lines = [LINES[0].encode(), b"2024-01-02 03:04:05 ERROR APIError(code=-1121): Invalid symbol."]
    assert scanned(lines, source="logs/100%d-%s.log") == reference(lines, source="logs/100%d-%s.log")


def test_the_summary_groups_unknown_messages_by_the_record_skeleton() -> None:
    worker = Worker(Options(summary=True))
    data = "\n".join(line for line in LINES if "binance -1000" in line).encode()
    stats = worker.process(Block("log", 1, data)).stats
    shape = normalize(-1000, "Service temporarily unavailable, retry in 5 seconds.").skeleton
    assert shape is not None
    assert stats.unknown[shape].count == 2
    assert stats.overall.count == 2


def test_spooled_results_hold_the_same_output(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("binance_errors.scan.worker.SHAPE_LIMIT", 3)
    lines = [line.encode() for line in LINES]
    data = b"\n".join(lines) + b"\n"
    expected = Worker(Options()).process(Block("log", 1, data))
    worker = Worker(Options())
    path = tmp_path / "0.jsonl"
    path.write_bytes(b"x" * (2 * len(expected.output)))  # a spare file with a longer output
    for _ in range(3):  # the caches start afresh within each block
        result = worker.process_spooled(Block("log", 1, data), str(path))
        assert (result.path, result.written) == (str(path), True)
        assert path.read_bytes() == expected.output
        assert result.stats == expected.stats


def test_a_block_without_output_leaves_its_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "0.jsonl"
    quiet = Block("log", 1, b"2024-01-02 03:04:05 INFO all is well\n")
    assert not Worker(Options()).process_spooled(quiet, str(path)).written
    errors = Block("log", 1, (BODY + "\n").encode())
    summary_only = Worker(Options(summary=True, records=False)).process_spooled(errors, str(path))
    assert not summary_only.written
    assert summary_only.stats.with_error == 1
    assert not path.exists()


# Time stamps of several shapes, some of which put the same text on either side of
# different stamps ("<epoch>Z ..." beside "<date>Z ..."), and bodies with and without an error.
_STAMPS = st.sampled_from(
    [
        "2024-01-02 03:04:05.123", "2024-01-02 03:04:05", "2024-01-02T03:04:05", "2024/01/02 03:04:05,5",
        "2024-01-02 03:04:05.123Z", "2024-01-02 03:04:05+01:00", "2024-01-02 03:04", "1700000000123",
        "1700000000", "2700000000123", "2024-1-02 03:04:05", "2024-01-02 03:04:05.1234", "",
    ]
).flatmap(lambda stamp: st.just(stamp.translate(str.maketrans("0123456789", "9876543210"))) | st.just(stamp))
# "[[" and "[[ ": the same first bytes before stamps that start in different places.
_BEFORE = st.sampled_from(["", "[", "<<", " ", "x", "[[", "[[ ", "\u2019", "\u2019\u2019", "\u00e9"])
_AFTER = st.sampled_from(
    [
        " ERROR APIError(code=-1121): Invalid symbol.",
        "Z ERROR APIError(code=-1121): Invalid symbol.",
        "] WARN code=-1013, msg=Filter failure: LOT_SIZE",
        ".5 ERROR binance -1000 Service temporarily unavailable, retry in 5 seconds.",
        "0 ERROR APIError(code=-2010): Duplicate order sent.",
        ":01 INFO msg=tick",
        " INFO order placed",
        # A zone after a control character: the stamp's \s takes \t and \v (which JSON
        # output must escape), the text pattern's \s takes \x1c too, the bytes one not.
        "\tZ ERROR APIError(code=-1121): Invalid symbol.",
        "\x0bZ ERROR APIError(code=-1121): Invalid symbol.",
        "\x1cZ ERROR APIError(code=-1121): Invalid symbol.",
        # Text that is not ASCII after the stamp, and before it.
        " ERROR APIError(code=-21004): User doesn\u2019t have portfolio margin bankruptcy loan",
    ]
)
_JSON_KEYS = st.sampled_from(["ts", "timestamp", "time", "id"])


@st.composite
def _log_line(draw: st.DrawFn) -> str:
    stamp = draw(_STAMPS)
    if draw(st.booleans()):
        return draw(_BEFORE) + stamp + draw(_AFTER)
    key = draw(_JSON_KEYS)
    body = draw(st.sampled_from([BODY, '{"code":-2010,"msg":"Duplicate order sent."}', '"tick"']))
    value = f'"{stamp}"' if stamp or draw(st.booleans()) else "1700000000123"
    return f'{{"{key}":{value},"level":"error","error":{body}}}'


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(_log_line(), min_size=1, max_size=30))
def test_time_stamps_guessed_from_earlier_lines_read_as_in_full(lines: list[str]) -> None:
    encoded = [line.encode() for line in lines]
    assert scanned(encoded) == reference(encoded)


_ERROR = " ERROR APIError(code=-1121): Invalid symbol."
_JSON_REST = '","level":"error","error":' + BODY + "}"


@pytest.mark.parametrize(
    "lines",
    [
        # The same text on either side of a date and of something that only starts like one.
        ["2024-01-02 03:04:05.123" + _ERROR, "2024-01-02 03:04:05.12a" + _ERROR],
        ["[2024-01-02 03:04:05]" + _ERROR, "[2024-01-02 03:04:0x]" + _ERROR],
        # An epoch stamp must start with a 1: the same digit places do not make another one.
        ["<<1700000000123" + _ERROR, "<<2700000000123" + _ERROR],
        # Lines that start alike, with stamps that start in different places.
        ["[[7975-98-97 96:95:94.876Z" + _ERROR, "[[ 7975-98-97 96:95:94.876" + _ERROR] * 2,
        # A JSON time stamp's value with a character the stamp pattern does not take.
        ['{"ts":"2024-01-02 03:04:05' + _JSON_REST, '{"ts":"2024-01-02\t03:04:05' + _JSON_REST],
        ['{"ts":"2024-01-02 03:04:05' + _JSON_REST, '{"ts":"2024-01-02 03:0\\"05' + _JSON_REST],
        # A control character in a text line's stamp: spliced raw, it would break the JSON output.
        ["2024-01-02 03:04:05\tZ" + _ERROR, "2024-01-02 03:04:06\tZ" + _ERROR, "2024-01-02 03:04:07\x0bZ" + _ERROR],
        # A line that is not ASCII has its stamp cut off like any other.
        ["2024-01-02 03:04:05 \u2019" + _ERROR, "2024-01-02 03:04:06 \u2019" + _ERROR],
        ["\u20192024-01-02 03:04:06" + _ERROR, "\u00e92024-01-02 03:04:06" + _ERROR, "\u2019\u20192024-01-02" + _ERROR],
    ],
)
def test_a_guessed_time_stamp_is_checked_before_it_is_trusted(lines: list[str]) -> None:
    encoded = [line.encode() for line in lines]
    assert scanned(encoded) == reference(encoded)


# --summary's times: valid and invalid stamps, with and without offsets, several formats,
# all within four hours (across midnight), so that offsets reorder stamps and invalid ones share their class.
_FORMATS = st.sampled_from(["%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M:%S", "%s"])
_OFFSETS = st.sampled_from(["", "", "Z", "+01:00", "+00:00", "+02:00"])


@st.composite
def _summary_line(draw: st.DrawFn, formats: list[str], offsets: list[str], kinds: list[int]) -> str:
    moment = datetime(2025, 3, 1, 22) + timedelta(milliseconds=draw(st.integers(0, 4 * 3_600_000)))
    fmt = draw(st.sampled_from(formats))
    if fmt == "%s":
        stamp = str(int(moment.replace(tzinfo=UTC).timestamp() * 1000))
    else:
        stamp = moment.strftime(fmt)[:23] + draw(st.sampled_from(offsets))
        if draw(st.integers(0, 5)) == 0:
            stamp = stamp[:11] + "25" + stamp[13:]  # hour 25: the same digit places, no valid time
    number = draw(st.integers(1, 99))
    kind = draw(st.sampled_from(kinds))
    if kind == 0:
        return f"{stamp} ERROR APIError(code=-1121): Invalid symbol."
    if kind == 1:
        return f"{stamp} ERROR binance -1000 Order {number} could not be placed."
    if kind == 2:
        return f'{{"ts":"{stamp}","error":{{"code":-9000,"msg":"Ticket {number} is open."}}}}'
    if kind == 3:
        # A time that is a JSON number: the whole line is the shape, its error holds the time.
        epoch = int(moment.replace(tzinfo=UTC).timestamp() * 1000)
        return f'{{"ts":{epoch},"error":{{"code":-1121,"msg":"Invalid symbol."}}}}'
    return '{"code":-2010,"msg":"Account has insufficient balance for requested action."}'


@st.composite
def _summary_lines(draw: st.DrawFn) -> list[str]:
    # Few formats, offsets and kinds in one example: lines share groups and stamp classes.
    formats = draw(st.lists(_FORMATS, min_size=1, max_size=2))
    offsets = draw(st.lists(_OFFSETS, min_size=1, max_size=2))
    kinds = draw(st.lists(st.integers(0, 4), min_size=1, max_size=2))
    return draw(st.lists(_summary_line(formats, offsets, kinds), min_size=1, max_size=40))


def _reference_summary(lines: list[bytes]) -> Stats:
    """The summary's counts as reading every line in full, and converting every stamp, give them."""
    stats = Stats()
    records, _ = reference(lines)
    for pairs in records:
        record = dict(pairs)
        moment = instant(record["timestamp"])
        key = tuple(record[name] for name in ("code", "name", "template_id", "template", "category", "kind"))
        stats.group((*key, record["subtype"], record["match"])).add(moment)
        stats.overall.add(moment)
        if record["skeleton"] is not None:
            stats.skeleton(record["skeleton"], record["message"]).add(moment)
    return stats


@settings(max_examples=150, deadline=None)
@given(lines=_summary_lines())
def test_summary_counts_and_times_are_those_of_every_line_read_in_full(lines: list[str]) -> None:
    encoded = [line.encode() for line in lines]
    worker = Worker(Options(summary=True))
    expected = _reference_summary(encoded)
    # Two blocks merged, then the whole once more from the cache.
    for _ in range(2):
        total = Stats()
        for part in (encoded[: len(encoded) // 2], encoded[len(encoded) // 2 :]):
            total.merge(worker.process(Block("log", 1, b"".join(line + b"\n" for line in part))).stats)
        assert total.groups == expected.groups
        assert total.unknown == expected.unknown
        assert total.overall == expected.overall


# Lines that differ from an earlier one only in digits: in their message (read off the
# earlier line's reading), in their code or their time stamp (each read as ever).
@settings(max_examples=300, deadline=None)
@given(
    groups=st.lists(digit_variant_lines(), min_size=1, max_size=4),
    field=st.sampled_from([None, "error", "message", "ts"]),
)
def test_digit_variants_of_a_line_read_as_in_full(groups: list[list[str]], field: str | None) -> None:
    encoded = [line.encode() for group in groups for line in group]
    assert scanned(encoded, field) == reference(encoded, field)


def test_a_digit_variant_of_a_message_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    stamp = "2025-03-01 00:47:09.098 "
    lines = [
        f"{stamp}ERROR APIError(code=-12345): Your account is under review (ticket {ticket}).".encode()
        for ticket in (53105, 99766)
    ] + [
        f'{{"ts":"2025-03-01 00:47:1{n}","error":{{"code":-2010,"msg":"rule R{n}05 triggered."}}}}'.encode()
        for n in (3, 4)
    ]
    worker = Worker(Options())
    reads: list[bytes | str] = []
    parse = worker._parse

    def counted(line: bytes | str) -> LineError | str | None:
        reads.append(line)
        return parse(line)

    monkeypatch.setattr(worker, "_parse", counted)
    result = worker.process(Block("log", 1, b"\n".join(lines) + b"\n"))
    # The first line of each shape is read (a JSON one twice: the time stamp's probe); the others not.
    assert reads[0] == lines[0]
    assert lines[1] not in reads and lines[3] not in reads
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [record["message"] for record in records] == [
        "Your account is under review (ticket 53105).",
        "Your account is under review (ticket 99766).",
        "rule R305 triggered.",
        "rule R405 triggered.",
    ]
    assert records[1]["timestamp"] == "2025-03-01 00:47:09.098"
    assert records[3]["timestamp"] == "2025-03-01 00:47:14"


@pytest.mark.parametrize(
    "lines",
    [
        # The message's text in another member too, before it: which bytes are the message?
        [
            '{"note":"ticket 5","error":{"code":-1000,"msg":"ticket 5"}}',
            '{"note":"ticket 7","error":{"code":-1000,"msg":"ticket 5"}}',
        ],
        # The message escaped in its member, and as it reads in another one.
        [
            '{"note":"ticket 5","error":{"code":-1000,"msg":"ticket\\u00205"}}',
            '{"note":"ticket 7","error":{"code":-1000,"msg":"ticket\\u00205"}}',
        ],
        # The same text as the message, in the line's text before the message.
        [
            "2025-03-01 00:47:09 note ticket 5 -1000 ticket 5",
            "2025-03-01 00:47:09 note ticket 7 -1000 ticket 5",
        ],
        # JSON that does not decode (a leading zero), read as text: other digits decode.
        ['{"code":-1000,"msg": 01}', '{"code":-1000,"msg": 11}'],
        ['  {"code":-1000,"msg": 01}', '  {"code":-1000,"msg": 21}'],
        ['\u3000{"code":-1000,"msg": 01}', '\u3000{"code":-1000,"msg": 11}'],
        ['{"ts":"2025-03-01 00:47:09","code":-1000,"msg": 01}', '{"ts":"2025-03-01 00:47:10","code":-1000,"msg": 11}'],
    ],
)
def test_a_message_whose_bytes_are_in_doubt_is_read_on_every_line(lines: list[str]) -> None:
    encoded = [line.encode() for line in lines]
    assert scanned(encoded) == reference(encoded)


def test_a_text_member_that_is_also_the_time_stamp_is_read_on_every_line() -> None:
    # --field ts: the member the finder reads is the record's time stamp as well.
    lines = [
        b'{"level":"error","ts":"APIError(code=-1000): ticket 55"}',
        b'{"level":"error","ts":"APIError(code=-1000): ticket 57"}',
    ]
    assert scanned(lines, "ts") == reference(lines, "ts")

"""The work done on one block of lines, in whichever process runs it.

A block goes in; its output records (JSON lines, as bytes) and its accounting come out.
The same function runs in-process for ``--jobs 1`` and in pool workers otherwise, so
both give the same bytes.

Why it is shaped the way it is: in an archived log the same error comes back again and
again, behind a time stamp that changes on every line. So a line is cut into its time
stamp and its *shape* (the rest of the line), and the shape is looked up in a cache
that holds the finished output for it, serialized record and all. Only a shape seen for
the first time goes through the general reader (:class:`LineParser`) and
:func:`binance_errors.normalize`; every later line costs a regex match, a dict lookup
and one ``%`` format. A text line without an error is remembered with its digits zeroed,
so the lines like it (other times, ids, amounts) cost one ``translate`` and a set lookup.

The product a record is normalized for is the same for every line (``Options.product``)
or comes from the line itself (``Options.url_field``, a member of a JSON line): either
way it is a function of the line's shape, so a cached shape's output stays right.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from enum import Enum
from operator import attrgetter
from typing import Final, NamedTuple, TypeVar

from binance_errors.digit_blind import DIGITS_AS_ZERO, has_digit
from binance_errors.finder import LEADING_TIMESTAMP, MAX_TEXT, TRIGGER_CODE, digit_blind_span
from binance_errors.record import ErrorRecord
from binance_errors.scan import collector, spool
from binance_errors.scan.inputs import BLOCK_SIZE, Block, ProgressSink, Source, SourceFailure, read_blocks
from binance_errors.scan.lines import BAD_UTF8, TIMESTAMP_KEYS, Code, LineError, LineParser
from binance_errors.scan.stats import GroupKey, Stats
from binance_errors.scan.tally import tally

try:
    import orjson

    def dumps(value: object) -> bytes:
        return orjson.dumps(value)

except ImportError:  # orjson is an optional speed-up

    def dumps(value: object) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


CACHE_LIMIT = 200_000
"""Distinct (code, msg, product) kept per worker; past it the cache starts afresh."""
SHAPE_LIMIT = 65_536
"""Distinct line shapes kept per worker (each holds a serialized record); past it, afresh."""

# The same pattern as finder's, over bytes, with a space for its \s: a stamp it finds
# holds no control character (a tab spliced into the output would have to be escaped).
# Where the two read a line differently (the text's \d, \w and \s take characters that
# are not ASCII, and \s takes tabs and \x1c-\x1f), the text decides; see _learn_text.
_TEXT_TS: Final = re.compile(LEADING_TIMESTAMP.pattern.replace(r"\s?", " ?").encode())
# finder's TRIGGER_CODE on the standard engine, which costs less per call on short lines.
_HAS_CODE: Final = re.compile(TRIGGER_CODE.pattern)
# A JSON line that opens with a time stamp: {"ts":"2025-03-01 10:00:00.123",...
# The value is printable ASCII without quote or backslash, so it is the same in the
# line, in the decoded object and in the output, without any escaping.
_JSON_TS: Final = re.compile(
    rb'\{\s*"(?:'
    + b"|".join(re.escape(key.encode()) for key in TIMESTAMP_KEYS)
    + rb')"\s*:\s*"([\x20\x21\x23-\x5b\x5d-\x7e]+)"'
)
# Stands in for a JSON line's time stamp to learn whether the line's outcome depends on it.
_PROBE: Final = "~~ probe ~~"
# What _JSON_TS's time stamp group takes, and a view of a time stamp in which only the
# places of its digits count (see _learn_text).
_JSON_STAMP_BYTES: Final = bytes([0x20, 0x21, *range(0x23, 0x5C), *range(0x5D, 0x7F)])
_DATE_SEPARATORS: Final = (b"-", b"/", b".")
# Lines are told apart by so many first bytes to guess where their time stamp sits:
# `[2024-...` from `2024-...`; `{"ts":` from `{"timestamp":`.
_TEXT_LEAD: Final = 2
_JSON_LEAD: Final = 6
_NO_SPAN: Final = (0, 0)
# The two kinds of line, in the keys of the digit-variant tables.
_TEXT: Final = 0
_JSON: Final = 1
_MATCH_OF: Final = attrgetter("match")
_K = TypeVar("_K")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Options:
    """What a worker needs to know, sent once to each process."""

    field: str | None = None
    summary: bool = False
    product: str | None = None
    """Normalize every error for this API (``spot``, ``usdm``, ...); checked by the caller."""
    url_field: str | None = None
    """Dotted path to the request's URL in JSON lines: each line's product comes from it."""
    records: bool = True
    """Write each error's record; False when nothing reads them (``--summary`` alone)."""


# The outcomes of a shape's first reading are tuples, and _Found a dataclass that is not
# frozen: a frozen dataclass sets each field through object.__setattr__, which makes it
# seven times slower to build, and every new shape builds three or four of these.


class _Normalized(NamedTuple):
    """One distinct (code, msg, product), normalized and serialized."""

    fragment: bytes
    """The record's JSON members, without braces, ready to splice into a line."""
    group: GroupKey
    skeleton: str | None
    """The message's shape when no template matched it (the record's ``skeleton``)."""
    match: str
    """How it was matched (the group's last member), read once per line in C (see _process)."""


class _Twin(NamedTuple):
    """A record, for records that may differ from it only in their message."""

    record: ErrorRecord
    before: bytes
    """Its serialized members up to its message's value."""
    after: bytes
    """Its serialized members after its message's value."""
    normalized: _Normalized


class _Variant(NamedTuple):
    """A line's reading taken from another that differs from it only in its message's digits."""

    error: LineError
    stamped: bool
    twin: _Twin | None


_MESSAGE_FIELD: Final = ErrorRecord._fields.index("message")


def _alike_but_message(record: ErrorRecord, other: ErrorRecord) -> bool:
    cut = _MESSAGE_FIELD
    return record[:cut] == other[:cut] and record[cut + 1 :] == other[cut + 1 :]


@dataclass(slots=True, eq=False)
class _Found:
    """The cached outcome of a line shape that holds an error."""

    rest: bytes
    """The output line from the time stamp's value on (see ``stamped``), newline included."""
    stamped: bool
    """True: each line's own time stamp goes in front of ``rest``; False: ``rest`` holds it."""
    error: LineError
    """The error of the first line of this shape (its timestamp is that line's)."""
    normalized: _Normalized
    match: str
    """How its record was matched (``normalized.match``, one attribute nearer: read once per line)."""
    # eq=False: compared and hashed by identity, which is what counting the hits needs.


class _Outcome(Enum):
    """The other outcomes of a line shape (an unreadable one is cached as its reason)."""

    NO_ERROR = "no error"
    GENERAL = "general"
    """The outcome depends on more than the shape: such lines are read in full."""


_Cached = _Found | _Outcome | str
_ShapeKey = bytes | tuple[bytes, bytes]
"""A whole line, or the line on either side of its time stamp."""


@dataclass(frozen=True, slots=True)
class BlockResult:
    source: str
    output: bytes
    stats: Stats


@dataclass(frozen=True, slots=True)
class SpooledResult:
    """A block's result as a pool worker sends it back: its output stays in a file (see `spool`)."""

    source: str
    path: str
    """The file given with the block (see `spool`)."""
    written: bool
    """False: the block had no output, and the file was left as it was."""
    stats: Stats


class Worker:
    """Parses and normalizes blocks; identical (code, msg, product) are normalized once."""

    def __init__(
        self, options: Options, normalize: Callable[[Code, str | None, str | None], object] | None = None
    ) -> None:
        if normalize is None:
            from binance_errors import normalize as default_normalize  # noqa: PLC0415 - heavy import, per process

            normalize = default_normalize
        self.options = options
        self.parser = LineParser(options.field, options.url_field)
        # The top-level keys that --field and --url-field read (see _learn_json).
        self._keys_read = frozenset(
            path.split(".", 1)[0].encode() for path in (options.field, options.url_field) if path
        )
        self._normalize = normalize
        self._cache: dict[tuple[Code, str | None, str | None], _Normalized] = {}
        # Line shapes: text lines by what follows their time stamp, JSON lines by the line
        # with the time stamp's value cut out. Two dicts, so the two kinds never collide.
        self._text_shapes: dict[_ShapeKey, _Cached] = {}
        self._json_shapes: dict[_ShapeKey, _Cached] = {}
        # Text shapes whose time stamp is a date, with the stamp's digit places: the fast
        # way to a text line's shape (see _learn_text).
        self._dated_text_shapes: dict[tuple[bytes, bytes], tuple[int, _Cached]] = {}
        # Text lines without an error, their digits zeroed (see _scan).
        self._quiet_text_shapes: set[bytes] = set()
        # Where the last time stamp of a line starting with the same bytes sat (see _scan).
        self._text_spans: dict[bytes, tuple[int, int]] = {}
        self._json_spans: dict[bytes, tuple[int, int]] = {}
        # Lines that differ from one already read only in the digits of its message (see
        # _digit_variant): where the message sits, by line mask; the first line's reading,
        # by the line with the message's digits zeroed.
        self._message_places: dict[tuple[int, int, bytes, bytes], tuple[int, int]] = {}
        self._digit_blind: dict[tuple[int, int, bytes, int, int, bytes], _Variant] = {}

    def normalized(
        self, code: Code, msg: str | None, product: str | None = None, twin: _Twin | None = None
    ) -> _Normalized:
        """The normalized, serialized (code, msg, product); ``twin``: a record whose message
        differs from ``msg`` only in its digits, and its serialized form around the message."""
        key = (code, msg, product)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        record = self._normalize(code, msg, product)
        if twin is not None and isinstance(record, ErrorRecord) and _alike_but_message(record, twin.record):
            # The same record with another message (an unknown one, usually, with another
            # ticket number): the same bytes with another message.
            known = twin.normalized
            entry = _Normalized(twin.before + dumps(msg) + twin.after, known.group, known.skeleton, known.match)
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = entry
            return entry
        as_dict: dict[str, object] = record.to_dict()  # type: ignore[attr-defined]
        fragment = dumps(as_dict)[1:-1]
        group: GroupKey = (
            _opt_int(as_dict.get("code")),
            _opt_str(as_dict.get("name")),
            _opt_str(as_dict.get("template_id")),
            _opt_str(as_dict.get("template")),
            _opt_str(as_dict.get("category")),
            _opt_str(as_dict.get("kind")),
            _opt_str(as_dict.get("subtype")),
            str(as_dict.get("match")),
        )
        entry = _Normalized(fragment, group, _opt_str(as_dict.get("skeleton")), group[-1])
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = entry
        return entry

    def process(self, block: Block) -> BlockResult:
        out, stats = self._process(block)
        return BlockResult(block.source, b"".join(out), stats)

    def scan_source(
        self, source: Source, block_size: int = BLOCK_SIZE, progress: ProgressSink | None = None
    ) -> Iterator[BlockResult | SourceFailure]:
        """The results of every block of ``source``, in turn (a failure ends them)."""
        line = 1
        for item in read_blocks(source, block_size, progress, numbered=False):
            if isinstance(item, SourceFailure):
                yield item
            else:
                result = self.process(replace(item, first_line=line))
                # Each block is whole lines (but the last, which no block follows).
                line += result.stats.read
                yield result

    def process_spooled(self, block: Block, path: str) -> SpooledResult:
        """``process`` for a pool worker: the output goes to the file at ``path``."""
        out, stats = self._process(block)
        if out:
            spool.write(path, b"".join(out))
        return SpooledResult(block.source, path, bool(out), stats)

    def _process(self, block: Block) -> tuple[list[bytes], Stats]:
        """The output pieces and the account of ``block``."""
        data = block.data
        lines = data.split(b"\n")
        if data.endswith(b"\n"):
            lines.pop()
        stats = Stats(read=len(lines))
        out: list[bytes] = []
        hits = self._scan(lines, block.first_line, block.source, out, stats)
        # Counted in C: a line's match kind is an attribute of its outcome.
        stats.matches.update(map(_MATCH_OF, hits))
        stats.with_error = len(hits)
        # Lines that no trigger word touched hold no error: they are counted, not visited.
        stats.without_error = stats.read - stats.with_error - stats.unreadable
        return out, stats

    def _scan(self, lines: list[bytes], first: int, source: str, out: list[bytes], stats: Stats) -> list[_Found]:  # noqa: PLR0915
        """Writes the output of ``lines`` to ``out``; returns the outcome of each line with an error.

        Unreadable lines are counted in ``stats``, and so is --summary's "when".  One long
        loop on purpose: a function call per line would cost more than most of its tests.
        """
        emit = out.extend
        hits: list[_Found] = []
        hit = hits.append
        # With --summary, each hit line's stamp (b"" where it has none), for tally.
        stamps: list[bytes] = []
        when = stamps.append
        # The line number goes in by a '%' format; a '%' in the file name is not a directive.
        head = b'{"file":' + dumps(source).replace(b"%", b"%%") + b',"line":%d'
        head_stamped = head + b',"timestamp":"'
        summary = self.options.summary
        records = self.options.records
        text_shapes = self._text_shapes
        json_shapes = self._json_shapes
        dated = self._dated_text_shapes
        quiet = self._quiet_text_shapes
        text_ts = _TEXT_TS.match
        json_ts = _JSON_TS.match
        has_code = _HAS_CODE.search
        general = _Outcome.GENERAL  # a local: an Enum member costs a class lookup per line
        found_type = _Found  # (final: its type is the test, without two global lookups and a call)
        digits_as_zero = DIGITS_AS_ZERO
        # Where the last time stamp of a line starting with the same bytes sat: in a log,
        # the next such line's nearly always sits there too, which a cheap test confirms.
        text_spans = self._text_spans
        json_spans = self._json_spans
        for number, line in enumerate(lines, first):
            stamp = b""
            if line[:1] == b"{":
                # Where the last time stamp was, the key is looked up at once: a line with the
                # same text on either side and only stamp characters between reads the same.
                # A line that starts like one without a stamp is looked up whole.
                start, end = json_spans.get(line[:_JSON_LEAD], _NO_SPAN)
                if end:
                    stamp = line[start:end]
                    cached = json_shapes.get((line[:start], line[end:]))
                    if cached is not None and stamp.translate(None, _JSON_STAMP_BYTES):
                        cached = None
                else:
                    cached = json_shapes.get(line)
                if cached is None:
                    stamp = b""
                    m = json_ts(line)
                    if m is None:
                        cached = json_shapes.get(line) or self._learn_json(line, None)
                    else:
                        start, end = json_spans[line[:_JSON_LEAD]] = m.span(1)
                        stamp = line[start:end]
                        cached = json_shapes.get((line[:start], line[end:])) or self._learn_json(line, (start, end))
            else:
                # Lines without an error come back with other numbers in them (times, ids,
                # amounts); none of the tests below tells one digit from another, so such a
                # line, digits zeroed, is remembered and later ones pass at once.
                masked = line.translate(digits_as_zero)
                if masked in quiet:
                    continue
                # A date-style stamp where the last line that starts alike had it, and the
                # text on either side the same as a line already read, digit places and all:
                # the time stamp pattern reads both alike (see _learn_text), so this line is
                # not read at all.  (The key fixes the stamp's end, the length of the text
                # after it; its start is the first digit, which the prefix's mask fixes.)
                start, end = text_spans.get(line[:_TEXT_LEAD], _NO_SPAN)
                known = dated.get((masked, line[end:])) if end else None
                if known is not None:
                    start, cached = known
                    stamp = line[start:end]
                else:
                    low = line.lower()
                    # find() rather than `in`: the same search, without the buffer protocol's cost.
                    if (
                        low.find(b"code") < 0
                        and low.find(b"msg") < 0
                        and low.find(b"binance") < 0
                        and not has_code(line)
                    ):
                        if line[:1] in (b" ", b"\t") and line.lstrip(b" \t")[:1] == b"{":
                            cached = text_shapes.get(line) or self._learn_text(line, None)
                        elif line.isascii() or _is_utf8(line):
                            # No trigger word and no JSON object: no error.  (Digits are
                            # ASCII, so the lines this mask stands for are UTF-8 alike.)
                            if len(quiet) >= SHAPE_LIMIT:
                                quiet.clear()
                            quiet.add(masked)
                            continue
                        else:
                            cached = BAD_UTF8
                    elif len(line) <= MAX_TEXT and (m := text_ts(line)) is not None:
                        start, end = text_spans[line[:_TEXT_LEAD]] = m.span(1)
                        stamp = line[start:end]
                        cached = text_shapes.get((masked, line[end:])) or self._learn_text(line, (start, end))
                    else:
                        cached = text_shapes.get(line) or self._learn_text(line, None)

            if cached is general:
                # A shape whose outcome depends on more than the shape: this line in full.
                cached = self._outcome(self._parse(line), stamped=False)
            if type(cached) is found_type:
                if records:
                    if cached.stamped:
                        emit((head_stamped % number, stamp, cached.rest))
                    else:
                        emit((head % number, b"", cached.rest))
                hit(cached)
                if summary:
                    when(stamp)
            elif isinstance(cached, str):
                stats.unreadable += 1
                stats.unreadable_reasons[cached] += 1
        if len(text_spans) > SHAPE_LIMIT or len(json_spans) > SHAPE_LIMIT:
            text_spans.clear()
            json_spans.clear()
        if summary:
            tally(stats, hits, stamps)
        return hits

    # -- the first line of a shape: the general reader, and what to remember of it --

    def _parse(self, line: bytes | str) -> LineError | str | None:
        """The line's error, None, or why it is unreadable (invalid UTF-8 among the reasons)."""
        if isinstance(line, bytes):
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                return BAD_UTF8
        else:
            text = line
        return self.parser.parse(text[:-1] if text.endswith("\r") else text)

    def _outcome(self, found: LineError | str | None, *, stamped: bool, twin: _Twin | None = None) -> _Cached:
        if found is None:
            return _Outcome.NO_ERROR
        if isinstance(found, str):
            return found
        # The line's own product (its request URL) first; the options' one otherwise.
        entry = self.normalized(found.code, found.msg, found.product or self.options.product, twin)
        # A stamped line's own time stamp comes first, between quotes (see _scan).
        opening = b'",' if stamped else _timestamp_member(found.timestamp)
        return _Found(opening + entry.fragment + _context(found) + b"}\n", stamped, found, entry, entry.match)

    def _learn_text(self, line: bytes, stamp: tuple[int, int] | None) -> _Cached:
        variant = self._digit_variant(_TEXT, line, stamp)
        found = variant.error if variant is not None else self._parse(line)
        if stamp is None:
            outcome = self._outcome(found, stamped=False, twin=variant.twin if variant is not None else None)
            self._note_message_place(_TEXT, line, stamp, found, outcome, variant)
            return _remember(self._text_shapes, line, outcome)
        start, end = stamp
        # find_error reads the rest of the line and reports the time stamp as it found
        # it, so every line of this shape has this outcome with its own stamp.
        if variant is not None:
            outcome = self._outcome(found, stamped=variant.stamped, twin=variant.twin)
        elif not isinstance(found, LineError):
            outcome = self._outcome(found, stamped=False)
        elif found.timestamp == line[start:end].decode("ascii"):
            outcome = self._outcome(found, stamped=True)
        else:
            outcome = _Outcome.GENERAL
        self._note_message_place(_TEXT, line, stamp, found, outcome, variant)
        # The key: the line with its digits zeroed, and the text after the stamp as it is;
        # together, the line with only the stamp's digits zeroed.  (_scan has the zeroed
        # line and its hash at hand from the test for quiet lines.)  Every test of the stamp
        # pattern is a digit test or a test for one non-digit character (but the leading 1
        # of an epoch stamp, which the bytes pattern found here), and the finder reads the
        # rest of the line, so every line with this key, whatever its stamp's digits, is
        # read as this one: the text pattern takes the same stamp as the bytes one (the
        # test above) or another, alike.  (Only the digit places: a stamp with a zone or
        # a fraction before the same text can be read otherwise, as with a tab before "Z".)
        # The prefix holds no digit (the pattern allows no word character before the stamp),
        # so in this key the first digit is where the stamp starts.
        key = (line.translate(DIGITS_AS_ZERO), line[end:])
        if line[start + 4 : start + 5] in _DATE_SEPARATORS:
            # A date (the pattern's first branch): the fast way to a line's shape, which
            # runs no pattern, holds these only.  (An epoch stamp must start with a 1.)
            _remember(self._dated_text_shapes, key, (start, outcome))
        return _remember(self._text_shapes, key, outcome)

    def _learn_json(self, line: bytes, stamp: tuple[int, int] | None) -> _Cached:
        outcome: _Cached
        variant = self._digit_variant(_JSON, line, stamp)
        if variant is not None:
            key = line if stamp is None else (line[: stamp[0]], line[stamp[1] :])
            outcome = self._outcome(variant.error, stamped=variant.stamped, twin=variant.twin)
            return _remember(self._json_shapes, key, outcome)
        found = self._parse(line)
        if stamp is None:
            outcome = self._outcome(found, stamped=False)
            self._note_message_place(_JSON, line, stamp, found, outcome, None)
            return _remember(self._json_shapes, line, outcome)
        start, end = stamp
        if found == BAD_UTF8:
            return _remember(self._json_shapes, (line[:start], line[end:]), found)
        # line[:start] is `{ "key" : "`: when --field or --url-field reads that key, the
        # value is more than a time stamp (one value may hold an error or a URL, the next
        # not), and no probe can tell: such lines are read in full.
        if line[:start].split(b'"', 2)[1] in self._keys_read:
            return _remember(self._json_shapes, (line[:start], line[end:]), _Outcome.GENERAL)
        # Read the line again with another time stamp: the outcome uses it as the
        # timestamp (the usual case), ignores it (another key wins), or depends on it in
        # a way no cache can: then such lines are read in full.
        text = line.decode("utf-8")
        probed = self._parse(text[:start] + _PROBE + text[end:])
        if isinstance(found, LineError) and found.timestamp == text[start:end]:
            same = probed == replace(found, timestamp=_PROBE)
            outcome = self._outcome(found, stamped=True) if same else _Outcome.GENERAL
        else:
            outcome = self._outcome(found, stamped=False) if probed == found else _Outcome.GENERAL
        self._note_message_place(_JSON, line, stamp, found, outcome, None)
        return _remember(self._json_shapes, (line[:start], line[end:]), outcome)

    # -- lines that differ from a line already read only in the digits of their message --
    #
    # An unknown message comes back with other ticket numbers, amounts and ids, and a
    # documented one with other values: each such line is a new shape, yet the reader
    # would find its error in the same place and read it the same way.  Where that is
    # certain (finder.digit_blind_span for text; for a JSON member, a string's digits
    # cannot change the object around it), the first line leaves the place of its
    # message, under the line with its digits zeroed; a later line with that mask and the
    # same bytes outside the message's digits takes the first line's reading with its own
    # message, which is then normalized as any message is.

    def _digit_variant(self, kind: int, line: bytes, stamp: tuple[int, int] | None) -> _Variant | None:
        """This line's reading, taken from an earlier line that differs from it only in the
        digits of its message; None when there is none."""
        cut, head, tail = _around_stamp(line, stamp)
        place = self._message_places.get((kind, cut, head, tail.translate(DIGITS_AS_ZERO)))
        if place is None:
            return None
        first, last = place
        known = self._digit_blind.get((kind, cut, head, first, last, _zeroed(tail, first, last)))
        if known is None:
            return None
        error, stamped = known.error, known.stamped
        timestamp = line[stamp[0] : stamp[1]].decode("ascii") if stamped and stamp is not None else error.timestamp
        message = tail[first:last].decode("utf-8")
        found = LineError(error.code, message, timestamp, error.context, error.product, error.msg_at)
        return _Variant(found, stamped, known.twin)

    def _note_message_place(
        self,
        kind: int,
        line: bytes,
        stamp: tuple[int, int] | None,
        found: LineError | str | None,
        outcome: _Cached,
        variant: _Variant | None,
    ) -> None:
        """Remembers where the message of ``line`` is, when its digit variants read alike."""
        if variant is not None or not isinstance(outcome, _Found) or not isinstance(found, LineError):
            return
        msg = found.msg
        if not msg or not has_digit(msg):
            return  # no digit to vary
        span: tuple[int, int] | None = None
        if found.msg_at == "line":
            text = line.decode("utf-8")
            if text.lstrip().startswith("{"):
                # JSON that did not decode, read as text: with other digits it may decode
                # (`"msg": 01` does not, `"msg": 11` does), and read otherwise.
                return
            span = digit_blind_span(text[:-1] if text.endswith("\r") else text, msg)
        elif found.msg_at is not None and b"\\" not in line and self.options.url_field is None:
            # Without a backslash a JSON string's bytes are its text: where the message's
            # bytes occur once, they are its own member's, or part of the text member the
            # finder read (the string around them).  (A request URL read from a member
            # could be the message's: the product could then depend on its digits.)
            if found.msg_at == "member":
                encoded = dumps(msg)
                at = line.find(encoded)
                if at >= 0 and line.find(encoded, at + 1) < 0:
                    span = (at + 1, at + len(encoded) - 1)
            else:
                encoded = msg.encode()
                at = line.find(encoded)
                if at >= 0 and line.find(encoded, at + 1) < 0:
                    opening = line.rfind(b'"', 0, at) + 1
                    closing = line.find(b'"', at + len(encoded))
                    member = line[opening:closing].decode("utf-8")
                    inner = digit_blind_span(member, msg) if opening and closing > 0 else None
                    # The member that holds the message must not be the time stamp too.
                    if inner is not None and member != found.timestamp:
                        span = (opening + inner[0], opening + inner[1])
        cut, head, tail = _around_stamp(line, stamp)
        if span is None or span[0] < cut:
            return
        first, last = span[0] - cut, span[1] - cut
        _remember(self._message_places, (kind, cut, head, tail.translate(DIGITS_AS_ZERO)), (first, last))
        reading = _Variant(found, outcome.stamped, self._twin(found, outcome))
        _remember(self._digit_blind, (kind, cut, head, first, last, _zeroed(tail, first, last)), reading)

    def _twin(self, found: LineError, outcome: _Found) -> _Twin | None:
        """``outcome``'s record, and its serialized form on either side of its message."""
        record = self._normalize(found.code, found.msg, found.product or self.options.product)
        fragment = outcome.normalized.fragment
        member = b'"message":' + dumps(found.msg)
        # The first such member is the message's: the code and the name come before it,
        # and neither can hold those bytes (a quote inside a JSON string is escaped).
        at = fragment.find(member)
        if not isinstance(record, ErrorRecord) or at < 0:
            return None
        opening = at + len(b'"message":')
        return _Twin(record, fragment[:opening], fragment[at + len(member) :], outcome.normalized)


def _around_stamp(line: bytes, stamp: tuple[int, int] | None) -> tuple[int, bytes, bytes]:
    """Where the rest of ``line`` starts after its time stamp, what comes before the stamp, and the rest."""
    if stamp is None:
        return 0, b"", line
    return stamp[1], line[: stamp[0]], line[stamp[1] :]


def _zeroed(text: bytes, first: int, last: int) -> bytes:
    """``text`` with the digits between ``first`` and ``last`` zeroed."""
    return text[:first] + text[first:last].translate(DIGITS_AS_ZERO) + text[last:]


def _remember(shapes: dict[_K, _T], key: _K, outcome: _T) -> _T:
    if len(shapes) >= SHAPE_LIMIT:
        shapes.clear()
    shapes[key] = outcome
    return outcome


def _timestamp_member(timestamp: str | None) -> bytes:
    return b',"timestamp":null,' if timestamp is None else b',"timestamp":' + dumps(timestamp) + b","


def _context(found: LineError) -> bytes:
    return b',"context":{}' if not found.context else b',"context":' + dumps(found.context)


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _opt_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


_worker: Worker | None = None


def init_process(options: Options) -> None:
    """Pool initializer: one worker (and one cache) per process."""
    global _worker  # noqa: PLW0603 - the per-process state of a pool worker
    # A forked helper has the collector as its parent set it; a spawned one needs this.
    collector.tune()
    _worker = Worker(options)


def current_worker() -> Worker:
    """This pool process's worker (see init_process)."""
    if _worker is None:
        raise RuntimeError("init_process was not called in this process")
    return _worker


def process_in_pool(block: Block, path: str) -> SpooledResult:
    return current_worker().process_spooled(block, path)

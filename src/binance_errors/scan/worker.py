"""The work done on one block of lines, in whichever process runs it.

A block goes in; its output records (JSON lines, as bytes) and its accounting come out.
The same function runs in-process for ``--jobs 1`` and in pool workers otherwise, so
both give the same bytes.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import regex

from binance_errors.extract import TRIGGER_CODE, TRIGGER_WORDS
from binance_errors.scan.inputs import Block
from binance_errors.scan.lines import BAD_UTF8, Code, LineError, LineParser
from binance_errors.scan.stats import GroupKey, Seen, Stats
from binance_errors.scan.times import instant

try:
    import orjson

    def dumps(value: object) -> bytes:
        return orjson.dumps(value)

except ImportError:  # orjson is an optional speed-up

    def dumps(value: object) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


CACHE_LIMIT = 200_000
"""Distinct (code, msg) pairs kept per worker; past it the cache starts afresh."""

_JSON_START = re.compile(rb"\n[ \t]*\{")
_SKELETON = regex.compile(r"'[^'\n]{0,200}'|\"[^\"\n]{0,200}\"|`[^`\n]{0,200}`|\d+(?:[.:]\d+)*")


def skeleton(message: str) -> str:
    """The shape of a message: quoted parts and numbers replaced, so that variants group."""
    return _SKELETON.sub(lambda m: "<n>" if m.group(0)[0].isdigit() else "<s>", message)


@dataclass(frozen=True, slots=True)
class Options:
    """What a worker needs to know, sent once to each process."""

    field: str | None = None
    summary: bool = False


@dataclass(frozen=True, slots=True)
class _Normalized:
    fragment: bytes
    """The record's JSON members, without braces, ready to splice into a line."""
    group: GroupKey
    skeleton: str | None


@dataclass(frozen=True, slots=True)
class BlockResult:
    source: str
    output: bytes
    stats: Stats


class Worker:
    """Parses and normalizes blocks; identical (code, msg) pairs are normalized once."""

    def __init__(self, options: Options, normalize: Callable[[Code, str | None], object] | None = None) -> None:
        if normalize is None:
            from binance_errors import normalize as default_normalize  # noqa: PLC0415 - heavy import, per process

            normalize = default_normalize
        self.options = options
        self.parser = LineParser(options.field)
        self._normalize = normalize
        self._cache: dict[tuple[Code, str | None], _Normalized] = {}

    def normalized(self, code: Code, msg: str | None) -> _Normalized:
        key = (code, msg)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        record = self._normalize(code, msg)
        as_dict: dict[str, object] = record.to_dict()  # type: ignore[attr-defined]
        fragment = dumps(as_dict)[1:-1]
        match = str(as_dict.get("match"))
        group: GroupKey = (
            _opt_int(as_dict.get("code")),
            _opt_str(as_dict.get("name")),
            _opt_str(as_dict.get("template_id")),
            _opt_str(as_dict.get("template")),
            _opt_str(as_dict.get("category")),
            _opt_str(as_dict.get("kind")),
            _opt_str(as_dict.get("subtype")),
            match,
        )
        shape: str | None = None
        if match == "unknown":
            given = as_dict.get("skeleton")
            shape = given if isinstance(given, str) else skeleton(str(as_dict.get("message") or ""))
        entry = _Normalized(fragment, group, shape)
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = entry
        return entry

    def process(self, block: Block) -> BlockResult:
        data = block.data
        stats = Stats()
        stats.read = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        bad = _bad_utf8_lines(data)
        starts = _candidate_lines(data)
        starts.update(bad)
        out: list[bytes] = []
        prefix = b'{"file":' + dumps(block.source) + b',"line":'
        summary = self.options.summary
        parse = self.parser.parse
        line_no = block.first_line
        previous = 0
        for start in sorted(starts):
            line_no += data.count(b"\n", previous, start)
            previous = start
            if start in bad:
                stats.unreadable += 1
                stats.unreadable_reasons[BAD_UTF8] += 1
                continue
            end = data.find(b"\n", start)
            line = data[start : end if end >= 0 else len(data)].decode("utf-8")
            found = parse(line[:-1] if line.endswith("\r") else line)
            if found is None:
                continue
            if isinstance(found, str):
                stats.unreadable += 1
                stats.unreadable_reasons[found] += 1
                continue
            stats.with_error += 1
            entry = self.normalized(found.code, found.msg)
            out.append(
                prefix
                + str(line_no).encode()
                + (
                    b',"timestamp":null,'
                    if found.timestamp is None
                    else b',"timestamp":' + dumps(found.timestamp) + b","
                )
                + entry.fragment
                + (b',"context":{}}\n' if not found.context else b',"context":' + dumps(found.context) + b"}\n")
            )
            stats.matches[entry.group[-1]] += 1
            if summary:
                _count(stats, entry, found)
        # Lines that no trigger word touched hold no error: they are counted, not visited.
        stats.without_error = stats.read - stats.with_error - stats.unreadable
        return BlockResult(block.source, b"".join(out), stats)


def _candidate_lines(data: bytes) -> set[int]:
    """Offsets of the lines that may hold an error: JSON objects and lines with a trigger.

    The search runs over the whole block in C (bytes.find, one regex), which is what
    keeps ordinary log lines nearly free.
    """
    low = data.lower()
    starts: set[int] = set()
    for word in TRIGGER_WORDS:
        hit = low.find(word)
        while hit >= 0:
            start = low.rfind(b"\n", 0, hit) + 1
            starts.add(start)
            end = low.find(b"\n", hit)
            if end < 0:
                break
            hit = low.find(word, end)
    position = 0
    while (m := TRIGGER_CODE.search(data, position)) is not None:
        starts.add(data.rfind(b"\n", 0, m.start()) + 1)
        end = data.find(b"\n", m.end())
        if end < 0:
            break
        position = end
    if data[:1] in (b"{", b" ", b"\t"):
        starts.add(0)
    starts.update(m.start() + 1 for m in _JSON_START.finditer(data))
    return starts


def _bad_utf8_lines(data: bytes) -> set[int]:
    """Offsets of the lines that are not valid UTF-8 (almost always none)."""
    if data.isascii():
        return set()
    bad: set[int] = set()
    view = memoryview(data)
    position = 0
    while position < len(data):
        try:
            codecs.utf_8_decode(view[position:], "strict", True)
            break
        except UnicodeDecodeError as exc:
            where = position + exc.start
            start = data.rfind(b"\n", 0, where) + 1
            bad.add(start)
            end = data.find(b"\n", where)
            if end < 0:
                break
            position = end + 1
    return bad


def _count(stats: Stats, entry: _Normalized, found: LineError) -> None:
    moment = instant(found.timestamp)
    group = stats.groups.get(entry.group)
    if group is None:
        group = stats.groups[entry.group] = Seen()
    group.add(moment)
    stats.overall.add(moment)
    if entry.skeleton is not None:
        seen = stats.unknown.get(entry.skeleton)
        if seen is None:
            seen = stats.unknown[entry.skeleton] = Seen(example=found.msg)
        seen.add(moment)


def _opt_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


_worker: Worker | None = None


def init_process(options: Options) -> None:
    """Pool initializer: one worker (and one cache) per process."""
    global _worker  # noqa: PLW0603 - the per-process state of a pool worker
    _worker = Worker(options)


def process_in_pool(block: Block) -> BlockResult:
    if _worker is None:
        raise RuntimeError("init_process was not called in this process")
    return _worker.process(block)

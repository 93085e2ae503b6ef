"""Inputs of a scan: which files, how to open them, and their bytes in blocks of whole lines."""

from __future__ import annotations

import bz2
import glob
import gzip
import importlib
import io
import lzma
import os
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

STDIN = "-"
BLOCK_SIZE = 1 << 18
"""Bytes handed to a worker at a time (rounded to whole lines).  A block, its lines and its
output then stay in a core's cache while they are worked on: one job scanned the benchmark
log about 5% faster than with 1 MiB blocks, in 14 MB less, and two jobs as fast."""
SUMMARY_BLOCK_SIZE = 1 << 21
"""The same with ``--summary``, whose account of a block costs as many steps as the block has
groups and skeletons (each one's first and last time): fewer, larger blocks pay.  Medians of
6 to 8 runs taking turns, one job, the benchmark log: 2.78 s at 256 KiB, 2.13 s at 1 MiB,
1.79 s at 2 MiB, 1.74 s at 4 MiB (for 13 MB more than 2 MiB)."""
MAX_LINE_BYTES = 1 << 20
"""A longer line keeps its first bytes only, so memory stays bounded on any input."""

_MAGIC = {
    b"\x1f\x8b": "gz",
    b"BZh": "bz2",
    b"\xfd7zXZ\x00": "xz",
    b"\x28\xb5\x2f\xfd": "zst",
}
_EXTENSIONS = {".gz": "gz", ".gzip": "gz", ".bz2": "bz2", ".xz": "xz", ".lzma": "xz", ".zst": "zst", ".zstd": "zst"}


class DecodedStream(Protocol):
    """What is read from: a file as is, or a decompressor over it."""

    def read1(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


class InputError(Exception):
    """A file that cannot be read; the scan reports it and goes on."""


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a path, or standard input."""

    path: str

    @property
    def name(self) -> str:
        return "<stdin>" if self.path == STDIN else self.path

    def size(self) -> int | None:
        if self.path == STDIN:
            return None
        try:
            return os.path.getsize(self.path)
        except OSError:
            return None


@dataclass(frozen=True, slots=True)
class Block:
    """Whole lines of one source; ``first_line`` is the 1-based number of the first."""

    source: str
    first_line: int
    data: bytes


@dataclass(frozen=True, slots=True)
class SourceFailure:
    """A source that could not be read to its end (missing, corrupt, unsupported)."""

    source: str
    reason: str
    partial_line: bool = False
    """A line was cut by the failure: it is counted as read and unreadable."""


def expand(paths: list[str]) -> tuple[list[Source], list[SourceFailure]]:
    """Files named by ``paths``: files as given, folders recursively, glob patterns, ``-``.

    Hidden files and folders below a given folder are skipped; the order is the
    order of ``paths``, sorted by name inside folders and globs, so that every run
    (and every ``--jobs``) sees the same sequence.
    """
    sources: list[Source] = []
    failures: list[SourceFailure] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        if path not in seen:
            seen.add(path)
            sources.append(Source(path))

    for path in paths:
        if path == STDIN:
            add(STDIN)
        elif os.path.isdir(path):
            for found in sorted(_walk(Path(path))):
                add(found)
        elif os.path.exists(path):
            add(path)
        elif glob.has_magic(path):
            matches = sorted(m for m in glob.glob(path, recursive=True))
            files = [m for m in matches if os.path.isfile(m)]
            for m in matches:
                if os.path.isdir(m):
                    files.extend(_walk(Path(m)))
            if not files:
                failures.append(SourceFailure(path, "no file matches this pattern"))
            for found in sorted(set(files)):
                add(found)
        else:
            failures.append(SourceFailure(path, "no such file or folder"))
    return sources, failures


def _walk(root: Path) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for filename in filenames:
            if not filename.startswith("."):
                yield os.path.join(dirpath, filename)


def compression_of(path: str, head: bytes) -> str | None:
    """The codec of a file: its extension when it names one, else its first bytes."""
    suffix = Path(path).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    for magic, codec in _MAGIC.items():
        if head.startswith(magic):
            return codec
    return None


def _zstd_reader(raw: io.BufferedReader) -> DecodedStream:
    try:
        zstandard = importlib.import_module("zstandard")
    except ImportError as exc:
        raise InputError(
            "reading .zst needs the optional 'zstandard' package: pip install 'binance-errors[zstd]'"
        ) from exc
    reader: DecodedStream = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
    return reader


def open_source(source: Source) -> tuple[DecodedStream, io.BufferedReader]:
    """(decoded stream, underlying raw stream), the raw one to measure progress."""
    if source.path == STDIN:
        raw = cast(io.BufferedReader, sys.stdin.buffer)
    else:
        try:
            raw = open(source.path, "rb")  # noqa: SIM115 - closed by read_blocks
        except OSError as exc:
            raise InputError(exc.strerror or str(exc)) from exc
    head = raw.peek(8)[:8] if hasattr(raw, "peek") else b""
    codec = compression_of(source.path, head)
    try:
        if codec == "gz":
            return gzip.GzipFile(fileobj=raw, mode="rb"), raw
        if codec == "bz2":
            return bz2.BZ2File(raw, mode="rb"), raw
        if codec == "xz":
            return lzma.LZMAFile(raw, mode="rb"), raw
        if codec == "zst":
            return _zstd_reader(raw), raw
    except InputError:
        raw.close()
        raise
    return raw, raw


def _decode_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OSError, EOFError, zlib.error, lzma.LZMAError, ValueError]
    zstandard = sys.modules.get("zstandard")
    if zstandard is not None:
        errors.append(zstandard.ZstdError)
    return tuple(errors)


def read_blocks(
    source: Source, block_size: int = BLOCK_SIZE, progress: ProgressSink | None = None, *, numbered: bool = True
) -> Iterator[Block | SourceFailure]:
    """Blocks of whole lines from ``source``; a ``SourceFailure`` ends it when it breaks.

    Lines before a corrupt spot are delivered; the line being read when the stream
    broke is reported through ``SourceFailure.partial_line``.  ``numbered=False``: every
    block's ``first_line`` is 0, for a reader that takes the blocks in turn and numbers
    them itself from the lines it split each into (see `Worker.scan_source`); counting
    the newlines of every block here costs 1% of a scan otherwise.
    """
    try:
        stream, raw = open_source(source)
    except InputError as exc:
        yield SourceFailure(source.name, str(exc))
        return
    line_no = 1
    carry = b""
    oversized = False
    failure: SourceFailure | None = None
    try:
        while failure is None:
            chunk, reason = _read_chunk(stream, block_size)
            if reason is not None:
                failure = SourceFailure(source.name, reason)
            if not chunk:
                break
            if progress is not None:
                progress.advance(_position(raw))
            if oversized:
                # Still inside a line that went past MAX_LINE_BYTES: drop until its end.
                end = chunk.find(b"\n")
                if end < 0:
                    continue
                chunk = chunk[end + 1 :]
                oversized = False
            cut = chunk.rfind(b"\n")
            if cut < 0:
                carry += chunk
                if len(carry) > MAX_LINE_BYTES:
                    block = Block(source.name, line_no if numbered else 0, carry[:MAX_LINE_BYTES] + b"\n")
                    line_no += 1
                    carry, oversized = b"", True
                    yield block
                continue
            # One copy of the block's bytes (a slice of a concatenation would be two).
            data = b"".join((carry, memoryview(chunk)[: cut + 1]))
            carry = chunk[cut + 1 :]
            block = Block(source.name, line_no if numbered else 0, data)
            if numbered:
                # Newlines counted by deleting them: that runs on memchr, three times as fast
                # as count(), which tests byte by byte (and this runs in the main process).
                line_no += len(data) - len(data.replace(b"\n", b""))
            yield block
        if failure is not None:
            yield SourceFailure(failure.source, failure.reason, partial_line=bool(carry) or oversized)
        elif carry:
            yield Block(source.name, line_no if numbered else 0, carry)
    finally:
        if source.path != STDIN:
            stream.close()
            raw.close()


def _read_chunk(stream: DecodedStream, block_size: int) -> tuple[bytes, str | None]:
    """About ``block_size`` decoded bytes, and why the stream broke if it did.

    read1 hands over what one step of the decompressor produced, so a stream that
    breaks loses nothing that was decoded before the break.
    """
    pieces: list[bytes] = []
    size = 0
    while size < block_size:
        try:
            piece = stream.read1(block_size - size)
        except _decode_errors() as exc:
            return b"".join(pieces), _describe(exc)
        if not piece:
            break
        pieces.append(piece)
        size += len(piece)
    return b"".join(pieces), None


class ProgressSink:
    """Where ``read_blocks`` reports how far into the raw input it is."""

    def advance(self, position: int | None) -> None:
        """``position``: bytes of the current raw file consumed so far, when known."""


def _position(raw: io.BufferedReader) -> int | None:
    try:
        return raw.tell()
    except (OSError, ValueError):
        return None


def _describe(exc: BaseException) -> str:
    kind = type(exc).__name__
    text = str(exc) or "stream ended early"
    return f"corrupt or truncated compressed stream ({kind}: {text})"

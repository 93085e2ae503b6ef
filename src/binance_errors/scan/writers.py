"""Where the records of a scan go: JSON lines, CSV or Parquet.

Workers hand over JSON lines; the CSV and Parquet writers read them back into rows,
which keeps one serialization path and one field order for every format.
"""

from __future__ import annotations

import csv
import errno
import importlib
import json
import os
from abc import ABC, abstractmethod
from pathlib import Path
from types import ModuleType
from typing import BinaryIO, Protocol, TextIO

from binance_errors.scan.lines import loads

FORMATS = ("jsonl", "csv", "parquet")
_BY_SUFFIX = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet"}
_INT_COLUMNS = frozenset({"line", "code", "template_code"})
_FLOAT_COLUMNS = frozenset({"confidence"})
_BOOL_COLUMNS = frozenset({"retryable", "execution_unknown"})


class OutputError(Exception):
    """The output cannot be written as asked (unknown format, missing optional package)."""


class Writer(Protocol):
    def write(self, jsonl: bytes) -> None: ...

    def write_file(self, path: str) -> None:
        """``write`` of the JSON lines that the file at ``path`` holds."""
        ...

    def close(self) -> None: ...


# The errors by which os.sendfile says it cannot write to this kind of file (macOS sends
# to sockets only): the bytes then go through Python.
_NO_SENDFILE = frozenset({errno.EINVAL, errno.ENOSYS, errno.ENOTSOCK, errno.EOPNOTSUPP, errno.ENOTSUP})


def format_for(path: str, explicit: str | None = None) -> str:
    if explicit is not None:
        return explicit
    suffix = Path(path).suffix.lower()
    if suffix not in _BY_SUFFIX:
        raise OutputError(f"cannot tell the output format of {path!r}: use .jsonl, .csv or .parquet")
    return _BY_SUFFIX[suffix]


def open_writer(path: str | None, fmt: str | None, stdout: BinaryIO, columns: list[str]) -> Writer:
    """The writer for ``path`` (standard output when ``None``), checked before any work starts.

    ``columns`` are the fields of an output record, for the header of a table that
    may end up without a single row.
    """
    if path is None:
        if fmt not in (None, "jsonl"):
            raise OutputError(f"{fmt} output needs --output PATH")
        return JsonlWriter(stdout, owned=False)
    kind = format_for(path, fmt)
    if kind == "parquet":
        return ParquetWriter(path, _pyarrow(), columns)
    try:
        if kind == "csv":
            return CsvWriter(open(path, "w", encoding="utf-8", newline=""), columns)
        return JsonlWriter(open(path, "wb"), owned=True)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc


class JsonlWriter:
    def __init__(self, stream: BinaryIO, *, owned: bool) -> None:
        self.stream = stream
        self.owned = owned

    def write(self, jsonl: bytes) -> None:
        self.stream.write(jsonl)

    def write_file(self, path: str) -> None:
        with open(path, "rb") as source:
            size = os.fstat(source.fileno()).st_size
            sent = 0
            try:
                target = self.stream.fileno()
            except OSError:  # io.UnsupportedOperation among them: a stream without a descriptor
                target = -1
            if target >= 0:
                # After what the stream holds; then from file to file in the kernel.
                self.stream.flush()
                sent = _send(target, source.fileno(), size)
            if sent < size:
                source.seek(sent)
                self.stream.write(source.read())

    def close(self) -> None:
        if self.owned:
            self.stream.close()
        else:
            self.stream.flush()


def _send(target: int, source: int, size: int) -> int:
    """Bytes of ``source`` sent to ``target`` by os.sendfile: ``size``, or fewer where it cannot."""
    sent = 0
    while sent < size:
        try:
            count = os.sendfile(target, source, sent, size - sent)
        except OSError as exc:
            if exc.errno in _NO_SENDFILE:
                return sent
            raise
        if count == 0:
            return sent  # the file is shorter than it was
        sent += count
    return sent


class _FromFile(ABC):
    """``write_file`` for writers that read the lines back into rows anyway."""

    @abstractmethod
    def write(self, jsonl: bytes) -> None: ...

    def write_file(self, path: str) -> None:
        self.write(Path(path).read_bytes())


def _rows(jsonl: bytes) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for line in jsonl.splitlines():
        row = loads(line)
        if isinstance(row, dict):
            rows.append(row)
    return rows


def _cell(value: object) -> object:
    # Nested values (raw_args, args, context) become JSON text in a flat table.
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


class CsvWriter(_FromFile):
    def __init__(self, stream: TextIO, columns: list[str]) -> None:
        self.stream = stream
        self.writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
        self.writer.writeheader()

    def write(self, jsonl: bytes) -> None:
        for row in _rows(jsonl):
            self.writer.writerow({key: _cell(value) for key, value in row.items()})

    def close(self) -> None:
        self.stream.close()


def _pyarrow() -> tuple[ModuleType, ModuleType]:
    try:
        return importlib.import_module("pyarrow"), importlib.import_module("pyarrow.parquet")
    except ImportError as exc:
        raise OutputError(
            "Parquet output needs the optional 'pyarrow' package: pip install 'binance-errors[parquet]'"
        ) from exc


class ParquetWriter(_FromFile):
    """Writes one row group per block, so memory stays bounded."""

    def __init__(self, path: str, modules: tuple[ModuleType, ModuleType], columns: list[str]) -> None:
        self.pa, self.pq = modules
        self.columns = columns
        pa = self.pa
        self.schema = pa.schema([pa.field(name, _arrow_type(pa, name)) for name in columns])
        try:
            self.writer = self.pq.ParquetWriter(path, self.schema)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc}") from exc

    def write(self, jsonl: bytes) -> None:
        rows = _rows(jsonl)
        if not rows:
            return
        arrays: dict[str, list[object]] = {}
        for name in self.columns:
            values = [row.get(name) for row in rows]
            if name in _INT_COLUMNS:
                arrays[name] = [v if isinstance(v, int) and not isinstance(v, bool) else None for v in values]
            elif name in _FLOAT_COLUMNS:
                arrays[name] = [_number(v) for v in values]
            elif name in _BOOL_COLUMNS:
                arrays[name] = [v if isinstance(v, bool) else None for v in values]
            else:
                arrays[name] = [None if v is None else v if isinstance(v, str) else _text(v) for v in values]
        self.writer.write_table(self.pa.table(arrays, schema=self.schema))

    def close(self) -> None:
        self.writer.close()


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _arrow_type(pa: ModuleType, name: str) -> object:
    if name in _INT_COLUMNS:
        return pa.int64()
    if name in _FLOAT_COLUMNS:
        return pa.float64()
    if name in _BOOL_COLUMNS:
        return pa.bool_()
    return pa.string()


def _text(value: object) -> str:
    cell = _cell(value)
    return cell if isinstance(cell, str) else json.dumps(cell)

"""Writers take a block's lines as bytes or as a file (a helper's spooled output), alike."""

from __future__ import annotations

import csv
import errno
import io
import os
from pathlib import Path

import pytest

from binance_errors.scan.writers import CsvWriter, JsonlWriter

LINES = b'{"file":"a","line":1,"code":-1121}\n{"file":"a","line":2,"code":-1013}\n'


def _spooled(tmp_path: Path, data: bytes = LINES) -> str:
    path = tmp_path / "block.jsonl"
    path.write_bytes(data)
    return str(path)


def test_a_file_goes_out_in_its_place_between_written_bytes(tmp_path: Path) -> None:
    # A real file: os.sendfile copies it after what the stream's buffer held.
    target = tmp_path / "out.jsonl"
    with open(target, "wb") as stream:
        writer = JsonlWriter(stream, owned=False)
        writer.write(b"before\n")
        writer.write_file(_spooled(tmp_path))
        writer.write(b"after\n")
        writer.close()
    assert target.read_bytes() == b"before\n" + LINES + b"after\n"


def test_a_stream_without_a_descriptor_gets_the_bytes(tmp_path: Path) -> None:
    out = io.BytesIO()
    writer = JsonlWriter(out, owned=False)
    writer.write(b"before\n")
    writer.write_file(_spooled(tmp_path))
    assert out.getvalue() == b"before\n" + LINES


def test_where_sendfile_cannot_write_the_rest_goes_through_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real_sendfile = os.sendfile

    def partly(target: int, source: int, offset: int, count: int) -> int:
        # The first call sends 10 bytes; the next says this kind of file takes none.
        calls.append(offset)
        if len(calls) > 1:
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_sendfile(target, source, offset, 10)

    monkeypatch.setattr(os, "sendfile", partly)
    target = tmp_path / "out.jsonl"
    with open(target, "wb") as stream:
        JsonlWriter(stream, owned=False).write_file(_spooled(tmp_path))
    assert calls == [0, 10]
    assert target.read_bytes() == LINES


def test_a_closed_pipe_is_not_taken_for_a_file_sendfile_cannot_write(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    with open(write_end, "wb") as stream, pytest.raises(BrokenPipeError):
        JsonlWriter(stream, owned=False).write_file(_spooled(tmp_path))


def test_a_pipe_gets_the_file(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    with open(write_end, "wb") as stream:
        JsonlWriter(stream, owned=False).write_file(_spooled(tmp_path))
    with open(read_end, "rb") as received:
        assert received.read() == LINES


def test_a_table_writer_reads_the_file_into_rows(tmp_path: Path) -> None:
    columns = ["file", "line", "code"]
    from_bytes, from_file = tmp_path / "bytes.csv", tmp_path / "file.csv"
    for target, feed in ((from_bytes, "bytes"), (from_file, "file")):
        with open(target, "w", encoding="utf-8", newline="") as stream:
            writer = CsvWriter(stream, columns)
            if feed == "bytes":
                writer.write(LINES)
            else:
                writer.write_file(_spooled(tmp_path))
    assert from_file.read_bytes() == from_bytes.read_bytes()
    with open(from_file, encoding="utf-8", newline="") as rows:
        assert [row["code"] for row in csv.DictReader(rows)] == ["-1121", "-1013"]


def test_an_output_opened_to_append_gets_the_file_after_what_it_held(tmp_path: Path) -> None:
    # sendfile may refuse a descriptor opened with O_APPEND (EINVAL): either way, in order.
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"old\n")
    with open(target, "ab") as stream:
        writer = JsonlWriter(stream, owned=False)
        writer.write(b"before\n")
        writer.write_file(_spooled(tmp_path))
        writer.write(b"after\n")
    assert target.read_bytes() == b"old\nbefore\n" + LINES + b"after\n"

"""Helpers' output goes through files that last one scan: in memory where it can, and none left behind."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

import pytest

from binance_errors.scan import spool
from binance_errors.scan.inputs import Source
from binance_errors.scan.progress import Progress
from binance_errors.scan.runner import run
from binance_errors.scan.worker import Options
from binance_errors.scan.writers import JsonlWriter

from .conftest import SAMPLE


def test_the_directory_lives_in_shared_memory_for_one_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spool, "SHARED_MEMORY", tmp_path)
    with spool.opened() as files:
        assert Path(files.folder).parent == tmp_path
        spool.write(files.take(), b"lines\n")
    assert list(tmp_path.iterdir()) == []  # removed, with what was left in it


def test_without_shared_memory_the_directory_is_a_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spool, "SHARED_MEMORY", tmp_path / "missing")
    with spool.opened() as files:
        assert Path(files.folder).parent == Path(tempfile.gettempdir())


def test_a_path_is_held_by_one_block_until_it_is_given_back(tmp_path: Path) -> None:
    files = spool.Spool(str(tmp_path))
    first, second = files.take(), files.take()
    assert first != second
    assert Path(first).parent == tmp_path
    files.give_back(first)
    assert files.take() == first
    assert files.take() not in (first, second)


def test_a_file_written_again_holds_only_the_new_bytes(tmp_path: Path) -> None:
    path = str(tmp_path / "0.jsonl")
    spool.write(path, b"a longer output\n")
    spool.write(path, b"short\n")
    assert Path(path).read_bytes() == b"short\n"


def _scan(jobs: int, stream: io.BufferedIOBase | io.BytesIO) -> None:
    run(
        [Source(str(SAMPLE))],
        Options(),
        JsonlWriter(stream, owned=False),  # type: ignore[arg-type]
        Progress(sys.stderr, None, enabled=False),
        jobs=jobs,
        block_size=4_096,
    )


def test_helpers_output_reaches_a_real_file_as_one_job_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "shm"
    home.mkdir()
    monkeypatch.setattr(spool, "SHARED_MEMORY", home)
    sent: list[int] = []
    real_sendfile = os.sendfile

    def counted(target: int, source: int, offset: int, count: int) -> int:
        sent.append(count)
        return real_sendfile(target, source, offset, count)

    monkeypatch.setattr(os, "sendfile", counted)
    one = io.BytesIO()
    _scan(1, one)
    target = tmp_path / "records.jsonl"
    with open(target, "wb") as stream:  # a descriptor: the helpers' files go by os.sendfile
        _scan(3, stream)
    assert target.read_bytes() == one.getvalue()
    assert sent  # the helpers' blocks went by os.sendfile
    assert one.getvalue().count(b"\n") > 2000
    assert list(home.iterdir()) == []


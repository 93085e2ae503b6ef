"""Inputs: compressions, corrupt streams, folders, globs, standard input, long lines."""

from __future__ import annotations

import bz2
import gzip
import lzma
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from binance_errors.scan.inputs import MAX_LINE_BYTES, Block, Source, SourceFailure, expand, read_blocks

from .conftest import LINES, Scan

DATA = b"\n".join(LINES) + b"\n"


def _zstd(data: bytes) -> bytes:
    zstandard = pytest.importorskip("zstandard")
    compressed: bytes = zstandard.ZstdCompressor().compress(data)
    return compressed


COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
    ".zst": _zstd,
}


@pytest.mark.parametrize("suffix", list(COMPRESSORS))
def test_every_compression_gives_the_records_of_the_plain_file(
    scan: Scan, plain_log: Path, tmp_path: Path, suffix: str
) -> None:
    packed = tmp_path / f"app.log{suffix}"
    packed.write_bytes(COMPRESSORS[suffix](DATA))
    plain, compressed = scan(str(plain_log)), scan(str(packed))
    assert [r | {"file": "-"} for r in compressed.records] == [r | {"file": "-"} for r in plain.records]
    assert len(plain.records) == 5
    assert compressed.records[0]["file"] == str(packed)


def test_compression_is_recognized_by_its_first_bytes(scan: Scan, tmp_path: Path) -> None:
    disguised = tmp_path / "rotated.log.1"
    disguised.write_bytes(gzip.compress(DATA))
    assert len(scan(str(disguised)).records) == 5


def test_corrupt_stream_is_reported_and_the_scan_goes_on(scan: Scan, tmp_path: Path) -> None:
    good = gzip.compress(DATA * 50)
    broken = tmp_path / "a-broken.log.gz"
    broken.write_bytes(good[: len(good) // 2])  # cut in the middle
    garbage = tmp_path / "b-garbage.log.xz"
    garbage.write_bytes(b"\xfd7zXZ\x00" + b"\x13" * 500)
    fine = tmp_path / "c-fine.log.bz2"
    fine.write_bytes(bz2.compress(DATA))
    result = scan(str(tmp_path))
    assert result.status == 1
    assert f"{broken}: corrupt or truncated compressed stream" in result.err
    assert f"{garbage}: corrupt or truncated compressed stream" in result.err
    files = {r["file"] for r in result.records}
    assert str(fine) in files  # the scan went on past both
    assert str(broken) in files  # what was readable before the cut was scanned


def test_missing_zstandard_gives_a_clear_message(scan: Scan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "app.log.zst"
    path.write_bytes(b"\x28\xb5\x2f\xfd" + b"\x00" * 20)
    monkeypatch.setitem(sys.modules, "zstandard", None)  # makes the import fail
    result = scan(str(path))
    assert result.status == 1
    assert "optional 'zstandard' package" in result.err


def test_folders_recurse_and_skip_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for name in ("a/1.log", "a/b/2.log.gz", ".hidden/3.log", "a/.4.log", "0.log"):
        (tmp_path / name).write_bytes(b"x\n")
    sources, failures = expand([str(tmp_path)])
    assert [Path(s.path).relative_to(tmp_path).as_posix() for s in sources] == ["0.log", "a/1.log", "a/b/2.log.gz"]
    assert failures == []


def test_globs_and_missing_paths(tmp_path: Path) -> None:
    for name in ("x-1.log", "x-2.log", "y.log"):
        (tmp_path / name).write_bytes(b"x\n")
    sources, failures = expand([str(tmp_path / "x-*.log"), str(tmp_path / "nope.log"), str(tmp_path / "z*")])
    assert [Path(s.path).name for s in sources] == ["x-1.log", "x-2.log"]
    assert [f.reason for f in failures] == ["no such file or folder", "no file matches this pattern"]


def test_missing_path_makes_the_exit_status_non_zero(scan: Scan, plain_log: Path, tmp_path: Path) -> None:
    result = scan(str(plain_log), str(tmp_path / "nope.log"))
    assert result.status == 1
    assert "nope.log: no such file or folder" in result.err
    assert len(result.records) == 5


def test_standard_input(scan: Scan) -> None:
    result = scan("-", stdin=DATA)
    assert [r["line"] for r in result.records] == [1, 2, 4, 5, 10]
    assert {r["file"] for r in result.records} == {"<stdin>"}
    gz = scan(stdin=gzip.compress(DATA))  # no path at all reads standard input
    assert [r["line"] for r in gz.records] == [1, 2, 4, 5, 10]


def test_blocks_hold_whole_lines_and_number_them(tmp_path: Path) -> None:
    path = tmp_path / "many.log"
    path.write_bytes(b"".join(b"line %d\n" % i for i in range(1, 2001)) + b"last without newline")
    items = list(read_blocks(Source(str(path)), block_size=1000))
    blocks = [b for b in items if isinstance(b, Block)]
    assert all(b.data.endswith(b"\n") for b in blocks[:-1])
    assert b"".join(b.data for b in blocks) == path.read_bytes()
    for block in blocks:
        assert block.data.startswith(b"line %d\n" % block.first_line) or block.data.startswith(b"last")


def test_an_endless_line_is_cut_and_memory_stays_bounded(tmp_path: Path) -> None:
    path = tmp_path / "long.log"
    path.write_bytes(b"a" * (3 * MAX_LINE_BYTES) + b"\nnext\n")
    blocks = [b for b in read_blocks(Source(str(path)), block_size=1 << 16) if isinstance(b, Block)]
    assert max(len(b.data) for b in blocks) <= MAX_LINE_BYTES + 1
    assert blocks[-1].data == b"next\n" and blocks[-1].first_line == 2


def test_cut_stream_reports_the_partial_line(tmp_path: Path) -> None:
    good = gzip.compress(b"".join(b"line %d\n" % i for i in range(50_000)))
    path = tmp_path / "cut.gz"
    path.write_bytes(good[: len(good) - 100])
    items = list(read_blocks(Source(str(path))))
    assert isinstance(items[-1], SourceFailure)
    assert items[-1].source == str(path)

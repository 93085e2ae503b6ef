"""The whole scan: accounting, --jobs equivalence, outputs, summary and exit status."""

from __future__ import annotations

import csv
import gc
import gzip
import io
import json
import sys
from pathlib import Path
from typing import cast

import pytest

from binance_errors import normalize
from binance_errors.cli import main
from binance_errors.scan import runner
from binance_errors.scan.inputs import BLOCK_SIZE, SUMMARY_BLOCK_SIZE, Block, Source, read_blocks
from binance_errors.scan.lines import LineError, LineParser
from binance_errors.scan.progress import Progress
from binance_errors.scan.runner import run
from binance_errors.scan.stats import Stats
from binance_errors.scan.summary import render
from binance_errors.scan.whole_files import whole_files_pay
from binance_errors.scan.worker import Options, Worker
from binance_errors.scan.writers import JsonlWriter

from .conftest import SAMPLE, Scan


def test_every_line_is_accounted_for(scan: Scan, plain_log: Path) -> None:
    result = scan(str(plain_log))
    assert result.status == 1  # two lines were unreadable
    assert "10 lines read = 5 with an error + 3 without + 2 unreadable" in result.err
    assert [r["line"] for r in result.records] == [1, 2, 4, 5, 10]
    first = result.records[1]
    assert (first["code"], first["message"], first["timestamp"]) == (-1121, "Invalid symbol.", "2024-01-02 03:04:05")
    assert result.records[3]["context"] == {"http_status": "400"}


def test_clean_input_exits_zero(scan: Scan, tmp_path: Path) -> None:
    path = tmp_path / "ok.log"
    path.write_text('hello\n{"code":-1121,"msg":"Invalid symbol."}\n')
    assert scan(str(path)).status == 0


def test_the_gate_misses_no_line_of_the_sample() -> None:
    # Reference: parse every line one by one, without the block-level trigger search.
    parser = LineParser()
    expected: list[int] = []
    unreadable = 0
    for number, raw in enumerate(gzip.decompress(SAMPLE.read_bytes()).split(b"\n")[:-1], 1):
        try:
            found = parser.parse(raw.decode("utf-8"))
        except UnicodeDecodeError:
            unreadable += 1
            continue
        if isinstance(found, LineError):
            expected.append(number)
        elif isinstance(found, str):
            unreadable += 1
    worker = Worker(Options())
    got: list[int] = []
    total_unreadable = 0
    for block in read_blocks(Source(str(SAMPLE)), block_size=8192):
        assert not isinstance(block, type(None))
        result = worker.process(block)  # type: ignore[arg-type]
        got += [json.loads(line)["line"] for line in result.output.splitlines()]
        total_unreadable += result.stats.unreadable
        assert result.stats.balanced
    assert got == expected
    assert total_unreadable == unreadable


def _run(paths: list[str], jobs: int, block_size: int, summary: bool = True, records: bool = True) -> tuple[bytes, str]:
    out = io.BytesIO()
    progress = Progress(sys.stderr, None, enabled=False)
    stats = run(
        [Source(p) for p in paths],
        Options(summary=summary, records=records),
        JsonlWriter(out, owned=False),
        progress,
        jobs=jobs,
        block_size=block_size,
    )
    return out.getvalue(), render(stats)


def test_jobs_give_identical_results(tmp_path: Path, plain_log: Path) -> None:
    broken = tmp_path / "broken.gz"
    broken.write_bytes(SAMPLE.read_bytes()[:30_000])
    paths = [str(SAMPLE), str(plain_log), str(broken), str(SAMPLE.with_name("nope"))]
    one = _run(paths, jobs=1, block_size=16_384)
    two = _run(paths, jobs=2, block_size=16_384)
    three = _run(paths, jobs=3, block_size=4_096)
    assert one == two == three
    assert one[0].count(b"\n") > 2000
    # --summary alone: no records are built, and the account is the same.
    for jobs in (1, 2):
        assert _run(paths, jobs=jobs, block_size=16_384, records=False) == (b"", one[1])
    # A failure before the first block (which the main process reads before the others fork).
    first_fails = [str(SAMPLE.with_name("nope")), str(broken), str(SAMPLE)]
    assert _run(first_fails, jobs=1, block_size=16_384) == _run(first_fails, jobs=2, block_size=16_384)


def test_every_record_names_its_own_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # --jobs 1 numbers blocks from the lines it split them into, the others as they are
    # read: both give each record the number of the line it came from, past a line cut
    # for its length, a file without a final newline and a stream that breaks.
    monkeypatch.setattr("binance_errors.scan.inputs.MAX_LINE_BYTES", 3_000)
    error = '{"code":-1121,"msg":"Invalid symbol."}'
    lines = [error if number % 7 == 0 else f"2024-01-02 03:04:05 INFO tick {number}" for number in range(1, 900)]
    lines[100] = "x" * 10_000 + error
    unfinished = tmp_path / "unfinished.log"
    unfinished.write_text("\n".join(lines))
    cut = tmp_path / "cut.log.gz"
    cut.write_bytes(gzip.compress("\n".join(lines).encode())[:4_000])
    paths = [str(unfinished), str(cut), str(unfinished)]
    one = _run(paths, jobs=1, block_size=2_048, summary=False)
    assert one == _run(paths, jobs=2, block_size=2_048, summary=False)
    records = [json.loads(line) for line in one[0].splitlines()]
    # (The long line keeps its first 3,000 bytes only, without the error.)
    expected = [number for number, line in enumerate(lines, 1) if line.endswith(error) and len(line) < 3_000]
    assert [record["line"] for record in records if record["file"] == str(unfinished)] == expected * 2
    from_cut = [record["line"] for record in records if record["file"] == str(cut)]
    assert from_cut and from_cut == expected[: len(from_cut)]


def test_jobs_agree_when_the_caches_start_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    # Small caches: shapes are forgotten and learned again many times, in every process.
    monkeypatch.setattr("binance_errors.scan.worker.SHAPE_LIMIT", 40)
    one = _run([str(SAMPLE)], jobs=1, block_size=4_096, summary=False)
    two = _run([str(SAMPLE)], jobs=2, block_size=4_096, summary=False)
    assert one == two
    assert one[0].count(b"\n") > 2000


def test_csv_output(scan: Scan, plain_log: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = scan(str(plain_log), "--output", str(target))
    assert result.out == b""
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [int(r["line"]) for r in rows] == [1, 2, 4, 5, 10]
    assert rows[0]["template_id"] == normalize(-1013, "Filter failure: LOT_SIZE").template_id
    assert json.loads(rows[0]["raw_args"]) == []
    # Every field of the record is a column, the ones the core added lately included.
    assert {"category", "confidence", "retryable", "skeleton", "products"} <= set(rows[0])


def test_parquet_output(scan: Scan, plain_log: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "out.parquet"
    scan(str(plain_log), "-o", str(target))
    table = pq.read_table(target)
    assert table.column("line").to_pylist() == [1, 2, 4, 5, 10]
    assert table.column("code").to_pylist()[:2] == [-1013, -1121]
    # Numbers and flags keep their types; lists and mappings are JSON text.
    assert table.schema.field("confidence").type == "double"
    assert table.schema.field("retryable").type == "bool"
    assert table.column("confidence").to_pylist()[0] == 1.0
    assert table.column("execution_unknown").to_pylist()[0] is False
    assert json.loads(table.column("products").to_pylist()[0])


def test_parquet_without_pyarrow_is_a_clear_usage_error(
    scan: Scan, plain_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    result = scan(str(plain_log), "-o", str(tmp_path / "out.parquet"))
    assert result.status == 2
    assert "optional 'pyarrow' package" in result.err


def test_unknown_output_extension_is_a_usage_error(scan: Scan, plain_log: Path, tmp_path: Path) -> None:
    result = scan(str(plain_log), "-o", str(tmp_path / "out.xlsx"))
    assert result.status == 2
    assert "cannot tell the output format" in result.err


def test_summary_of_the_sample(scan: Scan) -> None:
    result = scan("--summary", str(SAMPLE))
    text = result.out.decode()
    for heading in ("Lines read: 5000 = ", "By code", "By template", "By subtype", "Unknown messages, by skeleton"):
        assert heading in text
    assert "First seen: 2025-03-01T" in text
    assert "unreadable, invalid UTF-8" in text
    assert result.status == 1  # the sample holds garbage on purpose


def test_cli_entry_point_registers_scan(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "--help"])
    assert exit_info.value.code == 0
    assert "--jobs" in capsys.readouterr().out


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_collector_is_left_as_the_scan_found_it(scan: Scan, plain_log: Path, jobs: int) -> None:
    before = gc.get_threshold()
    scan(str(plain_log), "--jobs", str(jobs))
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_the_summary_tables_are_bounded_and_say_what_they_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("binance_errors.scan.stats.TABLE_LIMIT", 3)
    monkeypatch.setattr("binance_errors.scan.summary.TABLE_LIMIT", 3)
    # Ten undocumented codes with ten unlike messages, in two blocks merged together.
    lines = [f'{{"code":-{90000 + n},"msg":"{"x" * n} went wrong"}}' for n in range(10)]
    worker = Worker(Options(summary=True))
    total = Stats()
    for half in (lines[:5], lines[5:]):
        total.merge(worker.process(Block("log", 1, "\n".join(half).encode() + b"\n")).stats)
    assert len(total.groups) == 3 and len(total.unknown) == 3
    assert sum(seen.count for seen in total.groups.values()) + total.other_groups.count == 10
    assert sum(seen.count for seen in total.unknown.values()) + total.other_unknown.count == 10
    text = render(total)
    assert "7 more lines, of groups past the first 3, are not itemized" in text
    assert "7 more lines, of skeletons past the first 3, are not itemized" in text


def test_many_files_for_the_summary_alone_are_handed_out_whole(tmp_path: Path, plain_log: Path) -> None:
    copies = []
    for name in ("a.log.gz", "b.log.gz", "c.log.gz"):
        copy = tmp_path / name
        copy.write_bytes(SAMPLE.read_bytes())
        copies.append(str(copy))
    broken = tmp_path / "broken.gz"
    broken.write_bytes(SAMPLE.read_bytes()[:30_000])
    paths = [copies[0], str(plain_log), str(broken), *copies[1:]]
    assert whole_files_pay([Source(p) for p in paths], 3)
    one = _run(paths, jobs=1, block_size=16_384, records=False)
    assert one[0] == b""
    for jobs in (2, 3):
        assert _run(paths, jobs=jobs, block_size=16_384, records=False) == one
    # One file holding most of the input, standard input, or a single file: block by block.
    assert not whole_files_pay([Source(copies[0]), Source(str(plain_log))], 2)
    assert not whole_files_pay([Source(copies[0]), Source("-")], 2)
    assert not whole_files_pay([Source(copies[0])], 2)


def test_a_summary_reads_larger_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    # The summary's account of a block costs per group in it, records cost per line: each
    # mode has its own default (see inputs.SUMMARY_BLOCK_SIZE).
    sizes: list[int] = []

    def recorded(*args: object) -> Stats:
        sizes.append(cast(int, args[-1]))
        return Stats()

    monkeypatch.setattr(runner, "_run", recorded)
    progress = Progress(sys.stderr, None, enabled=False)
    for options in (Options(), Options(summary=True), Options(summary=True, records=False)):
        run([Source(str(SAMPLE))], options, JsonlWriter(io.BytesIO(), owned=False), progress)
    run(
        [Source(str(SAMPLE))], Options(summary=True), JsonlWriter(io.BytesIO(), owned=False), progress, block_size=4_096
    )
    assert sizes == [BLOCK_SIZE, SUMMARY_BLOCK_SIZE, SUMMARY_BLOCK_SIZE, 4_096]

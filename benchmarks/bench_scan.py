"""Throughput and memory of ``binance-errors scan`` against the floor of the same work.

    python benchmarks/bench_scan.py                 # 1 million lines, --jobs 1 and 2
    python benchmarks/bench_scan.py --lines 200000  # quicker
    python benchmarks/bench_scan.py --copies 10     # ~1 GB of uncompressed input, for the memory bound
    python benchmarks/bench_scan.py --summary       # also scan --summary, without records
    python benchmarks/bench_scan.py --repeat 5      # five rounds (3 by default)
    python benchmarks/bench_scan.py --instructions  # also instructions counted by valgrind

The input is a mixed, gzipped log written by tools/make_sample_log.py into
benchmarks/data/ (ignored by git; reused when it is already there). The floor is the
part of a scan that no implementation can skip, measured in the same run: decompressing,
splitting into lines and decoding with orjson the lines that start with ``{``.
Every scan runs in a fresh process (its output goes to /dev/null), which reports its own
peak RSS and that of its worker processes.

On a shared machine one measurement can be off by half (other tenants), so the floor and
the scans are measured in rounds, each round one after the other, and each round's ratios
are its own; the last lines give every ratio's median over the rounds, and its range.

``--instructions`` (valgrind needed; a few minutes) counts, once, the instructions that the
floor and each scan execute, with callgrind, in every process: figures that other tenants
cannot move: each scan's work as a multiple of the floor's (instructions do not all cost
the same time: the floor's decompression runs more of them per second than a scan's
Python), and for ``--jobs N`` the first job count's work over the busiest process's, an
upper bound on the speed-up (a process that waits executes nothing, and the helpers start
only once the main process has loaded the catalog). Callgrind counts what runs in the
processes, not in the kernel: the copies through the pipes between them are not counted.
The interpreter's start and the imports are counted in a separate run and left out, as
the clock leaves them out.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
# The floor's reads: the fastest of 64 KiB, 256 KiB and 1 MiB (0.41, 0.40 and 0.46 s on the
# benchmark log, 2026-12-07), so that the floor is one indeed.
BLOCK = 1 << 18


def ensure_input(lines: int) -> Path:
    path = DATA / f"mixed-{lines}.log.gz"
    if not path.exists():
        print(f"generating {path} ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, str(ROOT / "tools" / "make_sample_log.py"), "--lines", str(lines), "--out", str(path)],
            check=True,
        )
    return path


def copies_of(path: Path, count: int) -> list[Path]:
    """``count`` names of the same file, so a big input costs no disk space."""
    if count <= 1:
        return [path]
    names = []
    for i in range(count):
        link = DATA / f"copy-{i}-{path.name}"
        if not link.exists():
            os.link(path, link)
        names.append(link)
    return names


def floor(paths: list[Path]) -> tuple[float, int, int, float]:
    """(seconds, lines, bytes, CPU seconds) to decompress, split and orjson-decode the ``{`` lines."""
    start = time.perf_counter()
    cpu = time.process_time()
    lines = 0
    size = 0
    for path in paths:
        carry = b""
        with gzip.open(path, "rb") as stream:
            while chunk := stream.read(BLOCK):
                size += len(chunk)
                data = carry + chunk
                cut = data.rfind(b"\n")
                carry = data[cut + 1 :]
                for line in data[: cut + 1].split(b"\n")[:-1]:
                    lines += 1
                    if line.startswith(b"{"):
                        try:  # noqa: SIM105 - a context manager per line would slow the floor down
                            orjson.loads(line)
                        except orjson.JSONDecodeError:
                            pass
        if carry:
            lines += 1
    return time.perf_counter() - start, lines, size, time.process_time() - cpu


def import_only(what: str) -> None:
    """What a child loads before it starts its clock (the interpreter, this module and, for
    a scan, the tool): counted apart, and left out."""
    if what == "scan":
        from binance_errors.scan.command import main  # noqa: F401, PLC0415 - the imports alone


def counted(argv: list[str]) -> tuple[int, list[int]]:
    """Instructions of the main process and of each process it started, as callgrind counts them."""
    with tempfile.TemporaryDirectory() as folder:
        command = [
            "valgrind",
            "--tool=callgrind",
            "--trace-children=yes",
            f"--callgrind-out-file={folder}/out.%p",
            sys.executable,
            __file__,
            *argv,
        ]
        # valgrind runs the program in its own process, so the process started here is the
        # main one (its helpers' ids need not be larger: process ids wrap around).
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
            _, errors = process.communicate()
        if process.returncode != 0:
            raise subprocess.CalledProcessError(process.returncode, command, stderr=errors)
        totals: dict[int, int] = {}
        for path in Path(folder).glob("out.*"):
            found = re.search(r"^(?:summary|totals): (\d+)", path.read_text(errors="replace"), re.MULTILINE)
            if found is not None:
                totals[int(path.suffix[1:])] = int(found.group(1))
    return totals.pop(process.pid), sorted(totals.values(), reverse=True)


def instructions(paths: list[Path], runs: list[tuple[int, tuple[str, ...]]]) -> None:
    """The floor and each scan, counted once in instructions (see the module's docstring)."""
    names = list(map(str, paths))
    start_up, _ = counted(["--import-only", "scan"])
    floor_start, _ = counted(["--import-only", "floor"])
    floor_count = counted(["--floor-child", *names])[0] - floor_start
    print(f"instructions: floor {floor_count / 1e9:.2f} G (left out: a scan's start, {start_up / 1e9:.2f} G)")
    firsts: dict[tuple[str, ...], int] = {}
    for jobs, extra in runs:
        main_count, helpers = counted(["--child", "--jobs", str(jobs), *extra, *names])
        main_count -= start_up
        busiest = max([main_count, *helpers])
        total = main_count + sum(helpers)
        first = firsts.setdefault(extra, total)
        label = " ".join(("scan", *extra, f"--jobs {jobs}"))
        helpers_text = " + ".join(f"{count / 1e9:.2f}" for count in helpers) or "none"
        print(
            f"instructions: {label}: {total / 1e9:6.2f} G in all (main {main_count / 1e9:.2f} G,"
            f" helpers {helpers_text})  = {total / floor_count:4.2f}x the floor's,"
            f" at best {first / busiest:4.2f}x --jobs {runs[0][0]}"
        )


def child(args: list[str]) -> None:
    """Run one scan in this process and print its figures as JSON on stdout."""
    from binance_errors.scan.command import main  # noqa: PLC0415 - only the child imports the tool

    devnull = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(1)
    os.dup2(devnull, 1)
    start = time.perf_counter()
    status = main(["--quiet", *args])
    seconds = time.perf_counter() - start
    sys.stdout.flush()
    os.dup2(saved, 1)
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = {
        "seconds": seconds,
        "status": status,
        "rss_kb": own.ru_maxrss,
        "workers_rss_kb": workers.ru_maxrss,
        # CPU time (start-up included): on a shared machine, wall time alone can mislead.
        "cpu": own.ru_utime + own.ru_stime,
        "workers_cpu": workers.ru_utime + workers.ru_stime,
    }
    print(json.dumps(figures))


def scan(paths: list[Path], jobs: int, *extra: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--jobs", str(jobs), *extra, *map(str, paths)],
        check=True,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(out.stderr)
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "--floor-child":
        floor([Path(name) for name in sys.argv[2:]])
        return 0
    if len(sys.argv) > 2 and sys.argv[1] == "--import-only":
        import_only(sys.argv[2])
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines of the generated log (1000000)")
    parser.add_argument("--copies", type=int, default=1, help="scan the log this many times over (1)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="--jobs values to measure (1 2)")
    parser.add_argument("--summary", action="store_true", help="also measure scan --summary (no records written)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of floor and scans (3)")
    parser.add_argument(
        "--instructions", action="store_true", help="also count instructions once, with valgrind (minutes)"
    )
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind on the PATH")

    paths = copies_of(ensure_input(args.lines), args.copies)
    compressed = sum(p.stat().st_size for p in paths)
    runs: list[tuple[int, tuple[str, ...]]] = [(jobs, ()) for jobs in args.jobs]
    if args.summary:
        # The analysts' way: --summary alone, whose records nobody reads (not a target).
        runs += [(jobs, ("--summary",)) for jobs in args.jobs]
    of_floor: dict[str, list[float]] = {}
    of_first: dict[str, list[float]] = {}
    for round_number in range(1, args.repeat + 1):
        seconds, lines, size, floor_cpu = floor(paths)
        floor_rate = lines / seconds
        if round_number == 1:
            print(
                f"input: {len(paths)} x {paths[0].name}: {lines:,} lines, {size / 1e6:.1f} MB,"
                f" {compressed / 1e6:.1f} MB gz"
            )
        print(
            f"round {round_number}: floor (gunzip + split + orjson of '{{' lines): {seconds:6.2f} s"
            f"  {floor_rate:12,.0f} lines/s  (cpu {floor_cpu:.2f} s)"
        )
        bases: dict[tuple[str, ...], float] = {}
        for jobs, extra in runs:
            figures = scan(paths, jobs, *extra)
            rate = lines / figures["seconds"]
            base = bases.setdefault(extra, rate)
            label = " ".join(("scan", *extra, f"--jobs {jobs}"))
            of_floor.setdefault(label, []).append(rate / floor_rate)
            of_first.setdefault(label, []).append(rate / base)
            print(
                f"round {round_number}: {label}: {figures['seconds']:6.2f} s  {rate:12,.0f} lines/s"
                f"  = {rate / floor_rate:5.1%} of floor, {rate / base:4.2f}x --jobs {args.jobs[0]}"
                f"  peak RSS main {figures['rss_kb'] / 1024:.0f} MB,"
                f" largest worker {figures['workers_rss_kb'] / 1024:.0f} MB"
                f"  cpu main {figures['cpu']:.2f} s + workers {figures['workers_cpu']:.2f} s"
                f"  (exit {figures['status']:.0f})"
            )
    for label, ratios in of_floor.items():
        floor_ratios, first_ratios = sorted(ratios), sorted(of_first[label])
        print(
            f"median of {args.repeat}: {label}: {statistics.median(floor_ratios):5.1%} of floor"
            f" ({floor_ratios[0]:.1%} to {floor_ratios[-1]:.1%}),"
            f" {statistics.median(first_ratios):4.2f}x --jobs {args.jobs[0]}"
            f" ({first_ratios[0]:.2f}x to {first_ratios[-1]:.2f}x)"
        )
    if args.instructions:
        instructions(paths, runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

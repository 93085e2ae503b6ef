"""Runs a scan: blocks of every input through workers, in order, into one writer and one account.

The main process reads and decompresses, and parses a block itself whenever the helper
processes (``--jobs`` minus one) have enough to do. Results are consumed in input
order, so the output is the same for any number of jobs, and at most a few blocks per
job are in flight, so memory does not grow with the input.  For ``--summary`` alone over
many files, whole files go to the helpers instead (see `whole_files`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from types import FrameType

from binance_errors.scan import collector, spool
from binance_errors.scan.inputs import BLOCK_SIZE, SUMMARY_BLOCK_SIZE, Block, Source, SourceFailure, read_blocks
from binance_errors.scan.pool import helper_pool
from binance_errors.scan.progress import Progress
from binance_errors.scan.stats import Stats
from binance_errors.scan.whole_files import run_whole_files, whole_files_pay
from binance_errors.scan.worker import BlockResult, Options, SpooledResult, Worker, process_in_pool
from binance_errors.scan.writers import Writer

_IN_FLIGHT_PER_JOB = 3
_QUEUED_PER_HELPER = 3
"""Blocks a helper process has (one at work, the others waiting) before the main process parses one."""


def _items(sources: list[Source], progress: Progress, block_size: int) -> Iterator[Block | SourceFailure]:
    for source in sources:
        yield from read_blocks(source, block_size, progress)
        progress.file_done()


def _take(stats: Stats, result: BlockResult | SpooledResult, progress: Progress) -> None:
    stats.merge(result.stats)
    progress.add_lines(result.stats.read)


def run(
    sources: list[Source],
    options: Options,
    writer: Writer,
    progress: Progress,
    jobs: int = 1,
    block_size: int | None = None,
) -> Stats:
    """Scan ``sources``; failures of single inputs are in the returned account.  Blocks of
    ``block_size`` bytes, by default the best size for ``options`` (see `block_size_for`)."""
    size = block_size_for(options) if block_size is None else block_size
    with collector.tuned_for_scan(), _terminated_as_exit(jobs > 1):
        return _run(sources, options, writer, progress, jobs, size)


def block_size_for(options: Options) -> int:
    return SUMMARY_BLOCK_SIZE if options.summary else BLOCK_SIZE


def _exit_on_terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def _terminated_as_exit(helped: bool) -> Iterator[None]:
    """SIGTERM as SystemExit while helper processes run, so that they are stopped and the
    spool directory goes (see pool), as after Ctrl-C; by default the signal ends the main process at once
    and leaves both behind.  Only where the signal has its default action and can be caught."""
    if not helped or threading.current_thread() is not threading.main_thread():
        yield
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _exit_on_terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run(
    sources: list[Source], options: Options, writer: Writer, progress: Progress, jobs: int, block_size: int
) -> Stats:
    stats = Stats(files=len(sources))
    if jobs <= 1:
        worker = Worker(options)
        for source in sources:
            for outcome in worker.scan_source(source, block_size, progress):
                if isinstance(outcome, SourceFailure):
                    stats.add_failure(outcome)
                else:
                    writer.write(outcome.output)
                    _take(stats, outcome, progress)
            progress.file_done()
        return stats
    items = _items(sources, progress, block_size)

    # The main process works too: it reads, and it parses whatever block comes when the
    # helper processes have enough to do, so N jobs are N processes that parse (the main
    # one sending none of its records between processes).  The catalog index is built
    # before the helpers fork (see collector.tune), so they share it.  (Parsing the first
    # block before the fork, so that they would inherit what it taught too, measured
    # slower: the others wait.)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    if not options.records and whole_files_pay(sources, jobs):
        run_whole_files(sources, options, progress, jobs, block_size, context, stats)
        return stats
    pending: deque[Future[SpooledResult] | BlockResult | SourceFailure] = deque()
    local = Worker(options)
    helpers = jobs - 1

    def settle_first() -> None:
        first = pending.popleft()
        if isinstance(first, SourceFailure):
            stats.add_failure(first)
        elif isinstance(first, BlockResult):
            writer.write(first.output)
            _take(stats, first, progress)
        else:
            result = first.result()
            if result.written:
                writer.write_file(result.path)
            files.give_back(result.path)
            _take(stats, result, progress)

    with (
        spool.opened() as files,
        helper_pool(helpers, context, options) as pool,
    ):
        for item in items:
            busy = sum(1 for entry in pending if isinstance(entry, Future) and not entry.done())
            if isinstance(item, SourceFailure):
                pending.append(item)
            elif busy < helpers * _QUEUED_PER_HELPER:
                pending.append(pool.submit(process_in_pool, item, files.take()))
            else:
                pending.append(local.process(item))
            # Written as soon as they are next in line; at most a few blocks wait.
            while pending and (not isinstance(pending[0], Future) or pending[0].done()):
                settle_first()
            while len(pending) > jobs * _IN_FLIGHT_PER_JOB:
                settle_first()
        while pending:
            settle_first()
    return stats


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

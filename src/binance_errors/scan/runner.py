"""Runs a scan: blocks of every input through workers, in order, into one writer and one account.

The main process reads and decompresses; workers parse and normalize. Results are
consumed in submission order, so the output is the same for any number of jobs, and at
most a few blocks per job are in flight, so memory does not grow with the input.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from binance_errors.scan.inputs import BLOCK_SIZE, Block, Source, SourceFailure, read_blocks
from binance_errors.scan.lines import CORRUPT_STREAM
from binance_errors.scan.progress import Progress
from binance_errors.scan.stats import Stats
from binance_errors.scan.worker import (
    BlockResult,
    CompactResult,
    Options,
    RecordTables,
    Worker,
    init_process,
    process_in_pool,
    share_with_forked_workers,
)
from binance_errors.scan.writers import Writer

_IN_FLIGHT_PER_JOB = 3


def _items(sources: list[Source], progress: Progress, block_size: int) -> Iterator[Block | SourceFailure]:
    for source in sources:
        yield from read_blocks(source, block_size, progress)
        progress.file_done()


def _account_failure(stats: Stats, failure: SourceFailure) -> None:
    stats.failures.append(failure)
    if failure.partial_line:
        stats.add_unreadable(CORRUPT_STREAM)


def _take(stats: Stats, output: bytes, result: BlockResult | CompactResult, writer: Writer, progress: Progress) -> None:
    writer.write(output)
    stats.merge(result.stats)
    progress.add_lines(result.stats.read)


def run(
    sources: list[Source],
    options: Options,
    writer: Writer,
    progress: Progress,
    jobs: int = 1,
    block_size: int = BLOCK_SIZE,
) -> Stats:
    """Scan ``sources``; failures of single inputs are in the returned account."""
    stats = Stats(files=len(sources))
    items = _items(sources, progress, block_size)
    if jobs <= 1:
        worker = Worker(options)
        for item in items:
            if isinstance(item, SourceFailure):
                _account_failure(stats, item)
            else:
                result = worker.process(item)
                _take(stats, result.output, result, writer, progress)
        return stats

    # The first block is read here, before the workers fork: they inherit what it taught
    # (the index, compiled patterns, the shapes and messages that recur), instead of each
    # learning it again.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pending: deque[Future[CompactResult] | SourceFailure] = deque()
    tables = RecordTables()
    first = Worker(options)
    for item in items:
        if isinstance(item, SourceFailure):
            _account_failure(stats, item)
            continue
        result = first.process(item)
        _take(stats, result.output, result, writer, progress)
        break
    share_with_forked_workers(first if context.get_start_method() == "fork" else None)
    del first

    def settle_first() -> None:
        first_pending = pending.popleft()
        if isinstance(first_pending, SourceFailure):
            _account_failure(stats, first_pending)
        else:
            result = first_pending.result()
            _take(stats, tables.output(result), result, writer, progress)

    with ProcessPoolExecutor(jobs, mp_context=context, initializer=init_process, initargs=(options,)) as pool:
        for item in items:
            if isinstance(item, SourceFailure):
                pending.append(item)
            else:
                pending.append(pool.submit(process_in_pool, item))
                # The pool forks its processes at the first submission: the main
                # process's copy of the first worker can go.
                share_with_forked_workers(None)
            while len(pending) > jobs * _IN_FLIGHT_PER_JOB:
                settle_first()
        while pending:
            settle_first()
    return stats


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

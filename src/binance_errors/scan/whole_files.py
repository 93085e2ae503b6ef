"""``--jobs`` over many files for ``--summary`` alone: helpers read, decompress and parse whole files.

Block by block, the main process decompresses every input and hands every block over,
which bounds a scan of many files (with two jobs, ten copies of the benchmark log ran
1.28x as fast as with one).  When no records are written (``--summary`` without
``--output``) and no file holds more than a job's share of the input, whole files go to
the helper processes instead, and only their accounts come back, merged in input order:
the summary is the one of ``--jobs 1``.  (With records, the block-by-block way stays:
whole files would have to spool their records to disk to keep the output in order, and
measured no faster.)
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future
from multiprocessing.context import BaseContext

from binance_errors.scan.inputs import STDIN, Source, SourceFailure
from binance_errors.scan.pool import helper_pool
from binance_errors.scan.progress import Progress
from binance_errors.scan.stats import Stats
from binance_errors.scan.worker import Options, current_worker

_FILES_IN_FLIGHT_PER_JOB = 2


def whole_files_pay(sources: list[Source], jobs: int) -> bool:
    """Several files of known size, none more than a job's share of all of them."""
    if jobs < 2 or len(sources) < 2 or any(source.path == STDIN for source in sources):
        return False
    sizes = [source.size() for source in sources]
    if any(size is None for size in sizes):
        return False
    known = [size or 0 for size in sizes]
    return sum(known) > 0 and max(known) * jobs <= sum(known)


def scan_file(source: Source, block_size: int) -> tuple[Stats, int]:
    """In a helper: the account of the whole of ``source``, and its size (for the progress bar)."""
    stats = Stats()
    for item in current_worker().scan_source(source, block_size):
        if isinstance(item, SourceFailure):
            stats.add_failure(item)
        else:
            stats.merge(item.stats)
    return stats, source.size() or 0


def run_whole_files(
    sources: list[Source],
    options: Options,
    progress: Progress,
    jobs: int,
    block_size: int,
    context: BaseContext,
    stats: Stats,
) -> None:
    """Scan ``sources`` with ``jobs`` helper processes, a file at a time each, into ``stats``."""
    # The main process only merges accounts here, so all ``jobs`` processes parse; a few
    # files at a time are under way, so that results wait in order without piling up.
    pending: deque[Future[tuple[Stats, int]]] = deque()

    def settle_first() -> None:
        account, size = pending.popleft().result()
        stats.merge(account)
        progress.advance(size)
        progress.file_done()
        progress.add_lines(account.read)

    with helper_pool(jobs, context, options) as pool:
        for source in sources:
            pending.append(pool.submit(scan_file, source, block_size))
            while len(pending) > jobs * _FILES_IN_FLIGHT_PER_JOB:
                settle_first()
        while pending:
            settle_first()

"""The helper processes of ``--jobs N``, and how they stop when the scan does not finish.

`ProcessPoolExecutor` used as a context manager waits, on the way out, for every block or
file already handed over, even when the way out is Ctrl-C, SIGTERM or a failed write (a
closed pipe, a full disk): over whole files that can be minutes.  Here, a scan that ends by
an exception drops what is queued and stops the helpers at once; one that ends normally
shuts the pool down as usual.  Interrupts are the main process's to handle: a helper
ignores SIGINT (the terminal sends it to the whole process group, and each helper would
print its own traceback) and ends at once on SIGTERM, which is what stops it.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.context import BaseContext

from binance_errors.scan.worker import Options, init_process


def _init_helper(options: Options) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent may have a SIGTERM handler of its own (see runner): a helper ends at once.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    init_process(options)


@contextmanager
def helper_pool(helpers: int, context: BaseContext, options: Options) -> Iterator[ProcessPoolExecutor]:
    """``helpers`` processes, each with its own worker (see `worker.init_process`)."""
    pool = ProcessPoolExecutor(helpers, mp_context=context, initializer=_init_helper, initargs=(options,))
    try:
        yield pool
    except BaseException:
        stop_now(pool)
        raise
    pool.shutdown(wait=True)


def stop_now(pool: ProcessPoolExecutor) -> None:
    """Drop the queued work and end the helpers without waiting for what they are doing."""
    terminate_workers = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate_workers is not None:
        terminate_workers()  # shuts the pool down too
        return
    # Before 3.14 the executor does not offer it; its table of processes is the way (the one
    # terminate_workers uses), taken before shutdown() lets go of it.
    table = getattr(pool, "_processes", None)
    helpers = list(table.values()) if isinstance(table, dict) else []
    pool.shutdown(wait=False, cancel_futures=True)
    for helper in helpers:
        helper.terminate()
    for helper in helpers:
        helper.join(timeout=5)

"""Where a helper process leaves a block's output for the main process to write out.

Sent back through the pool's pipe, a block's output costs pickling in the helper,
unpickling and rebuilding in the main process, and two copies through the kernel; on the
benchmark log that was most of what kept ``--jobs 2`` from scaling.  So a helper writes
the output to a file of its own in a directory that lives as long as one scan (in
memory, under ``/dev/shm``, where the system has one), and the main process, in input
order, has the writer take the file (``os.sendfile`` where the output is a file
descriptor: no copy through Python) and deletes it.  At most a few blocks are in
flight per job (see `runner`), so the directory holds no more than their output.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SHARED_MEMORY = Path("/dev/shm")
"""Preferred home of the directory: a file system in memory (Linux)."""


@contextmanager
def directory() -> Iterator[str]:
    """A fresh directory for one scan's spooled output, removed with whatever is left in it."""
    home = SHARED_MEMORY if SHARED_MEMORY.is_dir() and os.access(SHARED_MEMORY, os.W_OK | os.X_OK) else None
    with tempfile.TemporaryDirectory(prefix="binance-errors-", dir=home) as path:
        yield path


def spool(folder: str, data: bytes) -> str:
    """Writes ``data`` to a new file in ``folder``; returns its path."""
    handle, path = tempfile.mkstemp(suffix=".jsonl", dir=folder)
    with open(handle, "wb") as file:
        file.write(data)
    return path

"""``binance-errors scan``: find, normalize and count the Binance errors in archived logs.

One module per job: ``inputs`` (files, folders, globs, stdin, decompression, blocks of
lines), ``lines`` (one line to one error), ``worker`` (a block to output and counts,
with a per-process cache), ``runner`` (ordered, bounded fan-out over processes),
``writers`` (JSON lines, CSV, Parquet), ``stats`` (accounting), ``summary`` (the
table), ``progress`` (the bar), ``command`` (arguments and exit status).
"""

from __future__ import annotations

from binance_errors.scan.command import add_scan_command, main, run_command

__all__ = ["add_scan_command", "main", "run_command"]

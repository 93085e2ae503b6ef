"""The ``binance-errors scan`` subcommand: arguments in, exit status out."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import BinaryIO, TextIO

from binance_errors.catalog import default_catalogs
from binance_errors.scan.inputs import STDIN, expand
from binance_errors.scan.progress import Progress
from binance_errors.scan.runner import default_jobs, run
from binance_errors.scan.stats import Stats
from binance_errors.scan.summary import render
from binance_errors.scan.worker import Options
from binance_errors.scan.writers import FORMATS, OutputError, Writer, open_writer

# The same meanings as the rest of the command line.
EXIT_OK = 0
EXIT_SKIPPED = 1
EXIT_USAGE = 2

DESCRIPTION = """\
Find the Binance errors in log files and print one normalized JSON record per error,
with its file and line number. Reads plain, .gz, .bz2, .xz and .zst files, folders
(recursively), glob patterns and '-' for standard input; lines may be JSON (the error
at the top level, under "error", or at --field) or text that quotes an error body or
a client's wrapper (APIError(code=...): ..., binance {"code":...}, -2011 Unknown ...).
The same code means different things on different Binance APIs: --product names the
API every error came from, --url-field where JSON lines keep the request's URL.
Every line is accounted for on standard error; the exit status is 1 when some input
or line had to be skipped.
"""


def add_scan_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``scan`` on the ``binance-errors`` parser."""
    parser = commands.add_parser(
        "scan",
        help="find and normalize the Binance errors in (compressed) log files",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    configure(parser)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files, folders, glob patterns or '-' (default)")
    parser.add_argument("--field", metavar="DOTTED.PATH", help="where the error sits in JSON lines, e.g. error")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--product", metavar="NAME", help="the API every error came from: spot, sapi, usdm, coinm, options, ..."
    )
    where.add_argument(
        "--url-field",
        metavar="DOTTED.PATH",
        help="where JSON lines keep the request's URL, e.g. request.url: each line's API is inferred from it",
    )
    parser.add_argument("-o", "--output", metavar="PATH", help="write records to PATH (.jsonl, .csv, .parquet)")
    parser.add_argument("--format", choices=FORMATS, help="output format when PATH's extension does not say")
    parser.add_argument("--summary", action="store_true", help="print a table of counts instead of records")
    parser.add_argument("--top", type=int, default=20, metavar="N", help="rows per summary section (20)")
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="processes that parse (0: one per core; default 1): the main one and N-1 helpers, or N helpers"
        " given whole files when --summary alone reads several",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run_command)


def run_command(
    args: argparse.Namespace,
    stdout: BinaryIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    out = stdout if stdout is not None else sys.stdout.buffer
    err = stderr if stderr is not None else sys.stderr
    jobs = default_jobs() if args.jobs == 0 else args.jobs
    if jobs < 0 or args.top < 1:
        err.write("binance-errors scan: error: --jobs must be >= 0 and --top >= 1\n")
        return EXIT_USAGE
    product: str | None = getattr(args, "product", None)
    url_field: str | None = getattr(args, "url_field", None)
    if product is not None and product not in (known := default_catalogs()):
        err.write(f"binance-errors scan: error: unknown product {product!r}; known: {', '.join(sorted(known))}\n")
        return EXIT_USAGE
    sources, failures = expand(args.paths or [STDIN])
    columns = _columns()
    sink = _Discard() if args.summary and args.output is None else None
    try:
        writer: Writer = sink or open_writer(args.output, args.format, out, columns)
    except OutputError as exc:
        err.write(f"binance-errors scan: error: {exc}\n")
        return EXIT_USAGE
    sizes = [source.size() for source in sources]
    total = None if any(size is None for size in sizes) else sum(size or 0 for size in sizes)
    progress = Progress(err, total, enabled=not args.quiet and err.isatty())
    try:
        options = Options(
            field=args.field,
            summary=args.summary,
            product=product,
            url_field=url_field or None,
            records=sink is None,
        )
        stats = run(sources, options, writer, progress, jobs)
    finally:
        progress.finish()
        writer.close()
    stats.failures[:0] = failures
    for failure in stats.failures:
        err.write(f"binance-errors scan: {failure.source}: {failure.reason}\n")
    if args.summary:
        out.write(render(stats, args.top).encode())
        out.flush()
    err.write(stats.final_line() + "\n")
    return EXIT_SKIPPED if stats.skipped_something else EXIT_OK


def _columns() -> list[str]:
    from binance_errors import normalize  # noqa: PLC0415 - the catalog loads on first use

    return ["file", "line", "timestamp", *normalize(None, "").to_dict(), "context"]


class _Discard:
    def write(self, jsonl: bytes) -> None:
        pass

    def write_file(self, path: str) -> None:
        pass

    def close(self) -> None:
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m binance_errors.scan``: the subcommand on its own."""
    parser = argparse.ArgumentParser(prog="binance-errors scan", description=DESCRIPTION)
    configure(parser)
    args = parser.parse_args(argv)
    try:
        return run_command(args)
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK


__all__ = ["Stats", "add_scan_command", "main", "run_command"]

"""The ``binance-errors`` command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TextIO

from binance_errors import __version__, normalize, normalize_payload
from binance_errors.catalog import CatalogError, default_catalogs
from binance_errors.maintainer.command import add_catalog_command
from binance_errors.products import product_from_url
from binance_errors.record import ErrorRecord
from binance_errors.scan.command import add_scan_command

EXIT_OK = 0
EXIT_SKIPPED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command that Ctrl-C ended

# Subcommands that live in their own modules add themselves through these hooks,
# so this module stays the one place that knows the command's shape.
SubcommandHook = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]
SUBCOMMAND_HOOKS: list[SubcommandHook] = [add_scan_command, add_catalog_command]


def _print_record(record: ErrorRecord, out: TextIO) -> None:
    out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")


def _normalize_lines(lines: TextIO, name: str, product: str | None, out: TextIO, err: TextIO) -> int:
    """Normalize one JSON payload per line; every line is counted, bad ones reported."""
    counts: Counter[str] = Counter()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            counts["blank"] += 1
            continue
        try:
            payload = json.loads(line)
        except json.JSONDecodeError as error:
            counts["unreadable"] += 1
            err.write(f"{name}:{number}: not a JSON payload ({error.msg})\n")
            continue
        record = normalize_payload(payload, product)
        counts[record.match] += 1
        _print_record(record, out)
    read = sum(counts.values())
    matched = ", ".join(f"{kind} {counts[kind]}" for kind in ("exact", "template", "fuzzy", "code", "unknown"))
    err.write(f"{name}: {read} lines read: {matched}; blank {counts['blank']}; unreadable {counts['unreadable']}\n")
    return EXIT_SKIPPED if counts["unreadable"] else EXIT_OK


def _product(args: argparse.Namespace) -> str | None:
    if args.url is not None:
        inferred = product_from_url(args.url)
        if inferred is None:
            raise _UsageError(f"cannot tell which Binance API {args.url!r} is; give --product instead")
        return inferred
    given: str | None = args.product
    if given is not None and given not in default_catalogs():
        raise _UsageError(f"unknown product {given!r}; known: {', '.join(sorted(default_catalogs()))}")
    return given


def _run_normalize(args: argparse.Namespace) -> int:
    product = _product(args)
    if args.file is not None:
        if args.code is not None:
            raise _UsageError("give either CODE MSG or --file, not both")
        if args.file == "-":
            return _normalize_lines(sys.stdin, "<stdin>", product, sys.stdout, sys.stderr)
        try:
            with open(args.file, encoding="utf-8", errors="replace") as lines:
                return _normalize_lines(lines, args.file, product, sys.stdout, sys.stderr)
        except OSError as error:
            raise _UsageError(f"cannot read {args.file}: {error.strerror or error}") from error
    if args.code is None or args.msg is None:
        raise _UsageError("give CODE and MSG (for example: normalize -1121 'Invalid symbol.'), or --file")
    _print_record(normalize(args.code, args.msg, product), sys.stdout)
    return EXIT_OK


class _UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="binance-errors",
        description="Turn raw Binance API error responses into structured records.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    normalize_parser = commands.add_parser(
        "normalize",
        help="normalize one error, or a file of JSON payloads, to JSON records",
        description="Print the normalized record of one error, or of each JSON payload in a file, as JSON.",
    )
    normalize_parser.add_argument("code", nargs="?", metavar="CODE", help="the error code, e.g. -1121")
    normalize_parser.add_argument("msg", nargs="?", metavar="MSG", help="the message as received")
    normalize_parser.add_argument(
        "--file", "-f", metavar="PATH", help="a file with one JSON payload per line ('-' reads standard input)"
    )
    where = normalize_parser.add_mutually_exclusive_group()
    where.add_argument(
        "--product", metavar="NAME", help="the API that answered: spot, sapi, usdm, coinm, options, ... (default: any)"
    )
    where.add_argument("--url", metavar="URL", help="the request's URL or host, to tell which API answered")
    normalize_parser.set_defaults(run=_run_normalize)
    for hook in SUBCOMMAND_HOOKS:
        hook(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    # argparse takes "-1121" for a value, not an option, as long as no option looks like a number.
    args = parser.parse_args(argv)
    try:
        result: int = args.run(args)
    except _UsageError as error:
        parser.exit(EXIT_USAGE, f"binance-errors: error: {error}\n")
    except CatalogError as error:
        parser.exit(EXIT_USAGE, f"binance-errors: catalog error: {error}\n")
    except KeyboardInterrupt:
        # Ctrl-C is how a long scan is stopped, not a crash: no traceback (the helper
        # processes are already stopped and the spool removed, see scan.pool).
        sys.stderr.write("\nbinance-errors: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `binance-errors ... | head` closing the pipe early is not an error.
        sys.stderr.close()
        return EXIT_OK
    return result


if __name__ == "__main__":
    sys.exit(main())

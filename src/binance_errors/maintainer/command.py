"""``binance-errors catalog draft|audit``: the maintainer tools on the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from binance_errors.catalog import CatalogError, packaged_catalog_paths
from binance_errors.maintainer.audit import audit, report
from binance_errors.maintainer.catalogfile import CatalogFile, sibling_catalogs
from binance_errors.maintainer.catalogfile import read_catalog as read_catalog_file
from binance_errors.maintainer.draft import DraftOptions, draft
from binance_errors.maintainer.snapshot import read_snapshot

EXIT_SAME = 0
EXIT_DIFFERENT = 1


def _snapshot_path(text: str) -> Path:
    path = Path(text)
    if not path.is_file():
        # CatalogError is what the CLI turns into a clear message and exit status 2.
        raise CatalogError(f"{text}: no such page snapshot")
    return path


def _run_audit(args: argparse.Namespace) -> int:
    snapshot = read_snapshot(_snapshot_path(args.page), args.zh)
    catalog = read_catalog_file(args.catalog)
    differences = audit(snapshot, catalog)
    sys.stdout.write(report(differences, args.page, args.catalog))
    return EXIT_DIFFERENT if differences else EXIT_SAME


def _catalog_folder(text: str | None) -> Path:
    if text is not None:
        return Path(text)
    return packaged_catalog_paths()[0].parent


def _run_draft(args: argparse.Namespace) -> int:
    snapshot = read_snapshot(_snapshot_path(args.page), args.zh)
    folder = _catalog_folder(args.catalogs)
    # The product's own catalog, when there is one, is where its ids and decisions come from.
    catalogs: dict[str, CatalogFile] = sibling_catalogs(folder)
    for name in filter(None, [args.extends, args.tables_from, *args.same_as]):
        if name not in catalogs:
            raise CatalogError(f"no catalog for product {name!r} in {folder}")
    options = DraftOptions(
        product=args.product,
        extends=args.extends,
        share_with=tuple(args.same_as),
        tables_from=args.tables_from,
        catalogs=catalogs,
    )
    text = draft(snapshot, options)
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    return EXIT_SAME


def add_catalog_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``catalog`` subcommand, registered through `binance_errors.cli.SUBCOMMAND_HOOKS`."""
    parser = commands.add_parser(
        "catalog",
        help="maintainer tools: draft a catalog from a page snapshot, audit a catalog against one",
        description="Keep the catalog in step with Binance's error-code pages.",
    )
    actions = parser.add_subparsers(dest="catalog_command", required=True, metavar="ACTION")
    audit_parser = actions.add_parser(
        "audit",
        help="list codes and messages added, removed or changed between a page and a catalog (exit 1 if any)",
    )
    audit_parser.add_argument("page", metavar="PAGE", help="a page snapshot (Markdown)")
    audit_parser.add_argument("catalog", metavar="CATALOG_FILE", help="a catalog file (TOML)")
    audit_parser.add_argument("--zh", metavar="PAGE", help="the Chinese page, where it is a file of its own")
    audit_parser.set_defaults(run=_run_audit)
    draft_parser = actions.add_parser(
        "draft",
        help="write a draft catalog from a page snapshot, reusing the decisions of the existing catalogs",
    )
    draft_parser.add_argument("page", metavar="PAGE", help="a page snapshot (Markdown)")
    draft_parser.add_argument("--product", required=True, help="the product line the page documents (usdm, ...)")
    draft_parser.add_argument("--zh", metavar="PAGE", help="the Chinese page, where it is a file of its own")
    draft_parser.add_argument("--extends", metavar="PRODUCT", help="the page is PRODUCT's plus its own codes")
    draft_parser.add_argument(
        "--same-as",
        metavar="PRODUCT",
        action="append",
        default=[],
        help="refer to PRODUCT's definition of a code that is identical there (repeatable; first match wins)",
    )
    draft_parser.add_argument(
        "--tables-from", metavar="PRODUCT", help="take the filter and rejection tables from PRODUCT"
    )
    draft_parser.add_argument(
        "--catalogs", metavar="DIR", help="the folder of existing catalogs (default: the packaged catalog)"
    )
    draft_parser.add_argument("--output", "-o", metavar="FILE", help="where to write the draft (default: stdout)")
    draft_parser.set_defaults(run=_run_draft)

"""Maintainer tools: draft a catalog from a page snapshot, audit a catalog against one.

Binance edits its error pages often.  Keeping up should be a reviewed diff, not a rewrite:
``binance-errors catalog audit PAGE CATALOG`` lists what changed, and
``binance-errors catalog draft PAGE --product NAME`` writes the TOML a person then reviews.
Nothing here runs inside `normalize`.
"""

from binance_errors.maintainer.audit import Difference, audit
from binance_errors.maintainer.catalogfile import CatalogFile, read_catalog
from binance_errors.maintainer.draft import DraftOptions, draft
from binance_errors.maintainer.snapshot import Snapshot, read_snapshot

__all__ = [
    "CatalogFile",
    "Difference",
    "DraftOptions",
    "Snapshot",
    "audit",
    "draft",
    "read_catalog",
    "read_snapshot",
]

"""Wheel build hook: ship the catalog already loaded and checked.

Parsing and checking the TOML catalog is most of the cost of the first `normalize()` call.
The wheel therefore carries the loaded catalogs as a pickle beside the TOML files, keyed by a
hash of those files; the package reads it when the key matches and the TOML otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogCacheHook(BuildHookInterface):  # type: ignore[misc,type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))
        try:
            from binance_errors.catalog import (  # noqa: PLC0415 (from src/, on the path only here)
                CACHE_NAME,
                catalog_paths,
                write_catalog_cache,
            )
        finally:
            sys.path.pop(0)
        target = Path(self.directory) / "catalog-cache" / CACHE_NAME
        write_catalog_cache(catalog_paths(root / "templates" / "binance"), target)
        build_data["force_include"][str(target)] = f"binance_errors/templates/binance/{CACHE_NAME}"

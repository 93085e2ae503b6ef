"""Where the shared material lives (documentation snapshots, real messages), for every test."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BINANCE_ERRORS_SHARED", REPO.parent / "shared"))
DOCS = SHARED / "docs"
REAL = SHARED / "examples" / "real-messages.jsonl"

# product -> (page snapshot, separate Chinese page or None)
PAGES: dict[str, tuple[str, str | None]] = {
    "sapi": ("sapi-errors.md", None),
    "spot": ("spot-errors.md", "spot-errors-cn.md"),
    "usdm": ("usdm-futures-errors.md", None),
    "coinm": ("coinm-futures-errors.md", None),
    "options": ("options-errors.md", None),
    "portfolio_margin": ("portfolio-margin-errors.md", None),
    "margin": ("margin-trading-errors.md", None),
    "portfolio_margin_pro": ("portfolio-margin-pro-errors.md", None),
}

# Real lines that are source code rather than log output: no mechanism reads them, on purpose.
NOT_LOG_LINES = ("case -2015: //",)


def real_rows() -> list[dict[str, Any]]:
    """The real messages that keep their raw log line ([] without the file)."""
    if not REAL.is_file():
        return []
    rows = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if row.get("raw")]


def real_log_lines() -> list[dict[str, Any]]:
    """The real messages whose raw log line carries a code and a message."""
    return [
        row
        for row in real_rows()
        if row.get("code") is not None and row.get("msg") and not row["raw"].startswith(NOT_LOG_LINES)
    ]

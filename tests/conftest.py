"""Shared test settings: hypothesis profiles and where the documentation snapshots live."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from shared_data import DOCS

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def _doc_snapshot(name: str) -> Path:
    path = DOCS / name
    if not path.is_file():
        pytest.skip(f"documentation snapshot {path} is not present (set BINANCE_ERRORS_SHARED to the shared/ folder)")
    return path


@pytest.fixture(scope="session")
def doc_snapshot() -> Callable[[str], Path]:
    """Finds a documentation snapshot by file name, or skips saying plainly that it is missing."""
    return _doc_snapshot

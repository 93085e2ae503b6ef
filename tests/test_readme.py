"""The examples in the README and in the package docstrings are true."""

from __future__ import annotations

import doctest
from pathlib import Path

import binance_errors

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_examples() -> None:
    failures, tried = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert tried > 10
    assert failures == 0


def test_package_docstring_examples() -> None:
    failures, tried = doctest.testmod(binance_errors)
    assert tried > 0
    assert failures == 0

"""Under its product, every message of every snapshot normalizes to its code, name and template.

These tests wait for product-aware normalisation (``normalize(code, msg, product=...)``);
until `Normalizer` has a ``products`` attribute they are skipped, saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from binance_errors import Normalizer, normalize
from binance_errors.maintainer import read_snapshot
from shared_data import PAGES

if not hasattr(Normalizer, "products"):
    pytest.skip("needs product-aware normalize (Normalizer.products)", allow_module_level=True)


def _normalize(code: int | None, message: str, product: str) -> Any:
    # Typed loosely: the product keyword arrives with the feature these tests wait for.
    normalize_: Any = normalize
    return normalize_(code, message, product=product)


def _snapshot(product: str, doc_snapshot: Callable[[str], Path]) -> Any:
    page, chinese = PAGES[product]
    return read_snapshot(doc_snapshot(page), doc_snapshot(chinese) if chinese else None)


@pytest.mark.parametrize("product", sorted(PAGES))
def test_english_bullets_normalize_to_their_template_under_their_product(
    product: str, doc_snapshot: Callable[[str], Path]
) -> None:
    for doc in _snapshot(product, doc_snapshot).codes:
        for message in doc.messages:
            record = _normalize(doc.code, message.en, product)
            assert (record.template, record.template_code, record.match) == (message.en, doc.code, "exact")
            # A code documented twice (-5012): each message carries the name of its own heading.
            assert record.name == doc.name, message.en


@pytest.mark.parametrize("product", sorted(PAGES))
def test_chinese_wordings_normalize_to_the_english_they_translate(
    product: str, doc_snapshot: Callable[[str], Path]
) -> None:
    for doc in _snapshot(product, doc_snapshot).codes:
        for message in doc.messages:
            for text in [message.zh, *message.zh_more] if message.zh else []:
                record = _normalize(doc.code, text, product)
                assert (record.template, record.template_code) == (message.en, doc.code), text


@pytest.mark.parametrize("product", ["sapi", "spot", "margin", "portfolio_margin_pro"])
def test_table_rows_classify_under_their_product(product: str, doc_snapshot: Callable[[str], Path]) -> None:
    snapshot = _snapshot(product, doc_snapshot)
    for kind, rows in (("filter_failure", snapshot.filters), ("order_rejection", snapshot.rejections)):
        for row in rows:
            record = _normalize(-2010, row.en, product)
            assert (record.kind, record.template) == (kind, row.en), row.en
            assert record.subtype is not None


def test_a_colliding_code_resolves_by_product() -> None:
    assert _normalize(-4003, "Quantity less than zero.", "usdm").template_code == -4003
    assert _normalize(-4003, "Quantity less than zero.", "usdm").name == "QTY_LESS_THAN_ZERO"
    assert _normalize(-4003, "Your input email is invalid.", "sapi").template_id == "-4003"

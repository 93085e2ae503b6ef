"""Every product line's catalog: it loads, it covers its page snapshot, it shares honestly.

The snapshots sit outside the repository (shared/docs); where one is absent its tests are
skipped with a message that says so.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from binance_errors.catalog import Catalog, load_catalogs, packaged_catalog_paths
from binance_errors.docpage import read_page
from binance_errors.maintainer import audit, read_catalog, read_snapshot
from binance_errors.maintainer.catalogfile import CatalogCode
from shared_data import PAGES

# product -> (page snapshot, separate Chinese page or None)
# Distinct codes and English bullets of each page (the docs README's figures where it gives them).
PAGE_FIGURES = {
    "sapi": (235, 252),
    "spot": (104, 145),
    "usdm": (201, 244),
    "coinm": (155, 190),
    "options": (122, 138),
    "portfolio_margin": (165, 200),
    "margin": (243, 260),
    "portfolio_margin_pro": (236, 252),
}
FOLDER = packaged_catalog_paths()[0].parent


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    return load_catalogs(packaged_catalog_paths())


def catalog_path(product: str) -> Path:
    return FOLDER / f"{product}.toml"


def page_paths(product: str, doc_snapshot: Callable[[str], Path]) -> tuple[Path, Path | None]:
    page, chinese = PAGES[product]
    return doc_snapshot(page), doc_snapshot(chinese) if chinese else None


def test_every_product_has_a_catalog_that_loads(catalogs: dict[str, Catalog]) -> None:
    assert set(PAGES) <= set(catalogs)
    for product, catalog in catalogs.items():
        assert catalog.templates, product


@pytest.mark.parametrize("product", sorted(PAGES))
def test_page_figures(product: str, doc_snapshot: Callable[[str], Path]) -> None:
    page = read_page(*page_paths(product, doc_snapshot))
    english = page.parts["en"]
    figures = (len({code.code for code in english.codes}), sum(len(code.bullets) for code in english.codes))
    assert figures == PAGE_FIGURES[product]


@pytest.mark.parametrize("product", sorted(PAGES))
def test_every_bullet_and_row_of_both_languages_is_a_wording(
    product: str, catalogs: dict[str, Catalog], doc_snapshot: Callable[[str], Path]
) -> None:
    page = read_page(*page_paths(product, doc_snapshot))
    wordings = {wording.text for template in catalogs[product].templates for wording in template.wordings}
    missing = [(part.lang, text) for part in page.parts.values() for text in part.messages() if text not in wordings]
    assert missing == []


@pytest.mark.parametrize("product", sorted(PAGES))
def test_every_code_of_the_page_is_in_the_catalog_with_its_name(
    product: str, catalogs: dict[str, Catalog], doc_snapshot: Callable[[str], Path]
) -> None:
    page = read_page(*page_paths(product, doc_snapshot))
    codes = catalogs[product].codes
    seen: set[int] = set()
    for doc_code in page.parts["en"].codes:
        assert doc_code.code in codes, doc_code.code
        if doc_code.code not in seen:  # a code documented twice keeps its first heading's name
            assert codes[doc_code.code].name == (doc_code.name or None), doc_code.code
        seen.add(doc_code.code)


@pytest.mark.parametrize("product", sorted(PAGES))
def test_the_audit_finds_no_difference_between_page_and_catalog(
    product: str, doc_snapshot: Callable[[str], Path]
) -> None:
    # Stricter than coverage: each Chinese text must translate the English bullet it pairs with.
    snapshot = read_snapshot(*page_paths(product, doc_snapshot))
    assert audit(snapshot, read_catalog(catalog_path(product))) == []


def test_template_ids_are_unique_and_prefixed_with_their_product() -> None:
    ids: list[str] = []
    for path in sorted(FOLDER.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        product = data["catalog"]["product"]
        own = [message["id"] for code in data.get("code", []) for message in code.get("message", [])]
        own += [row["id"] for key in ("filter", "rejection") for row in data.get(key, [])]
        if product != "sapi":
            assert all(identifier.startswith(f"{product}:") for identifier in own), product
        ids += own
    assert len(ids) == len(set(ids))


def _content(code: CatalogCode) -> tuple[object, ...]:
    return (code.name, [(m.en, m.zh, m.args, m.zh_args, m.older) for m in code.messages])


@pytest.mark.parametrize("product", sorted(PAGES))
def test_same_as_is_used_only_where_the_page_says_exactly_the_same(
    product: str, doc_snapshot: Callable[[str], Path]
) -> None:
    catalog = read_catalog(catalog_path(product))
    snapshot = read_snapshot(*page_paths(product, doc_snapshot))
    page = {doc.code: doc for doc in snapshot.codes}
    shared = [code for code in catalog.own_codes if code.same_as is not None]
    for code in shared:
        doc = page[code.code]
        assert doc.name == code.name, code.code
        assert [(m.en, m.zh) for m in doc.messages] == [(m.en, m.zh) for m in code.messages], code.code


def test_no_code_is_copied_where_it_could_be_shared() -> None:
    # Two products defining a code in full with the same name, messages, arguments and
    # wordings should share one definition instead.
    full: dict[tuple[int, str], list[str]] = {}
    for path in sorted(FOLDER.glob("*.toml")):
        catalog = read_catalog(path)
        for code in catalog.own_codes:
            if code.same_as is None and code.messages:
                full.setdefault((code.code, repr(_content(code))), []).append(catalog.product)
    copied = {key[0]: products for key, products in full.items() if len(products) > 1}
    assert copied == {}


def test_products_built_on_sapi_list_only_what_differs() -> None:
    margin = read_catalog(catalog_path("margin"))
    assert margin.extends == "sapi"
    assert sorted(code.code for code in margin.own_codes) == sorted(
        [-1109, -1110, -1122, -1123, -1124, -2017, -2018, -3064]
    )
    pro = read_catalog(catalog_path("portfolio_margin_pro"))
    assert pro.extends == "sapi"
    # The page adds -21015 and lists -1003 without "Too many requests queued.".
    assert sorted(code.code for code in pro.own_codes) == [-21015, -1003]


def test_spot_has_its_own_tables_and_futures_have_none(catalogs: dict[str, Catalog]) -> None:
    spot_tables = [template for template in catalogs["spot"].templates if template.code is None]
    assert sum(template.kind == "filter_failure" and template.subtype is not None for template in spot_tables) == 18
    assert sum(template.kind == "order_rejection" for template in spot_tables) == 41
    for product in ("usdm", "coinm", "options", "portfolio_margin"):
        assert all(template.code is not None for template in catalogs[product].templates), product


def test_new_placeholder_forms_are_typed(catalogs: dict[str, Catalog]) -> None:
    spot = catalogs["spot"]
    assert [arg.type for arg in spot.template("spot:-1128.5").args] == ["list"]
    assert [arg.type for arg in spot.template("spot:-1182").args] == ["list"]
    assert [arg.type for arg in spot.template("spot:-1179").args] == ["int"]
    assert [arg.name for arg in spot.template("spot:-1224").args] == ["tag"]
    assert [arg.type for arg in catalogs["usdm"].template("usdm:-4020").args] == ["text", "bool"]
    # FIX message types in backticks are text, not placeholders.
    assert spot.template("spot:-1035").args == ()
    assert spot.template("spot:-1176").args == ()

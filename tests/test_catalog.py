"""Loading and checking catalog files."""

from __future__ import annotations

from pathlib import Path

import pytest

import binance_errors
from binance_errors.catalog import (
    CACHE_NAME,
    CatalogError,
    default_catalog,
    load_catalog,
    load_catalogs,
    packaged_catalog_paths,
    read_catalog_cache,
    write_catalog_cache,
)

MINIMAL = """
[catalog]
product = "test"
source = "hand-written"

[[code]]
code = -1
name = "ONE"
group = "tests"

[[code.message]]
id = "-1"
en = "Value %s is bad."
zh = "值 %s 不好。"
args = ["value: int"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_catalog_loads(tmp_path: Path) -> None:
    catalog = load_catalog([write(tmp_path, MINIMAL)])
    (template,) = catalog.templates
    assert template.id == "-1"
    assert [w.lang for w in template.wordings] == ["en", "zh"]
    assert template.render({"value": "7"}, "zh") == "值 7 不好。"
    assert catalog.codes[-1].name == "ONE"


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (('args = ["value: int"]', 'args = ["value: money"]'), "unknown type 'money'"),
        (('args = ["value: int"]', "args = []"), "has 1 placeholders but 0 arguments"),
        (('args = ["value: int"]', 'args = ["value int"]'), "must read 'name: type'"),
        (("zh = ", 'zh_args = ["other"]\nzh = '), "names arguments ['other']"),
        (('name = "ONE"', 'name = "ONE"\ncolour = "red"'), "unknown keys ['colour']"),
        (("code = -1\n", 'code = "-1"\n'), "'code' must be a int"),
        (('[catalog]\nproduct = "test"\n', "[catalog]\n"), "missing 'product'"),
        (('id = "-1"', 'id = "-1"\nolder = ["text"]'), "each 'older' entry must be a table"),
    ],
)
def test_bad_catalogs_name_the_fault(tmp_path: Path, change: tuple[str, str], complaint: str) -> None:
    old, new = change
    assert old in MINIMAL
    with pytest.raises(CatalogError, match=r".*") as raised:
        load_catalog([write(tmp_path, MINIMAL.replace(old, new, 1))])
    assert complaint in str(raised.value)
    assert "catalog.toml" in str(raised.value) or "product" in complaint


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    text = MINIMAL + MINIMAL.split("[[code]]", 1)[1].join(["\n[[code]]", ""])
    with pytest.raises(CatalogError, match="used twice"):
        load_catalog([write(tmp_path, text)])


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read"):
        load_catalog([tmp_path / "missing.toml"])
    with pytest.raises(CatalogError, match="not valid TOML"):
        load_catalog([write(tmp_path, "[[code]\n")])
    with pytest.raises(CatalogError, match="no catalog files"):
        load_catalog([])


def test_packaged_catalog_is_shipped_with_the_package() -> None:
    paths = packaged_catalog_paths()
    package = Path(binance_errors.__file__).resolve().parent
    if "src" not in package.parts:
        # An installed wheel reads its own copy, never the checkout.
        assert all(package in path.resolve().parents for path in paths)
    assert any(path.name == "sapi.toml" for path in paths)
    catalog = default_catalog()
    assert catalog.codes[-1003].name == "TOO_MANY_REQUESTS"


def test_template_ids_are_unique_and_wordings_are_typed() -> None:
    catalog = default_catalog()
    ids = [template.id for template in catalog.templates]
    assert len(ids) == len(set(ids))
    for template in catalog.templates:
        assert template.wordings[0].lang == "en"
        assert template.wordings[0].text == template.en
        for wording in template.wordings:
            assert sorted(wording.arg_order) == sorted(set(wording.arg_order))


BASE = """
[catalog]
product = "base"
source = "hand-written"

[[code]]
code = -1
name = "ONE"
group = "tests"

[[code.message]]
id = "-1"
en = "One went wrong."

[[code]]
code = -2
name = "TWO"
group = "tests"

[[code.message]]
id = "-2"
en = "Two went wrong."

[[rejection]]
id = "rejection.NOPE"
subtype = "NOPE"
en = "Nope."
description = "A test rejection."
"""


def write_named(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_extends_same_as_and_tables_from(tmp_path: Path) -> None:
    child = """
[catalog]
product = "child"
source = "hand-written"
extends = "base"

[[code]]
code = -2
name = "TWO_HERE"
group = "child tests"

[[code.message]]
id = "child:-2"
en = "Two means something else here."
"""
    cousin = """
[catalog]
product = "cousin"
source = "hand-written"
tables_from = "base"

[[code]]
code = -1
same_as = "base"
group = "cousin group"
"""
    paths = [write_named(tmp_path, name, text) for name, text in (("base", BASE), ("child", child), ("cousin", cousin))]
    catalogs = load_catalogs(paths)
    base, extended, sibling = catalogs["base"], catalogs["child"], catalogs["cousin"]
    assert [t.id for t in extended.templates] == ["-1", "child:-2", "rejection.NOPE"]
    assert extended.codes[-2].name == "TWO_HERE"
    assert extended.template("-1") is base.template("-1")
    assert [t.id for t in sibling.templates] == ["-1", "rejection.NOPE"]
    assert (sibling.codes[-1].name, sibling.codes[-1].group) == ("ONE", "cousin group")
    assert load_catalog(paths, product="cousin") is not None
    with pytest.raises(CatalogError, match="several products"):
        load_catalog(paths)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ('[catalog]\nproduct = "x"\nsource = "s"\nextends = "nowhere"\n', "which no catalog file defines"),
        ('[catalog]\nproduct = "x"\nsource = "s"\n[[code]]\ncode = -9\nsame_as = "base"\n', "does not define it"),
        ('[catalog]\nproduct = "x"\nsource = "s"\n[[code]]\ncode = -1\nsame_as = "base"\nname = "N"\n', "unknown keys"),
        ('[catalog]\nproduct = "x"\nsource = "s"\nextends = "x"\n', "in a circle"),
        ('[catalog]\nproduct = "base"\nsource = "s"\n', "already defined"),
        ('[catalog]\nproduct = "x"\nsource = "s"\ncolour = "red"\n', "unknown keys ['colour']"),
    ],
)
def test_bad_references_name_the_fault(tmp_path: Path, text: str, complaint: str) -> None:
    paths = [write_named(tmp_path, "base", BASE), write_named(tmp_path, "x", text)]
    with pytest.raises(CatalogError) as raised:
        load_catalogs(paths)
    assert complaint in str(raised.value)


def test_catalog_cache_is_used_only_when_it_matches_the_files(tmp_path: Path) -> None:
    paths = packaged_catalog_paths()
    cache = tmp_path / CACHE_NAME
    write_catalog_cache(paths, cache)
    cached = read_catalog_cache(paths, cache)
    assert cached is not None
    fresh = load_catalogs(paths)
    assert {p: [t.id for t in c.templates] for p, c in cached.items()} == {
        p: [t.id for t in c.templates] for p, c in fresh.items()
    }
    assert cached["sapi"].template("-1003.2") == fresh["sapi"].template("-1003.2")
    # Another set of files (or edited ones) does not match the key: the TOML is read instead.
    assert read_catalog_cache(paths[:1], cache) is None
    cache.write_bytes(b"not a pickle")
    assert read_catalog_cache(paths, cache) is None
    assert read_catalog_cache(paths, tmp_path / "absent.pickle") is None


def test_an_installed_wheel_reads_its_preloaded_catalogs() -> None:
    paths = packaged_catalog_paths()
    cache = paths[0].parent / CACHE_NAME
    if not cache.is_file():
        pytest.skip("not an installed wheel (an editable install reads the TOML files)")
    cached = read_catalog_cache(paths, cache)
    assert cached is not None
    assert list(cached) == list(load_catalogs(paths))

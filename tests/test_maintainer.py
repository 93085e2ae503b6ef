"""The maintainer tools: page reading quirks, pairing, draft and audit, and their CLI."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from binance_errors.catalog import CatalogError, load_catalogs, packaged_catalog_paths
from binance_errors.cli import main
from binance_errors.docpage import read_page
from binance_errors.maintainer import DraftOptions, audit, draft, read_catalog, read_snapshot
from binance_errors.maintainer.catalogfile import sibling_catalogs
from binance_errors.maintainer.draft import UNMAPPED, UNTYPED
from binance_errors.maintainer.snapshot import _pair_interleaved, _pair_parallel

FOLDER = packaged_catalog_paths()[0].parent
SAPI = FOLDER / "sapi.toml"
PRODUCT_PAGES = {
    "spot": "spot-errors.md",
    "usdm": "usdm-futures-errors.md",
    "coinm": "coinm-futures-errors.md",
    "options": "options-errors.md",
    "portfolio_margin": "portfolio-margin-errors.md",
    "margin": "margin-trading-errors.md",
    "portfolio_margin_pro": "portfolio-margin-pro-errors.md",
}
SHARING = {
    "spot": ("sapi",),
    "usdm": ("sapi", "spot"),
    "coinm": ("usdm", "sapi", "spot"),
    "portfolio_margin": ("usdm", "coinm", "sapi", "spot"),
    "options": ("usdm", "coinm", "sapi", "spot"),
}


def test_audit_of_the_same_page_finds_nothing(
    doc_snapshot: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    page = doc_snapshot("sapi-errors.md")
    assert audit(read_snapshot(page), read_catalog(SAPI)) == []
    assert main(["catalog", "audit", str(page), str(SAPI)]) == 0
    assert capsys.readouterr().out.endswith("no differences\n")


def test_audit_of_the_newer_page_finds_exactly_the_added_4106(
    doc_snapshot: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    page = doc_snapshot("sapi-errors-2026-06.md")
    differences = audit(read_snapshot(page), read_catalog(SAPI))
    assert [(d.change, d.subject, d.where) for d in differences] == [("added", "code", "-4106")]
    assert "TAG_NOT_SUPPORTED_FOR_NETWORK" in str(differences[0].new)
    assert any(detail.startswith("zh: ") for detail in differences[0].details)
    assert main(["catalog", "audit", str(page), str(SAPI)]) == 1
    out = capsys.readouterr().out
    assert "+ -4106 code added: TAG_NOT_SUPPORTED_FOR_NETWORK" in out
    assert out.endswith("1 difference: 1 added, 0 removed, 0 changed\n")


def test_audit_reports_changed_removed_and_chinese_edits(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "## 10xx - General\n### -1 ONE\n * First, edited.\n### -3 THREE\n * Third.\n"
        "# 错误代码\n## 10xx\n### -1 ONE\n * 第一。\n### -3 THREE\n * 第三，改。\n",
        encoding="utf-8",
    )
    catalog = tmp_path / "x.toml"
    catalog.write_text(
        '[catalog]\nproduct = "x"\nsource = "test"\n'
        '[[code]]\ncode = -1\nname = "ONE"\ngroup = "10xx - General"\n'
        '[[code.message]]\nid = "x:-1"\nen = "First."\nzh = "第一。"\n'
        '[[code]]\ncode = -2\nname = "TWO"\ngroup = "10xx - General"\n'
        '[[code.message]]\nid = "x:-2"\nen = "Second."\n'
        '[[code]]\ncode = -3\nname = "THREE"\ngroup = "10xx - General"\n'
        '[[code.message]]\nid = "x:-3"\nen = "Third."\nzh = "第三。"\n',
        encoding="utf-8",
    )
    found = [(d.change, d.subject, d.where) for d in audit(read_snapshot(page), read_catalog(catalog))]
    assert found == [("changed", "message", "-1"), ("removed", "code", "-2"), ("changed", "chinese", "-3")]


def test_draft_leaves_a_marker_the_loader_refuses(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "## 40xx - Filters\n### -4999 NEW_CODE\n * Value %s is over %s.\n"
        "# 错误代码\n## 40xx\n### -4999 NEW_CODE\n * 值%s过大。\n",
        encoding="utf-8",
    )
    text = draft(read_snapshot(page), DraftOptions(product="newline"))
    assert f"arg1: {UNTYPED}" in text and UNMAPPED in text and text.startswith("# DRAFT")
    path = tmp_path / "newline.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError):
        load_catalogs([path])


@pytest.mark.parametrize("product", sorted(PRODUCT_PAGES))
def test_the_draft_of_each_page_is_its_catalog(product: str, doc_snapshot: Callable[[str], Path]) -> None:
    # The catalogs are the generator's output, reviewed: regenerating from the page and the
    # catalogs' own decisions gives the same data (ids, arguments, sharing) back.
    page = doc_snapshot(PRODUCT_PAGES[product])
    catalogs = sibling_catalogs(FOLDER)
    committed = tomllib.loads((FOLDER / f"{product}.toml").read_text(encoding="utf-8"))
    options = DraftOptions(
        product=product,
        extends=committed["catalog"].get("extends"),
        share_with=SHARING.get(product, ()),
        catalogs=catalogs,
    )
    assert tomllib.loads(draft(read_snapshot(page), options)) == committed


def test_draft_keeps_released_ids_when_a_message_is_inserted(tmp_path: Path) -> None:
    catalog = tmp_path / "x.toml"
    catalog.write_text(
        '[catalog]\nproduct = "x"\nsource = "test"\n[[code]]\ncode = -1\nname = "ONE"\ngroup = "G"\n'
        '[[code.message]]\nid = "x:-1.1"\nen = "A."\n[[code.message]]\nid = "x:-1.2"\nen = "B."\n',
        encoding="utf-8",
    )
    page = tmp_path / "page.md"
    page.write_text("## G\n### -1 ONE\n * New first.\n * A.\n * B.\n", encoding="utf-8")
    text = draft(read_snapshot(page), DraftOptions(product="x", catalogs={"x": read_catalog(catalog)}))
    ids = {m["en"]: m["id"] for c in tomllib.loads(text)["code"] for m in c["message"]}
    assert ids == {"New first.": "x:-1.3", "A.": "x:-1.1", "B.": "x:-1.2"}


def test_cli_draft_writes_a_file(tmp_path: Path, doc_snapshot: Callable[[str], Path]) -> None:
    out = tmp_path / "margin.toml"
    page = doc_snapshot("margin-trading-errors.md")
    assert main(["catalog", "draft", str(page), "--product", "margin", "--extends", "sapi", "-o", str(out)]) == 0
    data = tomllib.loads(out.read_text(encoding="utf-8"))
    assert data["catalog"]["extends"] == "sapi"
    assert len(data["code"]) == 8


def test_cli_refuses_a_missing_page(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["catalog", "audit", str(tmp_path / "absent.md"), str(SAPI)])
    assert exit_.value.code == 2


# Pairing the Chinese half with the English one.


def test_interleaved_translation_follows_its_english() -> None:
    english = ["E1.", "E2 %s.", "E3."]
    assert _pair_interleaved(english, ["E1.", "中一", "E2 %s.", "E3.", "中三"]) == {0: ["中一"], 2: ["中三"]}


def test_grouped_translations_follow_the_english_in_order() -> None:
    english = ["Order's notional must be no smaller than one", "Order's notional must be no smaller than %s"]
    chinese = ["Order's notional must be no smaller than 5.0", english[1], "名义价值大于5", "名义价值大于%s"]
    pairs = _pair_interleaved(english, chinese)
    assert pairs[0] == ["Order's notional must be no smaller than 5.0", "名义价值大于5"]
    assert pairs[1] == ["名义价值大于%s"]


def test_half_translated_copies_are_not_translations() -> None:
    english = ["Too many parameters sent for this endpoint.", "Duplicate values for a parameter detected."]
    chinese = ["Too many 参数 sent for this endpoint.", "为此端点发送的参数太多。", english[1], "检测到的参数值重复。"]
    assert _pair_interleaved(english, chinese) == {
        0: ["Too many 参数 sent for this endpoint.", "为此端点发送的参数太多。"],
        1: ["检测到的参数值重复。"],
    }


def test_a_lone_translation_prefers_an_english_bullet_with_as_many_placeholders() -> None:
    english = ["invalid options id", "invalid options id: %s", "duplicate options id %d for user %d"]
    assert _pair_interleaved(english, [*english, "期权ID无效"]) == {0: ["期权ID无效"]}


def test_parallel_chinese_file_pairs_by_position() -> None:
    english = ["Too many concurrent connections.", "For account: %s per '%s'.", "From IP: %s per '%s'."]
    chinese = [english[0], "For account:  %s per '%s'.", "From IP: %s"]
    assert _pair_parallel(english, chinese) == {1: ["For account:  %s per '%s'."], 2: ["From IP: %s"]}


# Page reading quirks.


def test_spot_tables_with_odd_rows(doc_snapshot: Callable[[str], Path]) -> None:
    page = read_page(doc_snapshot("spot-errors.md"), doc_snapshot("spot-errors-cn.md"))
    english = page.parts["en"]
    messages = [message for message, _ in english.rejection_rows]
    assert len(english.filter_rows) == 18 and len(messages) == 41
    assert "Rest API trading is not enabled." in messages and "WebSocket API trading is not enabled." in messages
    assert "FIX API trading is not enabled." in messages
    assert "The requested action would change no state; rejecting" in messages
    assert "OPO orders are not supported for this symbol." in messages
    assert [carrier.code for carrier in english.carriers] == [-1010, -2010, -2011, -2038]
    # " ### -1152" in the Chinese file is a heading all the same.
    assert [code.code for code in page.parts["zh"].codes].count(-1152) == 1


def test_glued_bullets_are_split(doc_snapshot: Callable[[str], Path]) -> None:
    page = read_page(doc_snapshot("usdm-futures-errors.md"))
    chinese = next(code for code in page.parts["zh"].codes if code.code == -1015)
    assert "新订单太多； 当前限制为每％s ％s个订单。" in chinese.bullets
    assert all("  * " not in bullet for code in page.parts["zh"].codes for bullet in code.bullets)


def test_the_sapi_page_still_reads_the_same(doc_snapshot: Callable[[str], Path]) -> None:
    english = read_page(doc_snapshot("sapi-errors.md")).parts["en"]
    assert len(english.codes) == 236
    assert sum(len(code.bullets) for code in english.codes) == 252
    assert (len(english.filter_rows), len(english.rejection_rows)) == (14, 26)

"""The maintainer tools: page reading quirks, pairing, draft and audit, and their CLI."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from binance_errors.catalog import CATEGORIES, CatalogError, load_catalogs, packaged_catalog_paths
from binance_errors.cli import main
from binance_errors.docpage import read_page
from binance_errors.maintainer import DraftOptions, audit, draft, read_catalog, read_snapshot
from binance_errors.maintainer.catalogfile import sibling_catalogs
from binance_errors.maintainer.draft import UNDECIDED, UNMAPPED, UNTYPED
from binance_errors.maintainer.snapshot import _pair_interleaved, _pair_parallel

FOLDER = packaged_catalog_paths()[0].parent
SAPI = FOLDER / "sapi.toml"
PRODUCT_PAGES = {
    "sapi": "sapi-errors.md",
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


@pytest.mark.parametrize("product", sorted(PRODUCT_PAGES))
def test_audit_of_each_page_against_its_catalog_finds_nothing(
    product: str, doc_snapshot: Callable[[str], Path]
) -> None:
    # The catalogs' own additions (rules, older wordings, descriptions) are not on the page.
    page = doc_snapshot(PRODUCT_PAGES[product])
    assert audit(read_snapshot(page), read_catalog(FOLDER / f"{product}.toml")) == []


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


# A small product line with every kind of reviewed decision: code and message rules with their
# comments, a suffix, a table row with a rule, an older wording with its provenance.
RULED_CATALOG = """[catalog]
product = "x"
source = "test"

# Appended by the servers.
[[suffix]]
name = "request_ip"
text = ", request ip: %s"
type = "text"
description = "The caller's IP."

[[code]]
code = -1
name = "ONE"
group = "G"
# why: waiting is enough
category = "server"
retryable = true

[[code.message]]
id = "x:-1.1"
en = "Busy until %s."
args = ["until: epoch_ms"]
retry_after = "until"

[[code.message]]
id = "x:-1.2"
en = "Broken."
# where it was seen
older = [{ text = "Broke.", seen = "2020" }]
# why: this one does not clear
category = "validation"
retryable = false

[[rejection]]
id = "x:rejection.FULL"
subtype = "FULL"
en = "Book full."
description = "The book is full."
# why: clears when orders go
category = "market"
retryable = true
"""


def _ruled_draft(tmp_path: Path, page_text: str) -> str:
    catalog = tmp_path / "x.toml"
    catalog.write_text(RULED_CATALOG, encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(page_text, encoding="utf-8")
    return draft(read_snapshot(page), DraftOptions(product="x", catalogs={"x": read_catalog(catalog)}))


_RULED_PAGE = (
    "## G\n### -1 ONE\n * Busy until %s.\n * Broken.\n"
    "## Order Rejection Issues\nError message| Description\n---|---\n"
    '"Book full." | The book is full of orders.\n'
)


def test_draft_keeps_rules_comments_and_suffixes(tmp_path: Path) -> None:
    text = _ruled_draft(tmp_path, _RULED_PAGE)
    assert tomllib.loads(text) == {**tomllib.loads(RULED_CATALOG), "catalog": tomllib.loads(text)["catalog"]}
    for comment in ("# Appended by the servers.", "# why: waiting is enough", "# where it was seen"):
        assert comment in text
    assert "# why: this one does not clear\ncategory" in text and "# why: clears when orders go" in text
    assert UNDECIDED not in text and not text.startswith("# DRAFT")
    path = tmp_path / "redrafted" / "x.toml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    action = load_catalogs([path])["x"].template("x:-1.1").action
    assert action is not None and (action.category, action.retry_after_arg) == ("server", "until")


def test_draft_marks_new_codes_messages_and_rows_undecided(tmp_path: Path) -> None:
    assert UNDECIDED not in CATEGORIES
    page = (
        "## G\n### -1 ONE\n * Busy until %s.\n * Broken.\n * Brand new.\n### -2 TWO\n * Second.\n"
        "## Order Rejection Issues\nError message| Description\n---|---\n"
        '"Book full." | The book is full of orders.\n"Book shut." | Closed.\n'
    )
    text = _ruled_draft(tmp_path, page)
    data = tomllib.loads(text)
    one, two = data["code"]
    # The known code and messages keep their rules; the new message, code and row are undecided.
    assert (one["category"], one["retryable"]) == ("server", True)
    assert [message.get("category") for message in one["message"]] == [None, "validation", UNDECIDED]
    assert two["category"] == UNDECIDED and "category" not in two["message"][0]
    assert [row.get("category") for row in data["rejection"]] == ["market", UNDECIDED]
    assert text.startswith("# DRAFT") and UNDECIDED in text.split("\n\n")[0]
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=UNDECIDED):
        load_catalogs([path])


def test_draft_marks_a_code_new_to_the_product_even_where_another_product_decided(tmp_path: Path) -> None:
    # A code can mean something else on another API: its rule there is no rule here.
    other = tmp_path / "x.toml"
    other.write_text(RULED_CATALOG, encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("## G\n### -1 ONE\n * Broken.\n", encoding="utf-8")
    text = draft(read_snapshot(page), DraftOptions(product="y", catalogs={"x": read_catalog(other)}))
    assert tomllib.loads(text)["code"][0]["category"] == UNDECIDED


def test_draft_keeps_in_full_a_code_whose_rule_differs_from_the_base(tmp_path: Path) -> None:
    base = tmp_path / "x.toml"
    base.write_text(RULED_CATALOG, encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("## G\n### -1 ONE\n * Busy until %s.\n * Broken.\n", encoding="utf-8")
    catalogs = {"x": read_catalog(base)}
    inherited = draft(read_snapshot(page), DraftOptions(product="y", extends="x", catalogs=catalogs))
    assert "code" not in tomllib.loads(inherited)
    own = tmp_path / "y.toml"
    own.write_text(
        '[catalog]\nproduct = "y"\nsource = "test"\nextends = "x"\n'
        '[[code]]\ncode = -1\nname = "ONE"\ngroup = "G"\ncategory = "account"\nretryable = false\n'
        '[[code.message]]\nid = "y:-1.1"\nen = "Busy until %s."\nargs = ["until: epoch_ms"]\n'
        '[[code.message]]\nid = "y:-1.2"\nen = "Broken."\n',
        encoding="utf-8",
    )
    catalogs["y"] = read_catalog(own)
    kept = tomllib.loads(draft(read_snapshot(page), DraftOptions(product="y", extends="x", catalogs=catalogs)))
    assert [(code["code"], code["category"], code["retryable"]) for code in kept["code"]] == [(-1, "account", False)]


def test_draft_takes_source_and_date_from_front_matter(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "---\nexchange: binance\nsource_url: https://example.test/errors\nupdated_at: 2026-01-15T23:50:33\n---\n"
        "## G\n### -1 ONE\n * Broken.\n",
        encoding="utf-8",
    )
    meta = tomllib.loads(draft(read_snapshot(page), DraftOptions(product="x")))["catalog"]
    assert (meta["source"], meta["snapshot"]) == ("https://example.test/errors", "2026-01-15")


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

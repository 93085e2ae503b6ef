"""Every message of the SAPI documentation snapshot is in the catalog and normalizes right.

The snapshot sits outside the repository (shared/docs); where it is absent these tests
are skipped with a message that says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

from binance_errors import normalize
from binance_errors.catalog import default_catalog
from binance_errors.docpage import DocCode, DocPage, read_page
from binance_errors.placeholders import PLACEHOLDER


@pytest.fixture(scope="module")
def page(doc_snapshot: Callable[[str], Path]) -> DocPage:
    return read_page(doc_snapshot("sapi-errors.md"))


def placeholder_tokens(text: str) -> int:
    return len(PLACEHOLDER.findall(text))


def test_page_counts_are_those_the_docs_readme_states(page: DocPage) -> None:
    english = page.parts["en"]
    assert len({code.code for code in english.codes}) == 235
    assert sum(len(code.bullets) for code in english.codes) == 252
    assert (len(english.filter_rows), len(english.rejection_rows)) == (14, 26)


def test_every_message_of_both_languages_is_in_the_catalog(page: DocPage) -> None:
    texts = {wording.text for template in default_catalog("sapi").templates for wording in template.wordings}
    missing = [(part.lang, text) for part in page.parts.values() for text in part.messages() if text not in texts]
    assert missing == []


def test_every_code_keeps_its_heading(page: DocPage) -> None:
    catalog = default_catalog()
    for doc_code in page.parts["en"].codes:
        info = catalog.codes[doc_code.code]
        if doc_code.code != -5012:
            assert info.name == (doc_code.name or None)
            assert info.group == doc_code.group


def english_bullets(page: DocPage) -> list[tuple[DocCode, str]]:
    return [(code, bullet) for code in page.parts["en"].codes for bullet in code.bullets]


def test_english_bullets_normalize_to_their_code_name_and_template(page: DocPage) -> None:
    for doc_code, bullet in english_bullets(page):
        record = normalize(doc_code.code, bullet, product="sapi")
        assert record.template == bullet, bullet
        assert record.template_code == doc_code.code
        assert record.name == (doc_code.name or None)
        assert record.match == "exact"
        assert record.lang == "en"


def test_chinese_bullets_normalize_to_the_english_template_they_translate(page: DocPage) -> None:
    # Pair the two halves the way a reader does: the n-th heading of a code in Chinese
    # is its n-th heading in English, and a bullet that repeats English is not a translation.
    english: dict[int, list[DocCode]] = defaultdict(list)
    for doc_code in page.parts["en"].codes:
        english[doc_code.code].append(doc_code)
    checked = 0
    for zh_code in page.parts["zh"].codes:
        en_code = english[zh_code.code].pop(0)
        translations = [bullet for bullet in zh_code.bullets if bullet not in en_code.bullets]
        for position, bullet in enumerate(translations):
            record = normalize(zh_code.code, bullet, product="sapi")
            assert record.template == en_code.bullets[position], bullet
            assert record.template_code == zh_code.code
            assert record.lang == "zh"
            checked += 1
    assert checked > 200


@pytest.mark.parametrize("table", ["filter_rows", "rejection_rows"])
@pytest.mark.parametrize("code", [-1013, -2010, -2011, -1010, None])
def test_table_messages_classify_under_any_carrier(page: DocPage, table: str, code: int | None) -> None:
    kind = "filter_failure" if table == "filter_rows" else "order_rejection"
    for part in page.parts.values():
        for message, _description in getattr(part, table):
            record = normalize(code, message, product="sapi")
            assert record.kind == kind, message
            assert record.subtype is not None
            assert record.code == code
            if kind == "filter_failure":
                assert record.subtype.endswith(message.rsplit("_", 1)[-1])

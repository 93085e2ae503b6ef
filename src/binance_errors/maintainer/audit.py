"""Compare a page snapshot with a catalog: what was added, removed or changed.

Codes are compared heading by heading (a code documented twice is two headings), messages
by their exact English text within a heading, Chinese wordings by the English message
they translate.  A removed and an added English message under the same heading are shown
as one change, oldest first, so an edited wording reads as an edit.  What the catalog adds
on its own (older wordings, the ``Filter failure: %s`` catch-all, descriptions, argument
names) is not on the page and is not compared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from binance_errors.maintainer.catalogfile import CatalogCode, CatalogFile, CatalogRow
from binance_errors.maintainer.snapshot import CodeDoc, Row, Snapshot

Change = Literal["added", "removed", "changed"]
_SIGN = {"added": "+", "removed": "-", "changed": "~"}


@dataclass(frozen=True, slots=True)
class Difference:
    """One difference between page and catalog, with the catalog's text as ``old``."""

    change: Change
    subject: str
    """"code", "name", "group", "message", "chinese", "filter" or "rejection"."""
    where: str
    """The code ("-4106", "-5012 #2" for a second heading) or the table."""
    old: str | None = None
    new: str | None = None
    details: tuple[str, ...] = field(default=())
    """For an added or removed code: its messages, one line each."""

    def lines(self) -> list[str]:
        sign = _SIGN[self.change]
        if self.change == "changed":
            head = [f"{sign} {self.where} {self.subject} changed", f"    - {self.old}", f"    + {self.new}"]
        else:
            head = [f"{sign} {self.where} {self.subject} {self.change}: {self.new if self.new else self.old}"]
        return head + [f"    {sign} {detail}" for detail in self.details]


def _message_lines(messages: Iterable[tuple[str, str | None]]) -> tuple[str, ...]:
    lines: list[str] = []
    for en, zh in messages:
        lines.append(f"en: {en}")
        if zh is not None:
            lines.append(f"zh: {zh}")
    return tuple(lines)


def _chinese(
    where: str, en: str, page_zh: str | None, catalog_zh: str | None, older: Sequence[str]
) -> list[Difference]:
    if page_zh == catalog_zh or (page_zh is not None and page_zh in older):
        return []
    label = f"{en!r} in Chinese"
    if page_zh is None:
        return [Difference("removed", "chinese", where, old=f"{label}: {catalog_zh}")]
    if catalog_zh is None:
        return [Difference("added", "chinese", where, new=f"{label}: {page_zh}")]
    return [Difference("changed", "chinese", where, old=f"{label}: {catalog_zh}", new=f"{label}: {page_zh}")]


def _pair_texts(
    where: str, subject: str, page: Sequence[str], catalog: Sequence[str]
) -> tuple[list[Difference], set[str]]:
    """Added, removed and changed English texts, and the texts both sides have."""
    added = [text for text in page if text not in catalog]
    removed = [text for text in catalog if text not in page]
    differences: list[Difference] = []
    if len(added) == len(removed):
        differences += [
            Difference("changed", subject, where, old, new) for old, new in zip(removed, added, strict=True)
        ]
    else:
        differences += [Difference("removed", subject, where, old=text) for text in removed]
        differences += [Difference("added", subject, where, new=text) for text in added]
    return differences, set(page) & set(catalog)


def _heading(where: str, doc: CodeDoc, code: CatalogCode) -> list[Difference]:
    differences: list[Difference] = []
    if doc.name != code.name:
        differences.append(Difference("changed", "name", where, str(code.name), str(doc.name)))
    if doc.group != code.group:
        differences.append(Difference("changed", "group", where, str(code.group), str(doc.group)))
    page_en = [message.en for message in doc.messages]
    catalog_en = [message.en for message in code.messages]
    found, common = _pair_texts(where, "message", page_en, catalog_en)
    differences += found
    catalog_by_en = {message.en: message for message in code.messages}
    for message in doc.messages:
        if message.en in common:
            known = catalog_by_en[message.en]
            older = [str(wording.get("text")) for wording in known.older]
            differences += _chinese(where, message.en, message.zh, known.zh, older)
            differences += [
                Difference("added", "chinese", where, new=f"{message.en!r}, a further Chinese text: {text}")
                for text in message.zh_more
                if text not in older
            ]
    return differences


def _codes(snapshot: Snapshot, catalog: CatalogFile) -> list[Difference]:
    page: dict[int, list[CodeDoc]] = defaultdict(list)
    defined: dict[int, list[CatalogCode]] = defaultdict(list)
    for doc in snapshot.codes:
        page[doc.code].append(doc)
    for code in catalog.codes:
        defined[code.code].append(code)
    differences: list[Difference] = []
    for number in sorted(page.keys() | defined.keys(), key=lambda n: -n if n < 0 else n):
        docs, codes = page.get(number, []), defined.get(number, [])
        for index in range(max(len(docs), len(codes))):
            where = str(number) if index == 0 else f"{number} #{index + 1}"
            if index >= len(codes):
                doc = docs[index]
                lines = _message_lines((m.en, m.zh) for m in doc.messages)
                differences.append(Difference("added", "code", where, new=f"{doc.name} ({doc.group})", details=lines))
            elif index >= len(docs):
                code = codes[index]
                lines = _message_lines((m.en, m.zh) for m in code.messages)
                differences.append(
                    Difference("removed", "code", where, old=f"{code.name} ({code.group})", details=lines)
                )
            else:
                differences += _heading(where, docs[index], codes[index])
    return differences


def _table(subject: str, page: Sequence[Row], catalog: Sequence[CatalogRow]) -> list[Difference]:
    rows = [row for row in catalog if row.from_page]
    differences, common = _pair_texts(subject, "row", [row.en for row in page], [row.en for row in rows])
    by_en = {row.en: row for row in rows}
    for row in page:
        if row.en in common:
            known = by_en[row.en]
            older = [str(wording.get("text")) for wording in known.older]
            differences += _chinese(subject, row.en, row.zh, known.zh, older)
    return differences


def _unpaired(snapshot: Snapshot, catalog: CatalogFile) -> list[Difference]:
    # Chinese texts with no English counterpart must still be wordings the catalog knows.
    texts: set[str] = set()
    for code in catalog.codes:
        for message in code.messages:
            texts.update([message.en, message.zh or ""], (str(o.get("text")) for o in message.older))
    for row in (*catalog.filters, *catalog.rejections):
        texts.update([row.en, row.zh or ""], (str(o.get("text")) for o in row.older))
    return [
        Difference("added", "chinese", str(where), new=f"untranslated Chinese text: {text}")
        for where, text in snapshot.unpaired
        if text not in texts
    ]


def audit(snapshot: Snapshot, catalog: CatalogFile) -> list[Difference]:
    """Every difference between the page snapshot and the catalog, codes in page order of
    their numbers, then the tables."""
    differences = _codes(snapshot, catalog)
    differences += _table("filter table", snapshot.filters, catalog.filters)
    differences += _table("rejection table", snapshot.rejections, catalog.rejections)
    differences += _unpaired(snapshot, catalog)
    return differences


def report(differences: Sequence[Difference], page_name: str, catalog_name: str) -> str:
    """The differences for a reader, with a closing count."""
    lines = [f"audit of {catalog_name} against the page {page_name}"]
    for difference in differences:
        lines += difference.lines()
    counts: dict[str, int] = defaultdict(int)
    for difference in differences:
        counts[difference.change] += 1
    if differences:
        summary = ", ".join(f"{counts[change]} {change}" for change in ("added", "removed", "changed"))
        lines.append(f"{len(differences)} difference{'s' if len(differences) != 1 else ''}: {summary}")
    else:
        lines.append("no differences")
    return "\n".join(lines) + "\n"

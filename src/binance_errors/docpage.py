"""Read a snapshot of one of Binance's error-code pages (Markdown) into plain data.

This is a maintainer tool: the catalog is built and audited from these pages, and the
test suite checks that every message of a page is in the catalog. It is not used at
run time by `normalize`.

The pages come in two shapes: scraped documentation sites (headings carry a
``[](/docs/...)`` anchor, zero-width spaces, English then Chinese after ``# 错误代码``)
and the spot API's GitHub Markdown (plain headings).  Both are read the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CHINESE_PART_HEADING = "# 错误代码"

_HEADING = re.compile(r"^(?P<level>#{2,4})\s+(?P<title>.*?)\s*(?:\[\u200b?\]\(.*)?$")
_CODE_TITLE = re.compile(r"^(?P<code>-?\d+)\s*(?P<name>.*?)\s*$")
_BULLET = re.compile(r"^\s{0,4}\*\s+(?P<text>.+?)\s*$")
_TABLE_ROW = re.compile(r'^"(?P<message>[^"]+)"\s*\|\s*(?P<description>.*?)\s*$')
_FILTER_TABLE_TITLES = ("filter failures", "过滤器故障")
_REJECTION_TABLE_TITLES = ("order rejection issues", "订单拒绝错误")


@dataclass
class DocCode:
    """One code heading of a page with the bullets below it."""

    code: int
    name: str
    group: str
    bullets: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class DocPart:
    """One language half of a page."""

    lang: str
    codes: list[DocCode] = field(default_factory=list)
    filter_rows: list[tuple[str, str]] = field(default_factory=list)
    rejection_rows: list[tuple[str, str]] = field(default_factory=list)

    def messages(self) -> list[str]:
        """Every message text of this half: bullets, then the two tables."""
        texts = [bullet for code in self.codes for bullet in code.bullets]
        texts += [message for message, _ in self.filter_rows]
        texts += [message for message, _ in self.rejection_rows]
        return texts


@dataclass
class DocPage:
    path: Path
    parts: dict[str, DocPart]


def _clean(text: str) -> str:
    return text.replace("\u200b", "").strip()


def _parse_part(lines: list[str], lang: str) -> DocPart:
    part = DocPart(lang=lang)
    group = ""
    current: DocCode | None = None
    table: list[tuple[str, str]] | None = None
    for raw in lines:
        line = _clean(raw) if not raw.startswith(" ") else raw.replace("\u200b", "")
        heading = _HEADING.match(line)
        if heading:
            title = _clean(heading.group("title"))
            code_title = _CODE_TITLE.match(title)
            table = None
            if len(heading.group("level")) >= 3 and code_title:
                current = DocCode(int(code_title.group("code")), code_title.group("name"), group)
                part.codes.append(current)
                continue
            current = None
            group = title
            lowered = title.lower()
            if lowered.startswith(_FILTER_TABLE_TITLES):
                table = part.filter_rows
            elif lowered.startswith(_REJECTION_TABLE_TITLES):
                table = part.rejection_rows
            continue
        if table is not None:
            row = _TABLE_ROW.match(line.strip())
            if row:
                table.append((row.group("message"), row.group("description")))
            continue
        bullet = _BULLET.match(line)
        if current is not None and bullet:
            current.bullets.append(_clean(bullet.group("text")))
        elif current is not None and line.strip() and not line.startswith(("---", ">")):
            current.paragraphs.append(line.strip())
    return part


def read_page(path: str | Path) -> DocPage:
    """Parse a page snapshot; the Chinese half is present only where the page has one."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    english, marker, chinese = text.partition("\n" + CHINESE_PART_HEADING)
    parts = {"en": _parse_part(english.splitlines(), "en")}
    if marker:
        parts["zh"] = _parse_part(chinese.splitlines(), "zh")
    return DocPage(path=path, parts=parts)

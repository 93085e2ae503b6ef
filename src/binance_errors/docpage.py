"""Read a snapshot of one of Binance's error-code pages (Markdown) into plain data.

This is a maintainer tool: the catalog is built and audited from these pages, and the
test suite checks that every message of a page is in the catalog. It is not used at
run time by `normalize`.

The pages come in two shapes: scraped documentation sites (headings carry a
``[](/docs/...)`` anchor, zero-width spaces, English then Chinese after ``# 错误代码``)
and the spot API's GitHub Markdown (plain headings).  Both are read the same way.

Quirks of the pages that the reader absorbs (each seen in a real snapshot):

* a heading indented by a space (spot ``errors_CN.md``: `` ### -1152``);
* two bullets glued onto one line by the scraper (futures: ``* English.  * 中文。``);
* table rows that hold two quoted messages (``"A" / "B" | ...``), lose their closing
  quote (``"FIX API trading is not enabled. | ...``), put the full stop outside the
  quotes (``"...; rejecting". | ...``) or are pipe-bordered without quotes
  (``| OPO orders are not supported for this symbol. |  |``);
* the spot page titles its rejection table "Messages for -1010 ERROR_MSG_RECEIVED, ...".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CHINESE_PART_HEADING = "# 错误代码"

_HEADING = re.compile(r"^ {0,3}(?P<level>#{2,4})\s+(?P<title>.*?)\s*(?:\[\u200b?\]\(.*)?$")
_CODE_TITLE = re.compile(r"^(?P<code>-?\d+)\s*(?P<name>.*?)\s*$")
_BULLET = re.compile(r"^\s{0,4}\*\s+(?P<text>.+?)\s*$")
# A glued second bullet: the scraper lost the line break before "* ".
_GLUED_BULLET = re.compile(r"\s{2,}\*\s+")
_TABLE_ROW = re.compile(r'^"(?P<message>[^|]+?)(?:"\.?)?\s*\|\s*(?P<description>.*?)\s*\|?\s*$')
_BORDERED_ROW = re.compile(r"^\|\s*(?P<message>[^|\s\"][^|]*?)\s*\|\s*(?P<description>[^|]*?)\s*\|\s*$")
_SECOND_MESSAGE = re.compile(r'^(?P<first>[^"]+)"\s*/\s*"(?P<second>[^"]+)$')
_FILTER_TABLE_TITLES = ("filter failures", "过滤器故障", "订单未能通过过滤器")
_CARRIER = re.compile(r"(?<![\w-])(?P<code>-\d{4,5})\s+(?P<name>[A-Z][A-Z0-9_]+)\b")
_REJECTION_TABLE_TITLES = ("order rejection issues", "订单拒绝错误", "messages for -1010", "消息 -1010")


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
    carriers: list[DocCode] = field(default_factory=list)
    """Codes the rejection section names as carriers of its messages (``-1010 ERROR_MSG_RECEIVED``)."""

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
    source: str | None = None
    """The snapshot's ``Source:`` line (where and when it was taken), without the label."""


def _clean(text: str) -> str:
    return text.replace("\u200b", "").strip()


def _table_row(line: str) -> list[tuple[str, str]]:
    """The (message, description) pairs of one table row: none for other lines, two for
    a row that lists two messages."""
    row = _TABLE_ROW.match(line) or _BORDERED_ROW.match(line)
    if row is None:
        return []
    message, description = row.group("message").strip(), row.group("description")
    pair = _SECOND_MESSAGE.match(message)
    if pair:
        return [(pair.group("first"), description), (pair.group("second"), description)]
    return [(message, description)]


def _add_carriers(part: DocPart, text: str, group: str) -> None:
    # Only the section's prose names carriers; a table row ("Unknown order sent.") never does.
    if _TABLE_ROW.match(text.strip()) or _BORDERED_ROW.match(text.strip()):
        return
    for found in _CARRIER.finditer(text):
        code = int(found.group("code"))
        if all(carrier.code != code for carrier in part.carriers):
            part.carriers.append(DocCode(code, found.group("name"), group))


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
                _add_carriers(part, title, group)
            continue
        if table is not None:
            table.extend(_table_row(line.strip()))
            if table is part.rejection_rows:
                _add_carriers(part, line, group)
            continue
        bullet = _BULLET.match(line)
        if current is not None and bullet:
            current.bullets.extend(_clean(text) for text in _GLUED_BULLET.split(bullet.group("text")))
        elif current is not None and line.strip() and not line.startswith(("---", ">")):
            current.paragraphs.append(line.strip())
    return part


def read_page(path: str | Path, chinese_page: str | Path | None = None) -> DocPage:
    """Parse a page snapshot; the Chinese half is present only where the page has one.

    The spot API keeps its Chinese page in a file of its own (``errors_CN.md``): pass it as
    ``chinese_page`` and it becomes the Chinese half.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    english, marker, chinese = text.partition("\n" + CHINESE_PART_HEADING)
    parts = {"en": _parse_part(english.splitlines(), "en")}
    if chinese_page is not None:
        parts["zh"] = _parse_part(Path(chinese_page).read_text(encoding="utf-8").splitlines(), "zh")
    elif marker:
        parts["zh"] = _parse_part(chinese.splitlines(), "zh")
    first_line = text.split("\n", 1)[0]
    source = first_line.removeprefix("Source:").strip() if first_line.startswith("Source:") else None
    return DocPage(path=path, parts=parts, source=source)

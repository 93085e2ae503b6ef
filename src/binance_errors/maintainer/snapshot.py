"""A page snapshot as the catalog sees it: codes with (English, Chinese) message pairs.

`docpage` reads the two halves of a page separately; this module pairs them.  The pairing
rule (the one sapi.toml was built with): the n-th heading of a code in Chinese is its n-th
heading in English, and a Chinese bullet identical to an English one of that heading is not
a translation.  The remaining Chinese bullets translate English bullets by position:

* scraped pages list each English bullet followed by its translation, and sometimes leave
  a bullet untranslated, so the n-th *translation* belongs to the n-th English bullet;
* the spot API's Chinese file is a parallel list (one Chinese bullet per English bullet,
  some left in English, some lines dropped at the end), so the n-th Chinese *bullet*
  belongs to the n-th English bullet.

A Chinese bullet left over (more translations than English bullets) is kept in
``Snapshot.unpaired`` so that nothing on a page goes unaccounted for.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from binance_errors import placeholders
from binance_errors.docpage import DocCode, DocPage, DocPart, read_page

CHINESE_FILE_SUFFIX = "-cn"


@dataclass(frozen=True, slots=True)
class Message:
    en: str
    zh: str | None = None
    zh_more: tuple[str, ...] = ()
    """Further texts the Chinese half gives for this bullet: a second translation, or the
    English left (half) untranslated ("Too many 参数 sent for this endpoint.")."""


@dataclass(slots=True)
class CodeDoc:
    """One heading of a code: its name, group and messages."""

    code: int
    name: str | None
    group: str | None
    messages: list[Message] = field(default_factory=list)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the filter or the rejection table."""

    en: str
    zh: str | None
    page_description: str


@dataclass(slots=True)
class Snapshot:
    path: Path
    source: str | None
    codes: list[CodeDoc]
    filters: list[Row]
    rejections: list[Row]
    unpaired: list[tuple[int | str, str]] = field(default_factory=list)
    """Chinese texts that translate nothing on the English half: (code or table, text)."""
    date: str | None = None
    """When the page was read, where the ``Source:`` line does not say (front matter's
    ``updated_at``)."""


_WORD = re.compile(r"[A-Za-z0-9]+")
_PLACEHOLDER_LETTERS = re.compile(r"%[sdb]|\{\w*\}")
COPY_SIMILARITY = 0.6
"""Share of an English bullet's words a Chinese-page bullet must repeat to count as a copy of it."""


def _words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(_PLACEHOLDER_LETTERS.sub(" ", text))}


def _is_translation(text: str) -> bool:
    """More Chinese characters than English words: a translation, not English left on the
    Chinese page ("Too many 参数 sent for this endpoint." is a copy)."""
    english_words = [word for word in _WORD.findall(_PLACEHOLDER_LETTERS.sub(" ", text)) if not word.isdigit()]
    return sum("\u4e00" <= char <= "\u9fff" for char in text) > len(english_words)


def _copy_of(bullet: str, english: list[str], after: int) -> int:
    """The English bullet that ``bullet`` copies (left in English, or half translated as in
    "Too many 参数 sent for this endpoint."), preferring the next one in order."""
    words = _words(bullet)
    scores = [len(words & _words(text)) / max(len(_words(text)), 1) for text in english]
    order: list[int] = list(range(after + 1, len(english))) + list(range(min(after + 1, len(english))))
    for index in order:
        if scores[index] >= COPY_SIMILARITY:
            return index
    return order[0]


def _target(text: str, english: list[str], references: list[int], translated: set[int]) -> int:
    """Where a translation goes when the runs do not line up: the last English reference
    first ("E1 Z1 E2 E3 Z3", E2 left untranslated), then the earlier references, then the
    untranslated bullets after them, preferring one with as many placeholders; a
    translation with nowhere else to go is a further wording of the last reference."""
    start = references[-1] if references else 0
    order = [*reversed(references[-1:]), *references[:-1]]
    order += [i for i in range(start, len(english)) if i not in translated and i not in order]
    order = [i for i in order if i not in translated] or [start]
    wanted = placeholders.count(text)
    matching = [i for i in order if placeholders.count(english[i]) == wanted]
    return (matching or order)[0]


def _pair_interleaved(english: list[str], chinese: list[str]) -> dict[int, list[str]]:
    """Scraped pages: each English bullet (or a copy of it) is followed by its translation.

    The Chinese list is read as runs: English references (identical bullets and copies)
    then translations.  A run of translations as long as the run of references before it
    translates them in order ("E1 E2 Z1 Z2"); otherwise each translation finds its bullet
    with `_target`.
    """
    wordings: dict[int, list[str]] = defaultdict(list)
    translated: set[int] = set()
    references: list[int] = []
    run: list[str] = []
    last = -1

    def flush() -> None:
        nonlocal last
        if not run:
            return
        in_order = bool(references) and len(run) == len(references)
        for position, text in enumerate(run):
            if in_order:
                index = references[position]
            elif references:
                index = _target(text, english, references, translated)
            else:
                # No English shown before them: translations follow the English order.
                free = [i for i in range(last + 1, len(english)) if i not in translated]
                index = free[0] if free else max(last, 0)
            wordings[index].append(text)
            translated.add(index)
            last = index
        run.clear()
        references.clear()

    for bullet in chinese:
        if bullet in english:
            if run:
                flush()
            references.append(english.index(bullet))
            last = references[-1]
            continue
        if not _is_translation(bullet):
            if run:
                flush()
            copy = _copy_of(bullet, english, last)
            references.append(copy)
            wordings[copy].append(bullet)
            last = copy
            continue
        run.append(bullet)
    flush()
    return wordings


def _pair_parallel(english: list[str], chinese: list[str]) -> dict[int, list[str]]:
    """The spot API's Chinese file: the n-th Chinese bullet stands for the n-th English one."""
    wordings: dict[int, list[str]] = defaultdict(list)
    for index, bullet in enumerate(chinese):
        if bullet not in english:
            wordings[min(index, len(english) - 1)].append(bullet)
    return wordings


def _pair_bullets(english: list[str], chinese: list[str], parallel: bool) -> tuple[list[Message], list[str]]:
    if not english:
        return [], list(chinese)
    wordings = (_pair_parallel if parallel else _pair_interleaved)(english, chinese)
    messages = []
    for index, text in enumerate(english):
        found = wordings.get(index, [])
        # The translation proper comes first; copies left in English follow it.
        found = sorted(found, key=lambda wording: not _is_translation(wording))
        messages.append(Message(text, found[0] if found else None, tuple(found[1:])))
    return messages, []


def _pair_rows(english: list[tuple[str, str]], chinese: list[tuple[str, str]]) -> tuple[list[Row], list[str]]:
    english_texts = [message for message, _ in english]
    if len(chinese) == len(english):
        rows = [
            Row(en, None if zh == en else zh, description)
            for (en, description), (zh, _) in zip(english, chinese, strict=True)
        ]
        return rows, []
    leftover = [zh for zh, _ in chinese if zh not in english_texts]
    return [Row(en, None, description) for en, description in english], leftover


def _note(doc_code: DocCode) -> str | None:
    # A heading without bullets explains itself in prose (-2021 on the SAPI page).
    prose = [text for text in doc_code.paragraphs if not text.startswith("<")]
    return " ".join(prose) if prose and not doc_code.bullets else None


def snapshot_of(page: DocPage, parallel: bool = False) -> Snapshot:
    """Pair the halves of ``page``; ``parallel`` for a Chinese page kept as a parallel list."""
    english_part = page.parts["en"]
    chinese_part = page.parts.get("zh", DocPart(lang="zh"))
    codes: list[CodeDoc] = []
    by_code: dict[int, list[CodeDoc]] = defaultdict(list)
    english_bullets: dict[int, list[list[str]]] = defaultdict(list)
    for doc_code in english_part.codes:
        entry = CodeDoc(doc_code.code, doc_code.name or None, doc_code.group or None, note=_note(doc_code))
        entry.messages = [Message(bullet) for bullet in doc_code.bullets]
        codes.append(entry)
        by_code[doc_code.code].append(entry)
        english_bullets[doc_code.code].append(doc_code.bullets)
    headings = {code.code for code in codes}
    for carrier in english_part.carriers:
        if carrier.code not in headings:
            headings.add(carrier.code)
            codes.append(CodeDoc(carrier.code, carrier.name, carrier.group))
    unpaired: list[tuple[int | str, str]] = []
    seen: dict[int, int] = defaultdict(int)
    for zh_code in chinese_part.codes:
        occurrence = seen[zh_code.code]
        seen[zh_code.code] += 1
        if occurrence >= len(by_code[zh_code.code]):
            unpaired += [(zh_code.code, bullet) for bullet in zh_code.bullets]
            continue
        entry = by_code[zh_code.code][occurrence]
        messages, leftover = _pair_bullets(english_bullets[zh_code.code][occurrence], zh_code.bullets, parallel)
        entry.messages = messages
        unpaired += [(zh_code.code, bullet) for bullet in leftover]
    filters, filter_leftover = _pair_rows(english_part.filter_rows, chinese_part.filter_rows)
    rejections, rejection_leftover = _pair_rows(english_part.rejection_rows, chinese_part.rejection_rows)
    unpaired += [("filter", text) for text in filter_leftover] + [("rejection", text) for text in rejection_leftover]
    return Snapshot(page.path, page.source, codes, filters, rejections, unpaired)


_FRONT_MATTER_LINE = re.compile(r"^(?P<key>[A-Za-z_]+):\s*(?P<value>.*?)\s*$")
_FRONT_MATTER_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def front_matter(path: Path) -> dict[str, str]:
    """The ``key: value`` lines between the first two ``---`` lines at the top of a page
    (after its ``Source:`` line, if any); empty when the page has none."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next((n for n, line in enumerate(lines[:5]) if line.strip() == "---"), None)
    if start is None:
        return {}
    values: dict[str, str] = {}
    for line in lines[start + 1 :]:
        if line.strip() == "---":
            return values
        found = _FRONT_MATTER_LINE.match(line)
        if found:
            values[found.group("key")] = found.group("value")
    return {}


def chinese_companion(path: Path) -> Path | None:
    """The separate Chinese page of a GitHub-style snapshot (``spot-errors.md`` ->
    ``spot-errors-cn.md``), when there is one."""
    companion = path.with_name(path.stem + CHINESE_FILE_SUFFIX + path.suffix)
    return companion if companion.is_file() else None


def read_snapshot(path: str | Path, chinese_page: str | Path | None = None) -> Snapshot:
    """Read a page snapshot and pair its halves.  A separate Chinese page (given, or found
    next to the page as ``NAME-cn.md``) is a parallel list; a page's own Chinese half is not."""
    path = Path(path)
    chinese = Path(chinese_page) if chinese_page is not None else chinese_companion(path)
    snapshot = snapshot_of(read_page(path, chinese), parallel=chinese is not None)
    if snapshot.source is None:
        # A page saved without a Source: line (sapi-errors.md) says where and when in its
        # front matter.
        meta = front_matter(path)
        snapshot.source = meta.get("source_url") or None
        updated = _FRONT_MATTER_DATE.match(meta.get("updated_at", ""))
        snapshot.date = updated.group() if updated else None
    if chinese is not None:
        chinese_source = read_page(chinese).source
        if chinese_source and snapshot.source:
            snapshot.source = f"{snapshot.source}; Chinese: {chinese_source}"
    return snapshot

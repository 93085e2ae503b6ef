"""The ``--summary`` table: what went wrong, how often and when."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from binance_errors.scan.stats import TABLE_LIMIT, GroupKey, Seen, Stats

K = TypeVar("K", bound=Hashable)
_TEXT_WIDTH = 72


def render(stats: Stats, top: int = 20) -> str:
    """A plain-text report; every section lists at most ``top`` rows, most frequent first."""
    out: list[str] = []
    out.append(
        f"Lines read: {stats.read} = {stats.with_error} with an error + {stats.without_error} without"
        f" + {stats.unreadable} unreadable   (files: {stats.files})"
    )
    for reason, count in sorted(stats.unreadable_reasons.items(), key=lambda item: (-item[1], item[0])):
        out.append(f"  unreadable, {reason}: {count}")
    for failure in stats.failures:
        out.append(f"  skipped input {failure.source}: {failure.reason}")
    if stats.matches:
        out.append("Matched: " + ", ".join(f"{kind} {count}" for kind, count in _by_count(stats.matches.items())))
    if stats.overall.first is not None:
        out.append(f"First seen: {stats.overall.first}   last seen: {stats.overall.last}")

    by_code = _fold(stats.groups, lambda key: (key[0], key[1]))
    out += _section(
        "By code",
        ("code", "name", "count", "first seen", "last seen"),
        [(_s(code), _s(name), *_when(seen)) for (code, name), seen in _top(by_code, top)],
        len(by_code),
        top,
    )
    out += _not_itemized(stats.other_groups, "groups")
    by_template = _fold(stats.groups, lambda key: (key[2], key[3]))
    out += _section(
        "By template",
        ("template id", "count", "template"),
        [(_s(tid), str(seen.count), _clip(text or "(none)")) for (tid, text), seen in _top(by_template, top)],
        len(by_template),
        top,
    )
    by_category = _fold(stats.groups, lambda key: key[4])
    if any(category is not None for category in by_category):
        out += _section(
            "By category",
            ("category", "count"),
            [(_s(category), str(seen.count)) for category, seen in _top(by_category, top)],
            len(by_category),
            top,
        )
    by_subtype = {k: v for k, v in _fold(stats.groups, lambda key: (key[5], key[6])).items() if k[1]}
    if by_subtype:
        out += _section(
            "By subtype",
            ("kind", "subtype", "count"),
            [(_s(kind), _s(sub), str(seen.count)) for (kind, sub), seen in _top(by_subtype, top)],
            len(by_subtype),
            top,
        )
    if stats.unknown:
        out += _section(
            "Unknown messages, by skeleton",
            ("count", "first seen", "last seen", "skeleton"),
            [
                (str(seen.count), seen.first or "-", seen.last or "-", _clip(shape))
                for shape, seen in _top(stats.unknown, top)
            ],
            len(stats.unknown),
            top,
        )
        out += _not_itemized(stats.other_unknown, "skeletons")
    return "\n".join(out) + "\n"


def _not_itemized(other: Seen, what: str) -> list[str]:
    """The lines counted together once a table was full (see TABLE_LIMIT): said, not hidden."""
    if not other.count:
        return []
    return [f"  {other.count} more lines, of {what} past the first {TABLE_LIMIT:,}, are not itemized"]


def _fold(groups: dict[GroupKey, Seen], key: Callable[[GroupKey], K]) -> dict[K, Seen]:
    folded: dict[K, Seen] = {}
    for group, seen in groups.items():
        folded.setdefault(key(group), Seen()).merge(seen)
    return folded


def _by_count(items: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    return sorted(items, key=lambda item: (-item[1], item[0]))


def _top(table: dict[K, Seen], top: int) -> list[tuple[K, Seen]]:
    # repr() orders keys of mixed None/int/str types the same way in every run.
    return sorted(table.items(), key=lambda item: (-item[1].count, repr(item[0])))[:top]


def _when(seen: Seen) -> tuple[str, str, str]:
    return str(seen.count), seen.first or "-", seen.last or "-"


def _s(value: object) -> str:
    return "-" if value is None else str(value)


def _clip(text: str) -> str:
    return text if len(text) <= _TEXT_WIDTH else text[: _TEXT_WIDTH - 1] + "…"


def _section(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]], total: int, top: int) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["", f"{title} ({total})"]
    for row in [header, *rows]:
        # The last column is free text and is not padded.
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths[:-1], strict=True)]
        lines.append("  " + "  ".join([*cells, row[-1]]).rstrip())
    if total > top:
        lines.append(f"  ... {total - top} more")
    return lines

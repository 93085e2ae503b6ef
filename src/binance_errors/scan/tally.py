"""The ``--summary`` account of one block: lines by group and by skeleton, and when they came.

Turning each line's time stamp into an instant cost more than the rest of a scan, so
the stamps of a block are put in classes first: stamps with the same digit places and
no UTC offset (``2025-03-01 10:00:00.123`` and ``2025-03-02 11:30:05.999``) sort the same
as text and as time.  Only the first and the last stamp of each class of each group are
turned into instants; a class whose first or last stamp is no valid time (a 13th month),
or whose stamps carry offsets, has all of its stamps turned, as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Protocol

from binance_errors.scan.stats import GroupKey, Seen, Stats
from binance_errors.scan.times import instant

_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
# Offsets ("+01:00", "-0500") sit after the date: their digits change the order.
_DATE_LENGTH = 10


class Normalized(Protocol):
    @property
    def group(self) -> GroupKey: ...

    @property
    def skeleton(self) -> str | None: ...


class LineErrorLike(Protocol):
    @property
    def msg(self) -> str | None: ...

    @property
    def timestamp(self) -> str | None: ...


class Outcome(Protocol):
    """What the tally reads of a line's cached outcome (the worker's ``_Found``)."""

    @property
    def stamped(self) -> bool:
        """True: each line has its own time stamp; False: the error's ``timestamp`` is the line's."""
        ...

    @property
    def error(self) -> LineErrorLike: ...

    @property
    def normalized(self) -> Normalized: ...


def tally(stats: Stats, hits: Sequence[Outcome], stamps: Sequence[bytes]) -> None:
    """Count the lines of a block into ``stats``: line ``i`` had outcome ``hits[i]`` and,
    when that outcome is ``stamped``, the time stamp ``stamps[i]``."""
    # Lines by outcome and class of stamp: one dict lookup per line, nothing converted.
    by_class: dict[tuple[Outcome, bytes], list[bytes]] = {}
    for found, stamp in zip(hits, stamps, strict=True):
        if found.stamped:
            key = (found, stamp.translate(_DIGITS_AS_ZERO))
            same = by_class.get(key)
            if same is None:
                by_class[key] = [stamp]
            else:
                same.append(stamp)
    # Counts, in order of first appearance (which picks each skeleton's example line).
    moments: list[str] = []
    for found, count in Counter(hits).items():
        targets = _targets(stats, found)
        for target in targets:
            target.count += count
        stats.overall.count += count
        if not found.stamped and found.error.timestamp is not None:
            moment = instant(found.error.timestamp)
            if moment is not None:
                moments.append(moment)
                for target in targets:
                    target.add(moment, count=0)
    # Times: the first and last stamp of each class, for each group and skeleton.
    cells: dict[tuple[int, bytes], tuple[Seen, list[list[bytes]]]] = {}
    for (found, kind), same in by_class.items():
        for target in _targets(stats, found):
            cell = cells.get((id(target), kind))
            if cell is None:
                cells[(id(target), kind)] = (target, [same])
            else:
                cell[1].append(same)
    for (_, kind), (target, lists) in cells.items():
        for moment in _first_and_last(kind, lists):
            if moment is not None:
                moments.append(moment)
                target.add(moment, count=0)
    # Every line is in a group, so the groups' times bound the whole block's.
    if moments:
        stats.overall.add(min(moments), count=0)
        stats.overall.add(max(moments), count=0)


def _targets(stats: Stats, found: Outcome) -> list[Seen]:
    """Where a line of ``found`` counts: its group, and its skeleton if it has one."""
    entry = found.normalized
    targets = [stats.group(entry.group)]
    if entry.skeleton is not None:
        targets.append(stats.skeleton(entry.skeleton, found.error.msg))
    return targets


def _first_and_last(kind: bytes, lists: list[list[bytes]]) -> list[str | None]:
    """The instants of the first and last of the stamps in ``lists``, which are all of class ``kind``."""
    if b"+" not in kind[_DATE_LENGTH:] and b"-" not in kind[_DATE_LENGTH:]:
        first = instant(min(min(same) for same in lists).decode("ascii"))
        last = instant(max(max(same) for same in lists).decode("ascii"))
        if first is not None and last is not None:
            return [first, last]
    # Offsets, or a first or last stamp that is no valid time: every stamp, one by one.
    return [instant(stamp.decode("ascii")) for same in lists for stamp in same]

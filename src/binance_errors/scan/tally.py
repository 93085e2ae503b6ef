"""The ``--summary`` account of one block: lines by group and by skeleton, and when they came.

Turning each line's time stamp into an instant cost more than the rest of a scan, so
the stamps of a block are put in classes first: stamps with the same digit places and
no UTC offset (``2025-03-01 10:00:00.123`` and ``2025-03-02 11:30:05.999``) sort the same
as text and as time.  Only the first and the last stamp of each class of each group are
turned into instants; a class whose first or last stamp is no valid time (a 13th month),
or whose stamps carry offsets, has all of its stamps turned, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import Protocol

from binance_errors.digit_blind import DIGITS_AS_ZERO
from binance_errors.scan.stats import GroupKey, Seen, Stats
from binance_errors.scan.times import instant

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
    # Lines by normalized message, in order of first appearance (which picks each skeleton's
    # example): a block has several times fewer of them than distinct outcomes.
    by_entry: dict[int, tuple[Outcome, list[bytes], list[Outcome]]] = {}
    get = by_entry.get
    for found, stamp in zip(hits, stamps, strict=True):
        key = id(found.normalized)
        slot = get(key)
        if slot is None:
            slot = by_entry[key] = (found, [], [])
        if found.stamped:
            slot[1].append(stamp)
        else:
            slot[2].append(found)
    # Then by where they count (group, skeleton): their number, and their times.
    times: dict[int, tuple[Seen, list[bytes], set[str]]] = {}
    for first, stamped, unstamped in by_entry.values():
        count = len(stamped) + len(unstamped)
        # The lines whose error holds their time: their outcomes, each once (set() in C).
        entry_times = {found.error.timestamp for found in set(unstamped) if found.error.timestamp is not None}
        for target in _targets(stats, first):
            target.count += count
            kept = times.get(id(target))
            if kept is None:
                kept = times[id(target)] = (target, [], set())
            kept[1].extend(stamped)
            kept[2].update(entry_times)
    stats.overall.count += len(hits)
    moments: list[str] = []
    for target, own_stamps, own_times in times.values():
        found_times = [moment for moment in map(instant, own_times) if moment is not None]
        if own_stamps:
            for kind, of_kind in _by_class(own_stamps).items():
                found_times += [moment for moment in _first_and_last(kind, of_kind) if moment is not None]
        if found_times:
            earliest, latest = min(found_times), max(found_times)
            target.add(earliest, count=0)
            target.add(latest, count=0)
            moments += (earliest, latest)
    # Every line is in a group, so the groups' times bound the whole block's.
    if moments:
        stats.overall.add(min(moments), count=0)
        stats.overall.add(max(moments), count=0)


def _by_class(stamps: list[bytes]) -> dict[bytes, list[bytes]]:
    kinds = set(map(bytes.translate, stamps, repeat(DIGITS_AS_ZERO)))
    if len(kinds) == 1:
        return {kinds.pop(): stamps}
    classes: dict[bytes, list[bytes]] = {}
    for stamp in stamps:
        classes.setdefault(stamp.translate(DIGITS_AS_ZERO), []).append(stamp)
    return classes


def _targets(stats: Stats, found: Outcome) -> list[Seen]:
    """Where a line of ``found`` counts: its group, and its skeleton if it has one."""
    entry = found.normalized
    targets = [stats.group(entry.group)]
    if entry.skeleton is not None:
        targets.append(stats.skeleton(entry.skeleton, found.error.msg))
    return targets


def _first_and_last(kind: bytes, stamps: list[bytes]) -> list[str | None]:
    """The instants of the first and last of ``stamps``, which are all of class ``kind``."""
    if b"+" not in kind[_DATE_LENGTH:] and b"-" not in kind[_DATE_LENGTH:]:
        first = instant(min(stamps).decode("ascii"))
        last = instant(max(stamps).decode("ascii"))
        if first is not None and last is not None:
            return [first, last]
    # Offsets, or a first or last stamp that is no valid time: every stamp, one by one.
    return [instant(stamp.decode("ascii")) for stamp in stamps]

"""Accounting of a scan: every line read is counted once, in exactly one bucket."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from binance_errors.scan.inputs import SourceFailure
from binance_errors.scan.lines import CORRUPT_STREAM

GroupKey = tuple[int | None, str | None, str | None, str | None, str | None, str | None, str | None, str]
"""(code, name, template_id, template, category, kind, subtype, match) of a record."""
TABLE_LIMIT = 10_000
"""Distinct groups, and distinct skeletons, that --summary itemizes; past it, lines of a
group not yet seen are counted together (any input, any memory: codes and skeletons
come from the input)."""


@dataclass(slots=True)
class Seen:
    """How often and when something was seen."""

    count: int = 0
    first: str | None = None
    last: str | None = None
    example: str | None = None

    def add(self, moment: str | None, count: int = 1) -> None:
        self.count += count
        if moment is not None:
            if self.first is None or moment < self.first:
                self.first = moment
            if self.last is None or moment > self.last:
                self.last = moment

    def merge(self, other: Seen) -> None:
        self.count += other.count
        for moment in (other.first, other.last):
            if moment is not None:
                self.add(moment, count=0)
        if self.example is None:
            self.example = other.example


@dataclass(slots=True)
class Stats:
    """Counts of a block, a file or a whole scan; ``merge`` adds two of them."""

    read: int = 0
    with_error: int = 0
    without_error: int = 0
    unreadable: int = 0
    unreadable_reasons: Counter[str] = field(default_factory=Counter)
    matches: Counter[str] = field(default_factory=Counter)
    groups: dict[GroupKey, Seen] = field(default_factory=dict)
    unknown: dict[str, Seen] = field(default_factory=dict)
    """Messages that matched nothing, by skeleton."""
    other_groups: Seen = field(default_factory=Seen)
    """Lines whose group came after ``groups`` was full (see TABLE_LIMIT)."""
    other_unknown: Seen = field(default_factory=Seen)
    """Unknown messages whose skeleton came after ``unknown`` was full."""
    overall: Seen = field(default_factory=Seen)
    """First and last time of the lines with an error."""
    failures: list[SourceFailure] = field(default_factory=list)
    files: int = 0

    def merge(self, other: Stats) -> None:
        self.read += other.read
        self.with_error += other.with_error
        self.without_error += other.without_error
        self.unreadable += other.unreadable
        self.unreadable_reasons.update(other.unreadable_reasons)
        self.matches.update(other.matches)
        for key, seen in other.groups.items():
            self.group(key).merge(seen)
        for skeleton, seen in other.unknown.items():
            self.skeleton(skeleton, None).merge(seen)
        self.other_groups.merge(other.other_groups)
        self.other_unknown.merge(other.other_unknown)
        self.overall.merge(other.overall)
        self.failures.extend(other.failures)
        self.files += other.files

    def group(self, key: GroupKey) -> Seen:
        """Where lines of group ``key`` are counted (``other_groups`` once the table is full)."""
        seen = self.groups.get(key)
        if seen is None:
            if len(self.groups) >= TABLE_LIMIT:
                return self.other_groups
            seen = self.groups[key] = Seen()
        return seen

    def skeleton(self, skeleton: str, example: str | None) -> Seen:
        """Where unknown messages of ``skeleton`` are counted (``other_unknown`` once the table is full)."""
        seen = self.unknown.get(skeleton)
        if seen is None:
            if len(self.unknown) >= TABLE_LIMIT:
                return self.other_unknown
            seen = self.unknown[skeleton] = Seen(example=example)
        return seen

    def add_failure(self, failure: SourceFailure) -> None:
        """An input that could not be read to its end; a line it cut counts as read and unreadable."""
        self.failures.append(failure)
        if failure.partial_line:
            self.add_unreadable(CORRUPT_STREAM)

    def add_unreadable(self, reason: str) -> None:
        self.read += 1
        self.unreadable += 1
        self.unreadable_reasons[reason] += 1

    @property
    def balanced(self) -> bool:
        """The invariant the whole design rests on."""
        return self.read == self.with_error + self.without_error + self.unreadable

    @property
    def skipped_something(self) -> bool:
        return self.unreadable > 0 or bool(self.failures)

    def final_line(self) -> str:
        """The one-line account printed on stderr at the end of a scan."""
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.matches.items()))
        text = (
            f"scan: {self.files} file(s), {self.read} lines read = {self.with_error} with an error"
            f" + {self.without_error} without + {self.unreadable} unreadable"
        )
        if kinds:
            text += f"; matched: {kinds}"
        if self.failures:
            text += f"; {len(self.failures)} input(s) failed"
        return text

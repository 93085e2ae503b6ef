"""Read a catalog TOML file as plain data, with the sharing keys resolved.

The run-time loader (`binance_errors.catalog`) builds matching templates; the maintainer
tools need something else: the file's entries as written, and what a product line means
once ``extends``, ``same_as`` and ``tables_from`` are followed.  The products a file refers
to are read from the same folder (``NAME.toml``).

Besides the data, the reader keeps the comments that explain a person's decisions: the
comment lines right above an actionability key (``# why: ...`` above ``category``), above
``older`` (where an earlier wording was found) and above a ``[[suffix]]`` table, so that a
draft can carry them over.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from binance_errors.catalog import CatalogError

RULE_KEYS = ("category", "retryable", "execution_unknown", "retry_after")
"""The actionability keys, in the order the files write them."""


@dataclass(frozen=True, slots=True)
class Rule:
    """An actionability decision as an entry states it: only the keys it writes (a message
    overrides some of its code's), in `RULE_KEYS` order, and the comments explaining it."""

    values: tuple[tuple[str, Any], ...]
    # The decision is the values; the wording of its explanation is not part of it.
    why: tuple[str, ...] = field(default=(), compare=False)
    """Comment lines as written (``# why: ...``), without the line breaks."""


@dataclass(frozen=True, slots=True)
class CatalogMessage:
    id: str
    en: str
    zh: str | None = None
    args: tuple[str, ...] = ()
    zh_args: tuple[str, ...] | None = None
    older: tuple[dict[str, Any], ...] = ()
    rule: Rule | None = None
    """What the message says over its code's rule, if anything."""
    older_comments: tuple[str, ...] = field(default=(), compare=False)
    """The comment lines above ``older`` (where the wordings were found)."""


@dataclass(frozen=True, slots=True)
class CatalogCode:
    code: int
    name: str | None
    group: str | None
    messages: tuple[CatalogMessage, ...] = ()
    note: str | None = None
    same_as: str | None = None
    """The product this definition was taken from, when the file says ``same_as``."""
    product: str = ""
    """The product whose file defines the messages."""
    rule: Rule | None = None


@dataclass(frozen=True, slots=True)
class CatalogRow:
    kind: str
    id: str
    en: str
    zh: str | None = None
    subtype: str | None = None
    args: tuple[str, ...] = ()
    older: tuple[dict[str, Any], ...] = ()
    description: str = ""
    rule: Rule | None = None
    older_comments: tuple[str, ...] = field(default=(), compare=False)

    @property
    def from_page(self) -> bool:
        """Rows with a fixed subtype copy a table row; the ``Filter failure: %s`` catch-all
        is the catalog's own."""
        return self.subtype is not None


@dataclass(frozen=True, slots=True)
class CatalogSuffix:
    values: tuple[tuple[str, Any], ...]
    """The table's keys and values as written."""
    comments: tuple[str, ...] = ()
    """The comment lines right above the table."""


@dataclass(slots=True)
class CatalogFile:
    path: Path
    product: str
    source: str = ""
    snapshot: str = ""
    extends: str | None = None
    tables_from: str | None = None
    own_codes: list[CatalogCode] = field(default_factory=list)
    """The codes as the file lists them (``same_as`` resolved)."""
    codes: list[CatalogCode] = field(default_factory=list)
    """Every code of the product: the base's, then the file's own replacing the base's."""
    filters: list[CatalogRow] = field(default_factory=list)
    rejections: list[CatalogRow] = field(default_factory=list)
    own_tables: bool = False
    suffixes: list[CatalogSuffix] = field(default_factory=list)
    """The file's own ``[[suffix]]`` tables (they apply to every product line)."""


_HEADER = re.compile(r"^\s*\[\[?\s*(?P<name>[A-Za-z_.]+)\s*\]\]?\s*(?:#.*)?$")
COMMENTED_KEYS = (*RULE_KEYS, "older")
"""The keys whose comments are kept: they explain a decision."""
_KEY_LINE = re.compile(r"^\s*(?P<key>" + "|".join(COMMENTED_KEYS) + r")\s*=")
_COMMENT = re.compile(r"^\s*#")
Comments = dict[tuple[str, ...], dict[str, list[str]]]


def decision_comments(text: str) -> Comments:
    """Comments to keep, by table and key: ``("code", i)`` for the i-th ``[[code]]``,
    ``("code.message", i, j)`` for its j-th message, ``("filter", i)``, ``("rejection", i)``,
    then the key the comment block sits right above (`COMMENTED_KEYS`); for
    ``("suffix", i)`` the key ``""`` holds the block right above the table.
    """
    found: Comments = {}
    counts: dict[str, int] = {}
    where: tuple[str, ...] | None = None
    block: list[str] = []
    for line in text.splitlines():
        if _COMMENT.match(line):
            block.append(line.strip())
            continue
        header = _HEADER.match(line)
        if header:
            name = header.group("name")
            counts[name] = counts.get(name, -1) + 1
            if name == "code":
                counts["code.message"] = -1
                where = ("code", str(counts[name]))
            elif name == "code.message":
                where = ("code.message", str(counts.get("code", 0)), str(counts[name]))
            else:
                where = (name, str(counts[name]))
            if name == "suffix" and block:
                found.setdefault(where, {}).setdefault("", []).extend(block)
        elif where is not None and block and (key := _KEY_LINE.match(line)) and where[0] != "suffix":
            found.setdefault(where, {}).setdefault(key.group("key"), []).extend(block)
        if line.strip():
            block = []
    return found


def _above(comments: Comments, where: tuple[str, ...], *keys: str) -> tuple[str, ...]:
    table = comments.get(where, {})
    return tuple(line for key in keys for line in table.get(key, ()))


def _strings(values: Any) -> tuple[str, ...]:
    return tuple(str(value) for value in values or ())


def _rule(entry: Mapping[str, Any], why: tuple[str, ...]) -> Rule | None:
    values = tuple((key, entry[key]) for key in RULE_KEYS if key in entry)
    return Rule(values, why) if values else None


def _message(entry: dict[str, Any], comments: Comments, where: tuple[str, ...]) -> CatalogMessage:
    zh_args = entry.get("zh_args")
    return CatalogMessage(
        id=str(entry["id"]),
        en=str(entry["en"]),
        zh=entry.get("zh"),
        args=_strings(entry.get("args")),
        zh_args=None if zh_args is None else _strings(zh_args),
        older=tuple(entry.get("older", ())),
        rule=_rule(entry, _above(comments, where, *RULE_KEYS)),
        older_comments=_above(comments, where, "older"),
    )


def _row(kind: str, entry: dict[str, Any], comments: Comments, where: tuple[str, ...]) -> CatalogRow:
    return CatalogRow(
        kind=kind,
        id=str(entry["id"]),
        en=str(entry["en"]),
        zh=entry.get("zh"),
        subtype=entry.get("subtype"),
        args=_strings(entry.get("args")),
        older=tuple(entry.get("older", ())),
        description=str(entry.get("description", "")),
        rule=_rule(entry, _above(comments, where, *RULE_KEYS)),
        older_comments=_above(comments, where, "older"),
    )


def read_catalog(path: str | Path, _seen: tuple[str, ...] = ()) -> CatalogFile:
    """The catalog file at ``path`` with every reference followed; raises `CatalogError`
    for a missing or circular reference."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as error:
        raise CatalogError(f"{path}: cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise CatalogError(f"{path}: not UTF-8: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(f"{path}: not valid TOML: {error}") from error
    comments = decision_comments(text)
    meta = data.get("catalog", {})
    product = str(meta.get("product", path.stem))
    if product in _seen:
        raise CatalogError(f"{path}: circular reference through {' -> '.join((*_seen, product))}")
    seen = (*_seen, product)
    cache: dict[str, CatalogFile] = {}

    def other(name: str) -> CatalogFile:
        if name not in cache:
            cache[name] = read_catalog(path.with_name(f"{name}.toml"), seen)
        return cache[name]

    result = CatalogFile(
        path=path,
        product=product,
        source=str(meta.get("source", "")),
        snapshot=str(meta.get("snapshot", "")),
        extends=meta.get("extends"),
        tables_from=meta.get("tables_from"),
    )
    result.suffixes = [
        CatalogSuffix(tuple(entry.items()), _above(comments, ("suffix", str(n)), ""))
        for n, entry in enumerate(data.get("suffix", []))
    ]
    for index, entry in enumerate(data.get("code", [])):
        code = int(entry["code"])
        if "same_as" in entry:
            shared = [defined for defined in other(entry["same_as"]).codes if defined.code == code]
            if not shared:
                raise CatalogError(f"{path}: code {code} is same_as {entry['same_as']!r}, which does not define it")
            group = entry.get("group")
            result.own_codes += [
                replace(defined, group=group or defined.group, same_as=entry["same_as"]) for defined in shared
            ]
            continue
        messages = tuple(
            _message(message, comments, ("code.message", str(index), str(n)))
            for n, message in enumerate(entry.get("message", []))
        )
        rule = _rule(entry, _above(comments, ("code", str(index)), *RULE_KEYS))
        result.own_codes.append(
            CatalogCode(code, entry.get("name"), entry.get("group"), messages, entry.get("note"), None, product, rule)
        )
    own_numbers = {code.code for code in result.own_codes}
    if result.extends:
        base = other(result.extends)
        result.codes = [code for code in base.codes if code.code not in own_numbers]
        result.filters, result.rejections = list(base.filters), list(base.rejections)
    result.codes += result.own_codes
    own_filters = [
        _row("filter", entry, comments, ("filter", str(n))) for n, entry in enumerate(data.get("filter", []))
    ]
    own_rejections = [
        _row("rejection", entry, comments, ("rejection", str(n))) for n, entry in enumerate(data.get("rejection", []))
    ]
    result.own_tables = bool(own_filters or own_rejections)
    if result.tables_from:
        source_tables = other(result.tables_from)
        result.filters, result.rejections = list(source_tables.filters), list(source_tables.rejections)
    if result.own_tables:
        result.filters, result.rejections = own_filters, own_rejections
    return result


def sibling_catalogs(folder: Path) -> dict[str, CatalogFile]:
    """Every catalog in ``folder``, by product name."""
    catalogs = {}
    for path in sorted(folder.glob("*.toml")):
        catalog = read_catalog(path)
        catalogs[catalog.product] = catalog
    return catalogs

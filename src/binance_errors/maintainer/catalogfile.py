"""Read a catalog TOML file as plain data, with the sharing keys resolved.

The run-time loader (`binance_errors.catalog`) builds matching templates; the maintainer
tools need something else: the file's entries as written, and what a product line means
once ``extends``, ``same_as`` and ``tables_from`` are followed.  The products a file refers
to are read from the same folder (``NAME.toml``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from binance_errors.catalog import CatalogError


@dataclass(frozen=True, slots=True)
class CatalogMessage:
    id: str
    en: str
    zh: str | None = None
    args: tuple[str, ...] = ()
    zh_args: tuple[str, ...] | None = None
    older: tuple[dict[str, Any], ...] = ()


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

    @property
    def from_page(self) -> bool:
        """Rows with a fixed subtype copy a table row; the ``Filter failure: %s`` catch-all
        is the catalog's own."""
        return self.subtype is not None


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


def _strings(values: Any) -> tuple[str, ...]:
    return tuple(str(value) for value in values or ())


def _message(entry: dict[str, Any]) -> CatalogMessage:
    zh_args = entry.get("zh_args")
    return CatalogMessage(
        id=str(entry["id"]),
        en=str(entry["en"]),
        zh=entry.get("zh"),
        args=_strings(entry.get("args")),
        zh_args=None if zh_args is None else _strings(zh_args),
        older=tuple(entry.get("older", ())),
    )


def _row(kind: str, entry: dict[str, Any]) -> CatalogRow:
    return CatalogRow(
        kind=kind,
        id=str(entry["id"]),
        en=str(entry["en"]),
        zh=entry.get("zh"),
        subtype=entry.get("subtype"),
        args=_strings(entry.get("args")),
        older=tuple(entry.get("older", ())),
        description=str(entry.get("description", "")),
    )


def read_catalog(path: str | Path, _seen: tuple[str, ...] = ()) -> CatalogFile:
    """The catalog file at ``path`` with every reference followed; raises `CatalogError`
    for a missing or circular reference."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except OSError as error:
        raise CatalogError(f"{path}: cannot read: {error.strerror or error}") from error
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(f"{path}: not valid TOML: {error}") from error
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
    for entry in data.get("code", []):
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
        messages = tuple(_message(message) for message in entry.get("message", []))
        result.own_codes.append(
            CatalogCode(code, entry.get("name"), entry.get("group"), messages, entry.get("note"), None, product)
        )
    own_numbers = {code.code for code in result.own_codes}
    if result.extends:
        base = other(result.extends)
        result.codes = [code for code in base.codes if code.code not in own_numbers]
        result.filters, result.rejections = list(base.filters), list(base.rejections)
    result.codes += result.own_codes
    own_filters = [_row("filter", entry) for entry in data.get("filter", [])]
    own_rejections = [_row("rejection", entry) for entry in data.get("rejection", [])]
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

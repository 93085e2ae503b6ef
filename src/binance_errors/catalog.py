"""The catalog: Binance's documented error codes and messages, loaded from TOML.

The TOML files under ``templates/binance/`` are the source of truth and are written
for people (see ``templates/README.md``).  This module reads and checks them, and
fails loudly with the file and entry at fault; it knows nothing about matching.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from binance_errors import placeholders
from binance_errors.argtypes import ARG_TYPES

Lang = Literal["en", "zh"]
Kind = Literal["filter_failure", "order_rejection"]


class CatalogError(ValueError):
    """A catalog file is missing, malformed, or contradicts itself."""


@dataclass(frozen=True, slots=True)
class ArgSpec:
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class Wording:
    """One text a template is sent as: the English one, a translation, or an older wording."""

    text: str
    lang: Lang
    arg_order: tuple[int, ...]
    """For each placeholder of ``text``, in order, the index of its argument in ``Template.args``."""
    seen: str | None = None
    """For older wordings: when they were seen (a date or an era)."""

    @property
    def is_literal(self) -> bool:
        return not self.arg_order


@dataclass(frozen=True, slots=True)
class Template:
    """One documented message, in all the wordings it is sent as."""

    id: str
    en: str
    args: tuple[ArgSpec, ...]
    wordings: tuple[Wording, ...]
    code: int | None = None
    name: str | None = None
    group: str | None = None
    kind: Kind | None = None
    subtype: str | None = None
    subtype_arg: str | None = None
    """Where the subtype is an argument (``Filter failure: %s``): that argument's name."""
    description: str | None = None

    def render(self, values: Mapping[str, str], lang: Lang = "en") -> str:
        """The message as the server would send it, with ``values`` by argument name."""
        wording = next(w for w in self.wordings if w.lang == lang and w.seen is None)
        return placeholders.fill(wording.text, [values[self.args[i].name] for i in wording.arg_order])


@dataclass(frozen=True, slots=True)
class CodeInfo:
    code: int
    name: str | None
    group: str | None
    note: str | None = None


@dataclass(frozen=True, eq=False)
class Catalog:
    product: str
    codes: Mapping[int, CodeInfo]
    templates: tuple[Template, ...]
    sources: tuple[str, ...] = field(default=())

    def template(self, template_id: str) -> Template:
        for template in self.templates:
            if template.id == template_id:
                return template
        raise KeyError(template_id)


_CODE_KEYS = {"code", "name", "group", "note", "message"}
_MESSAGE_KEYS = {"id", "en", "zh", "args", "zh_args", "older"}
_TABLE_KEYS = {"id", "en", "subtype", "args", "older", "description"}
_OLDER_KEYS = {"text", "seen", "args"}
_TOP_KEYS = {"catalog", "code", "filter", "rejection"}


def _require(table: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in table:
        raise CatalogError(f"{where}: missing '{key}'")
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
        raise CatalogError(f"{where}: '{key}' must be a {kind.__name__}, not {value!r}")
    return value


def _optional(table: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    return _require(table, key, kind, where) if key in table else None


def _check_keys(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise CatalogError(f"{where}: unknown keys {sorted(unknown)} (allowed: {sorted(allowed)})")


def _parse_args(specs: Sequence[Any], where: str) -> tuple[ArgSpec, ...]:
    args: list[ArgSpec] = []
    for spec in specs:
        name, sep, type_name = str(spec).partition(":")
        name, type_name = name.strip(), type_name.strip()
        if not sep or not name.isidentifier():
            raise CatalogError(f"{where}: argument {spec!r} must read 'name: type'")
        if type_name not in ARG_TYPES:
            raise CatalogError(f"{where}: argument {name!r} has unknown type {type_name!r}; known: {sorted(ARG_TYPES)}")
        if any(arg.name == name for arg in args):
            raise CatalogError(f"{where}: argument {name!r} is named twice")
        args.append(ArgSpec(name, type_name))
    return tuple(args)


def _order(text: str, names: Sequence[str], args: tuple[ArgSpec, ...], where: str) -> tuple[int, ...]:
    index = {arg.name: i for i, arg in enumerate(args)}
    unknown = [name for name in names if name not in index]
    if unknown:
        raise CatalogError(f"{where}: {text!r} names arguments {unknown} that the template does not have")
    if len(set(names)) != len(names):
        raise CatalogError(f"{where}: {text!r} names an argument twice")
    found = placeholders.count(text)
    if found != len(names):
        raise CatalogError(f"{where}: {text!r} has {found} placeholders but {len(names)} arguments")
    return tuple(index[name] for name in names)


def _wordings(entry: Mapping[str, Any], args: tuple[ArgSpec, ...], where: str) -> tuple[Wording, ...]:
    names = [arg.name for arg in args]
    en = _require(entry, "en", str, where)
    wordings = [Wording(en, "en", _order(en, names, args, where))]
    zh = _optional(entry, "zh", str, where)
    if zh is not None:
        zh_names = _optional(entry, "zh_args", list, where)
        wordings.append(Wording(zh, "zh", _order(zh, names if zh_names is None else zh_names, args, where)))
    elif "zh_args" in entry:
        raise CatalogError(f"{where}: 'zh_args' without 'zh'")
    for older in _optional(entry, "older", list, where) or []:
        if not isinstance(older, dict):
            raise CatalogError(f"{where}: each 'older' entry must be a table with 'text' and 'seen'")
        _check_keys(older, _OLDER_KEYS, where + " older")
        text = _require(older, "text", str, where + " older")
        seen = _require(older, "seen", str, where + " older")
        older_names = _optional(older, "args", list, where + " older")
        order = _order(text, names if older_names is None else older_names, args, where + " older")
        lang: Lang = "zh" if any("\u4e00" <= char <= "\u9fff" for char in text) else "en"
        wordings.append(Wording(text, lang, order, seen))
    return tuple(wordings)


def _load_codes(data: Mapping[str, Any], where: str) -> tuple[dict[int, CodeInfo], list[Template]]:
    codes: dict[int, CodeInfo] = {}
    templates: list[Template] = []
    for entry in _optional(data, "code", list, where) or []:
        code_where = f"{where}: [[code]] {entry.get('code', '?')}"
        _check_keys(entry, _CODE_KEYS, code_where)
        code = _require(entry, "code", int, code_where)
        name = _optional(entry, "name", str, code_where)
        group = _optional(entry, "group", str, code_where)
        # A code documented twice (-5012) keeps the first heading as the code's own name;
        # each message still carries the name of the heading it is listed under.
        codes.setdefault(code, CodeInfo(code, name, group, _optional(entry, "note", str, code_where)))
        for message in _optional(entry, "message", list, code_where) or []:
            message_where = f"{code_where} message {message.get('id', '?')}"
            _check_keys(message, _MESSAGE_KEYS, message_where)
            args = _parse_args(_optional(message, "args", list, message_where) or [], message_where)
            wordings = _wordings(message, args, message_where)
            templates.append(
                Template(
                    id=_require(message, "id", str, message_where),
                    en=wordings[0].text,
                    args=args,
                    wordings=wordings,
                    code=code,
                    name=name,
                    group=group,
                )
            )
    return codes, templates


def _load_table(data: Mapping[str, Any], key: str, kind: Kind, where: str) -> list[Template]:
    templates: list[Template] = []
    for entry in _optional(data, key, list, where) or []:
        entry_where = f"{where}: [[{key}]] {entry.get('id', '?')}"
        _check_keys(entry, _TABLE_KEYS, entry_where)
        args = _parse_args(_optional(entry, "args", list, entry_where) or [], entry_where)
        subtype = _optional(entry, "subtype", str, entry_where)
        subtype_arg = None
        if subtype is None:
            if len(args) != 1:
                raise CatalogError(f"{entry_where}: without 'subtype' the message must have one argument")
            subtype_arg = args[0].name
        templates.append(
            Template(
                id=_require(entry, "id", str, entry_where),
                en=_require(entry, "en", str, entry_where),
                args=args,
                wordings=_wordings(entry, args, entry_where),
                group="Filter failures" if kind == "filter_failure" else "Order Rejection Issues",
                kind=kind,
                subtype=subtype,
                subtype_arg=subtype_arg,
                description=_require(entry, "description", str, entry_where),
            )
        )
    return templates


def load_catalog(paths: Iterable[str | Path]) -> Catalog:
    """Load and check catalog files; raises `CatalogError` naming the file and entry at fault."""
    codes: dict[int, CodeInfo] = {}
    templates: list[Template] = []
    products: list[str] = []
    sources: list[str] = []
    import tomllib  # noqa: PLC0415 (only the first normalize() needs it, not the package import)

    for path in paths:
        where = str(path)
        try:
            with open(path, "rb") as file:
                data = tomllib.load(file)
        except OSError as error:
            raise CatalogError(f"{where}: cannot read: {error.strerror or error}") from error
        except tomllib.TOMLDecodeError as error:
            raise CatalogError(f"{where}: not valid TOML: {error}") from error
        _check_keys(data, _TOP_KEYS, where)
        meta = _require(data, "catalog", dict, where)
        products.append(_require(meta, "product", str, where + " [catalog]"))
        sources.append(_require(meta, "source", str, where + " [catalog]"))
        file_codes, file_templates = _load_codes(data, where)
        for code, info in file_codes.items():
            codes.setdefault(code, info)
        templates += file_templates
        templates += _load_table(data, "filter", "filter_failure", where)
        templates += _load_table(data, "rejection", "order_rejection", where)
    seen: set[str] = set()
    for template in templates:
        if template.id in seen:
            raise CatalogError(f"template id {template.id!r} is used twice")
        seen.add(template.id)
    if not products:
        raise CatalogError("no catalog files given")
    return Catalog("+".join(products), codes, tuple(templates), tuple(sources))


def packaged_catalog_paths() -> list[Path]:
    """The catalog files shipped inside the installed package.

    A wheel carries them in ``binance_errors/templates``.  An editable install runs the
    code from ``src/`` and has no copy there, so it reads the checkout's ``templates/``.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "templates" / "binance"
    checkout = here.parents[1] / "templates" / "binance"
    for folder in (packaged, checkout):
        if folder.is_dir():
            return sorted(folder.glob("*.toml"))
    raise CatalogError(f"the packaged catalog is missing ({packaged}); reinstall binance-errors")


@cache
def default_catalog() -> Catalog:
    """The catalog shipped with the package, loaded once."""
    return load_catalog(packaged_catalog_paths())

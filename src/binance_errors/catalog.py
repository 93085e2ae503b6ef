"""The catalog: Binance's documented error codes and messages, loaded from TOML.

The TOML files under ``templates/binance/`` are the source of truth and are written
for people (see ``templates/README.md``).  This module reads and checks them, and
fails loudly with the file and entry at fault; it knows nothing about matching.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
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


CATEGORIES = (
    "rate_limit",
    "auth",
    "clock",
    "validation",
    "insufficient_funds",
    "order_state",
    "account",
    "market",
    "server",
    "unknown",
)
"""What a caller does next depends mostly on which of these an error is; see templates/README.md."""


@dataclass(frozen=True, slots=True)
class Action:
    """What a caller can do about an error: the catalog's reviewed rule for a code or message."""

    category: str
    retryable: bool
    """Whether the same request, sent again unchanged, can succeed (perhaps after ``retry_after``)."""
    execution_unknown: bool = False
    """The request may have been executed: check before resubmitting (never blindly resend an order)."""
    retry_after_arg: str | None = None
    """The argument that says when a retry can succeed (a time, or an interval)."""


@dataclass(frozen=True, slots=True)
class Suffix:
    """Text a server appends to a message (``, request ip: 1.2.3.4``), kept as a named extra."""

    name: str
    text: str
    arg_type: str
    description: str


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
    action: Action | None = None

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
    action: Action | None = None


@dataclass(frozen=True, eq=False)
class Catalog:
    product: str
    codes: Mapping[int, CodeInfo]
    templates: tuple[Template, ...]
    """Messages of codes in the page's order, then the filter and rejection tables."""
    sources: tuple[str, ...] = field(default=())
    suffixes: tuple[Suffix, ...] = field(default=())

    def template(self, template_id: str) -> Template:
        for template in self.templates:
            if template.id == template_id:
                return template
        raise KeyError(template_id)


_ACTION_KEYS = {"category", "retryable", "execution_unknown"}
_CODE_KEYS = {"code", "name", "group", "note", "message", *_ACTION_KEYS}
_MESSAGE_KEYS = {"id", "en", "zh", "args", "zh_args", "older", "retry_after", *_ACTION_KEYS}
_TABLE_KEYS = {"id", "en", "subtype", "args", "older", "description", "retry_after", *_ACTION_KEYS}
_OLDER_KEYS = {"text", "seen", "args"}
_SUFFIX_KEYS = {"name", "text", "type", "description"}
_TOP_KEYS = {"catalog", "code", "filter", "rejection", "suffix"}
_RETRY_AFTER_TYPES = {"epoch_ms", "interval"}
_META_KEYS = {"product", "title", "source", "snapshot", "extends", "tables_from"}


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


def _lang(text: str) -> Lang:
    return "zh" if any("\u4e00" <= char <= "\u9fff" for char in text) else "en"


def _wordings(entry: Mapping[str, Any], args: tuple[ArgSpec, ...], where: str) -> tuple[Wording, ...]:
    names = [arg.name for arg in args]
    en = _require(entry, "en", str, where)
    wordings = [Wording(en, "en", _order(en, names, args, where))]
    zh = _optional(entry, "zh", str, where)
    if zh is not None:
        zh_names = _optional(entry, "zh_args", list, where)
        # The Chinese page sometimes keeps a line in English (a link, a spacing change): the
        # language of a wording is the language of its text.
        wordings.append(Wording(zh, _lang(zh), _order(zh, names if zh_names is None else zh_names, args, where)))
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
        wordings.append(Wording(text, _lang(text), order, seen))
    return tuple(wordings)


def _action(table: Mapping[str, Any], where: str, base: Action | None, args: tuple[ArgSpec, ...] = ()) -> Action | None:
    """The rule ``table`` states, over the one it inherits (a message inherits its code's)."""
    category = _optional(table, "category", str, where)
    retryable = _optional(table, "retryable", bool, where)
    execution_unknown = _optional(table, "execution_unknown", bool, where)
    retry_after = _optional(table, "retry_after", str, where)
    if category is not None and category not in CATEGORIES:
        raise CatalogError(f"{where}: category {category!r} is not one of {', '.join(CATEGORIES)}")
    if retry_after is not None:
        arg = next((arg for arg in args if arg.name == retry_after), None)
        if arg is None or arg.type not in _RETRY_AFTER_TYPES:
            raise CatalogError(f"{where}: retry_after must name an argument of type {sorted(_RETRY_AFTER_TYPES)}")
    if category is None and retryable is None and execution_unknown is None and retry_after is None:
        return base
    if base is None and (category is None or retryable is None):
        raise CatalogError(f"{where}: a rule needs both 'category' and 'retryable'")
    return Action(
        category=category if category is not None else base.category if base else "unknown",
        retryable=retryable if retryable is not None else bool(base and base.retryable),
        execution_unknown=execution_unknown if execution_unknown is not None else bool(base and base.execution_unknown),
        retry_after_arg=retry_after,
    )


def _load_suffixes(data: Mapping[str, Any], where: str) -> list[Suffix]:
    suffixes: list[Suffix] = []
    for entry in _optional(data, "suffix", list, where) or []:
        entry_where = f"{where}: [[suffix]] {entry.get('name', '?')}"
        _check_keys(entry, _SUFFIX_KEYS, entry_where)
        name = _require(entry, "name", str, entry_where)
        text = _require(entry, "text", str, entry_where)
        type_name = _require(entry, "type", str, entry_where)
        if not name.isidentifier() or type_name not in ARG_TYPES or placeholders.count(text) != 1:
            raise CatalogError(f"{entry_where}: needs an identifier name, a known type and one placeholder in 'text'")
        suffixes.append(Suffix(name, text, type_name, _require(entry, "description", str, entry_where)))
    return suffixes


@dataclass
class _ProductFile:
    """One catalog file as read, before its references to other products are resolved."""

    product: str
    where: str
    meta: Mapping[str, Any]
    codes: dict[int, CodeInfo]
    templates_by_code: dict[int, list[Template]]
    same_as: list[tuple[int, str, str | None]]
    """(code, product, group override) for codes defined as the same as another product's."""
    tables: list[Template]
    suffixes: list[Suffix] = field(default_factory=list)


def _load_codes(data: Mapping[str, Any], where: str, into: _ProductFile) -> None:
    for entry in _optional(data, "code", list, where) or []:
        code_where = f"{where}: [[code]] {entry.get('code', '?')}"
        code = _require(entry, "code", int, code_where)
        if "same_as" in entry:
            _check_keys(entry, {"code", "same_as", "group"}, code_where)
            if code in into.codes or any(ref[0] == code for ref in into.same_as):
                raise CatalogError(f"{code_where}: a code defined by 'same_as' cannot also be listed in full")
            into.same_as.append(
                (code, _require(entry, "same_as", str, code_where), _optional(entry, "group", str, code_where))
            )
            continue
        _check_keys(entry, _CODE_KEYS, code_where)
        name = _optional(entry, "name", str, code_where)
        group = _optional(entry, "group", str, code_where)
        code_action = _action(entry, code_where, None)
        # A code documented twice (-5012) keeps the first heading as the code's own name;
        # each message still carries the name of the heading it is listed under.
        into.codes.setdefault(code, CodeInfo(code, name, group, _optional(entry, "note", str, code_where), code_action))
        templates = into.templates_by_code.setdefault(code, [])
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
                    action=_action(message, message_where, code_action, args),
                )
            )


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
                action=_action(entry, entry_where, None, args),
            )
        )
    return templates


def _read_file(path: str | Path) -> _ProductFile:
    import tomllib  # noqa: PLC0415 (only the first normalize() needs it, not the package import)

    where = str(path)
    try:
        with open(path, "rb") as stream:
            data = tomllib.load(stream)
    except OSError as error:
        raise CatalogError(f"{where}: cannot read: {error.strerror or error}") from error
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(f"{where}: not valid TOML: {error}") from error
    _check_keys(data, _TOP_KEYS, where)
    meta = _require(data, "catalog", dict, where)
    _check_keys(meta, _META_KEYS, where + " [catalog]")
    _require(meta, "source", str, where + " [catalog]")
    product = _require(meta, "product", str, where + " [catalog]")
    file = _ProductFile(product, where, meta, {}, {}, [], [])
    _load_codes(data, where, file)
    file.tables += _load_table(data, "filter", "filter_failure", where)
    file.tables += _load_table(data, "rejection", "order_rejection", where)
    file.suffixes += _load_suffixes(data, where)
    if file.tables and "tables_from" in meta:
        raise CatalogError(f"{where}: 'tables_from' and tables of its own exclude each other")
    return file


def _resolve(files: Mapping[str, _ProductFile]) -> dict[str, Catalog]:
    """Each product's catalog, with ``extends``, ``same_as`` and ``tables_from`` followed."""
    catalogs: dict[str, Catalog] = {}

    def reference(product: str, by: _ProductFile, key: str, chain: tuple[str, ...]) -> Catalog:
        if product not in files:
            raise CatalogError(f"{by.where}: '{key}' names product {product!r}, which no catalog file defines")
        return build(product, chain)

    def build(product: str, chain: tuple[str, ...] = ()) -> Catalog:
        if product in catalogs:
            return catalogs[product]
        file = files[product]
        if product in chain:
            raise CatalogError(f"{file.where}: products refer to each other in a circle: {' -> '.join(chain)}")
        chain = (*chain, product)
        codes: dict[int, CodeInfo] = {}
        by_code: dict[int, list[Template]] = {}
        tables: list[Template] = []
        suffixes = list(file.suffixes)
        if "extends" in file.meta:
            base = reference(_require(file.meta, "extends", str, file.where), file, "extends", chain)
            codes.update(base.codes)
            suffixes += [suffix for suffix in base.suffixes if suffix not in suffixes]
            for template in base.templates:
                if template.code is None:
                    tables.append(template)
                else:
                    by_code.setdefault(template.code, []).append(template)
        for code, other, group in file.same_as:
            source = reference(other, file, "same_as", chain)
            if code not in source.codes:
                raise CatalogError(f"{file.where}: code {code} is 'same_as' {other!r}, which does not define it")
            info = source.codes[code]
            codes[code] = CodeInfo(code, info.name, group or info.group, info.note, info.action)
            by_code[code] = [template for template in source.templates if template.code == code]
        for code, info in file.codes.items():
            codes[code] = info
            by_code[code] = file.templates_by_code[code]
        if "tables_from" in file.meta:
            tables = [
                t for t in reference(file.meta["tables_from"], file, "tables_from", chain).templates if t.code is None
            ]
        elif file.tables:
            tables = file.tables
        templates = tuple(template for code in codes for template in by_code.get(code, ())) + tuple(tables)
        catalogs[product] = Catalog(product, codes, templates, (str(file.meta["source"]),), tuple(suffixes))
        return catalogs[product]

    for product in files:
        build(product)
    return catalogs


def load_catalogs(paths: Iterable[str | Path]) -> dict[str, Catalog]:
    """Load and check catalog files, one product each; raises `CatalogError` naming the file
    and entry at fault.  References between products (``extends``, ``same_as``,
    ``tables_from``) must stay within the files given."""
    files: dict[str, _ProductFile] = {}
    for path in paths:
        file = _read_file(path)
        if file.product in files:
            raise CatalogError(
                f"{file.where}: product {file.product!r} is already defined by {files[file.product].where}"
            )
        files[file.product] = file
    if not files:
        raise CatalogError("no catalog files given")
    resolved = _resolve(files)
    catalogs = {product: resolved[product] for product in files}  # in the order of the files given
    # Suffixes are what Binance's servers append to messages, whichever API answers: one
    # declaration serves every product line.
    suffixes = tuple(dict.fromkeys(suffix for catalog in catalogs.values() for suffix in catalog.suffixes))
    catalogs = {product: replace(catalog, suffixes=suffixes) for product, catalog in catalogs.items()}
    owners: dict[str, Template] = {}
    for catalog in catalogs.values():
        for template in catalog.templates:
            if owners.setdefault(template.id, template) is not template:
                raise CatalogError(f"template id {template.id!r} is used twice")
    return catalogs


def load_catalog(paths: Iterable[str | Path], product: str | None = None) -> Catalog:
    """One product's catalog from the given files (the only product, when ``product`` is None)."""
    catalogs = load_catalogs(paths)
    if product is None:
        if len(catalogs) > 1:
            raise CatalogError(f"these files define several products ({', '.join(catalogs)}); name one")
        return next(iter(catalogs.values()))
    if product not in catalogs:
        raise CatalogError(f"no catalog file defines product {product!r} (there are: {', '.join(catalogs)})")
    return catalogs[product]


PRODUCT_ORDER = ("sapi", "spot", "margin", "usdm", "coinm", "options", "portfolio_margin", "portfolio_margin_pro")
"""The order products are tried in when a message fits several equally: the primary (SAPI) page first."""


def _product_rank(path: Path) -> tuple[int, str]:
    rank = PRODUCT_ORDER.index(path.stem) if path.stem in PRODUCT_ORDER else len(PRODUCT_ORDER)
    return rank, path.stem


def catalog_paths(folder: Path) -> list[Path]:
    """The catalog files in ``folder``, in `PRODUCT_ORDER`."""
    return sorted(folder.glob("*.toml"), key=_product_rank)


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
            return catalog_paths(folder)
    raise CatalogError(f"the packaged catalog is missing ({packaged}); reinstall binance-errors")


CACHE_NAME = "catalogs.pickle"
"""The loaded catalogs, written beside the TOML files when a wheel is built."""


def _source_key(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda path: path.name):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def write_catalog_cache(paths: Sequence[Path], target: Path) -> None:
    """Load and check ``paths``, and write the result where `read_catalog_cache` finds it."""
    catalogs = load_catalogs(paths)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pickle.dumps((_source_key(paths), catalogs), protocol=pickle.HIGHEST_PROTOCOL))


def read_catalog_cache(paths: Sequence[Path], cache: Path) -> dict[str, Catalog] | None:
    """The catalogs in ``cache`` if it was written from exactly these files, else None."""
    if not cache.is_file():
        return None
    try:
        key, catalogs = pickle.loads(cache.read_bytes())
    except Exception:
        # A cache that does not load is no cache: the TOML files are the truth.
        return None
    if key != _source_key(paths) or not isinstance(catalogs, dict):
        return None
    return catalogs


@cache
def default_catalogs() -> dict[str, Catalog]:
    """Every product's catalog shipped with the package, loaded once (from the wheel's
    pre-loaded copy when it matches the TOML files)."""
    paths = packaged_catalog_paths()
    cached = read_catalog_cache(paths, paths[0].parent / CACHE_NAME) if paths else None
    return cached if cached is not None else load_catalogs(paths)


def default_catalog(product: str = "sapi") -> Catalog:
    """One product's catalog shipped with the package (the SAPI one unless named)."""
    catalogs = default_catalogs()
    if product not in catalogs:
        raise CatalogError(f"no packaged catalog for product {product!r} (there are: {', '.join(sorted(catalogs))})")
    return catalogs[product]

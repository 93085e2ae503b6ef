"""Match a (code, message) pair against the catalog and build its record.

Decision order, first hit wins:

1. the exact text of one of the code's own messages;
2. the code's own messages, tolerantly: literal ones through their loose key, then the
   ones with placeholders, most literal text first;
3. the same over the filter and rejection tables (which any catch-all code may carry)
   and then every other code: the text decides (``-2010`` carrying ``Account has
   insufficient balance...``; a message logged without its code);
4. the code alone, when it is documented;
5. unknown.
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import _CacheInfo, lru_cache
from types import MappingProxyType

from binance_errors.argtypes import CONVERSION_ERRORS, Converter
from binance_errors.catalog import Catalog, CodeInfo, Template, Wording, default_catalog
from binance_errors.coerce import as_code, as_message
from binance_errors.compiler import CompiledWording, PatternGroup, compile_wording, lead_of, loose_key
from binance_errors.payload import code_and_message
from binance_errors.record import _NO_ARGS, ArgValue, ErrorRecord, MatchKind

DEFAULT_CACHE_SIZE = 65_536
DEFAULT_MAX_MESSAGE_LENGTH = 4_096


@dataclass(frozen=True, slots=True)
class _Literal:
    template: Template
    wording: Wording


def _own(entries: list[_Literal], code: int) -> _Literal | None:
    """The entry documented under ``code``, if any."""
    for entry in entries:
        if entry.template.code == code:
            return entry
    return None


def _shared_first(entries: list[_Literal]) -> _Literal:
    """An entry of the shared tables if there is one, else the first documented code's."""
    for entry in entries:
        if entry.template.code is None:
            return entry
    return entries[0]


_Found = tuple[Template, Wording, tuple[tuple[str, Converter], ...], tuple[str, ...], MatchKind]


class _Index:
    """Every lookup structure the decision order needs, built once from a catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.codes: Mapping[int, CodeInfo] = catalog.codes
        self.exact: dict[str, list[_Literal]] = defaultdict(list)
        self.loose: dict[str, list[_Literal]] = defaultdict(list)
        by_code: dict[int | None, list[CompiledWording]] = defaultdict(list)
        by_lead: dict[str, list[CompiledWording]] = defaultdict(list)
        for template in catalog.templates:
            for wording in template.wordings:
                # A server that sends a template unfilled ("... limit is %s ...") matches it exactly.
                self.exact[wording.text].append(_Literal(template, wording))
                if wording.is_literal:
                    self.loose[loose_key(wording.text)].append(_Literal(template, wording))
                else:
                    compiled = compile_wording(template, wording)
                    by_code[template.code].append(compiled)
                    by_lead[compiled.lead].append(compiled)
        self.own_patterns = {code: PatternGroup(wordings) for code, wordings in by_code.items()}
        # A message's bucket holds the wordings that start like it and those that start
        # with a placeholder; a message whose start matches no bucket gets the latter alone.
        starting_with_placeholder = by_lead.pop("", [])
        self.patterns_by_lead = {
            lead: PatternGroup(wordings + starting_with_placeholder) for lead, wordings in by_lead.items()
        }
        self.patterns_for_any_lead = PatternGroup(starting_with_placeholder)


_INDEXES: weakref.WeakKeyDictionary[Catalog, _Index] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def _index_for(catalog: Catalog) -> _Index:
    """The index of ``catalog``, shared by every Normalizer of it (patterns compile once)."""
    with _INDEXES_LOCK:
        index = _INDEXES.get(catalog)
        if index is None:
            index = _INDEXES[catalog] = _Index(catalog)
        return index


class Normalizer:
    """Normalizes Binance errors against one catalog.

    Thread-safe: the index is built once per catalog under a lock on first use and shared
    by every Normalizer of that catalog; results are kept in a bounded LRU cache keyed by
    (code, message).
    """

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        cache_size: int = DEFAULT_CACHE_SIZE,
        max_message_length: int = DEFAULT_MAX_MESSAGE_LENGTH,
        match_timeout: float = 0.05,
    ) -> None:
        self._catalog = catalog
        self._index: _Index | None = None
        self.max_message_length = max_message_length
        self.match_timeout = match_timeout
        self._cached = lru_cache(maxsize=cache_size)(self._normalize)

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = default_catalog()
        return self._catalog

    def _get_index(self) -> _Index:
        if self._index is None:
            self._index = _index_for(self.catalog)
        return self._index

    def normalize(self, code: object, msg: object) -> ErrorRecord:
        """The record for one error; never raises (``match == "unknown"`` where nothing fits)."""
        if type(msg) is not str or (type(code) is not int and code is not None):
            code, msg = as_code(code), as_message(msg)
        assert isinstance(msg, str) and (code is None or isinstance(code, int))
        if len(msg) > self.max_message_length:
            # Too long to be a Binance message: no pattern is tried and nothing is cached,
            # so a flood of huge inputs costs neither time nor memory.
            return self._code_only(self._get_index(), code, msg)
        return self._cached(code, msg)

    def normalize_payload(self, payload: object) -> ErrorRecord:
        """The record for an error body (dict, or JSON text or bytes); never raises."""
        try:
            code, msg = code_and_message(payload)
        except Exception:
            # A mapping with a hostile __getitem__ still gets a record, not an exception.
            code, msg = None, None
        return self.normalize(code, msg)

    def cache_clear(self) -> None:
        self._cached.cache_clear()

    def cache_info(self) -> _CacheInfo:
        """Hits, misses and size of the record cache (as ``functools.lru_cache`` reports them)."""
        return self._cached.cache_info()

    def _normalize(self, code: int | None, message: str) -> ErrorRecord:
        index = self._get_index()
        text = message.strip()
        try:
            found = self._find(index, code, text, self.match_timeout)
        except TimeoutError:
            found = None
        if found is None:
            return self._code_only(index, code, message)
        return self._build(index, code, message, *found)

    def _find(self, index: _Index, code: int | None, text: str, timeout: float) -> _Found | None:
        exact = index.exact.get(text)
        loose = index.loose.get(loose_key(text))
        if code is not None:
            entry = _own(exact, code) if exact else None
            if entry is not None:
                return entry.template, entry.wording, (), (), "exact"
            entry = _own(loose, code) if loose else None
            if entry is not None:
                return entry.template, entry.wording, (), (), "template"
            group = index.own_patterns.get(code)
            found = group.match(text, timeout) if group is not None else None
            if found is not None:
                compiled, raw_args = found
                return compiled.template, compiled.wording, compiled.present_args, raw_args, "template"
        # The text decides: the tables that catch-all codes carry first, then other codes
        # (the message may sit under another code, or come without one).
        if exact:
            entry = _shared_first(exact)
            return entry.template, entry.wording, (), (), "exact"
        if loose:
            entry = _shared_first(loose)
            return entry.template, entry.wording, (), (), "template"
        found = index.patterns_by_lead.get(lead_of(text), index.patterns_for_any_lead).match(text, timeout)
        if found is not None:
            compiled, raw_args = found
            return compiled.template, compiled.wording, compiled.present_args, raw_args, "template"
        return None

    @staticmethod
    def _code_only(index: _Index, code: int | None, message: str) -> ErrorRecord:
        info = index.codes.get(code) if code is not None else None
        if info is None:
            return ErrorRecord(code, None, message)
        return ErrorRecord(code, info.name, message, group=info.group, match="code")

    @staticmethod
    def _build(
        index: _Index,
        code: int | None,
        message: str,
        template: Template,
        wording: Wording,
        present_args: tuple[tuple[str, Converter], ...],
        raw_args: tuple[str, ...],
        match: MatchKind,
    ) -> ErrorRecord:
        args: dict[str, ArgValue] = {}
        for (arg_name, converter), raw in zip(present_args, raw_args, strict=True):
            try:
                args[arg_name] = converter(raw)
            except CONVERSION_ERRORS:
                args[arg_name] = raw
        subtype = template.subtype
        if template.subtype_arg is not None:
            subtype = str(args.get(template.subtype_arg, ""))
        if code is not None and code == template.code:
            # The template's own heading: right even for a code documented twice (-5012).
            name, group = template.name, template.group
        else:
            info = index.codes.get(code) if code is not None else None
            name, group = (info.name, info.group) if info else (None, template.group)
        # Positional: a named tuple builds several times faster that way, and this runs for
        # every distinct message.  The order is ErrorRecord's field order.
        return ErrorRecord(
            code,
            name,
            message,
            template.en,
            template.id,
            raw_args,
            MappingProxyType(args) if args else _NO_ARGS,
            template.kind,
            subtype,
            wording.lang,
            match,
            group,
            template.code,
        )

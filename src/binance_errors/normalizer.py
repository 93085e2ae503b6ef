"""Match a (code, message) pair against the catalog and build its record.

Decision order, first hit wins:

1. the exact text of one of the code's own messages (or of the filter and rejection
   tables, which any catch-all code may carry);
2. the code's own messages, tolerantly: literal ones through their loose key, then the
   ones with placeholders, most literal text first;
3. the same two steps over every other code: the text decides (``-2010`` carrying
   ``Account has insufficient balance...``; a message logged without its code);
4. the code alone, when it is documented;
5. unknown.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from binance_errors import argtypes
from binance_errors.catalog import Catalog, CodeInfo, Template, Wording, default_catalog
from binance_errors.coerce import as_code, as_message
from binance_errors.payload import code_and_message
from binance_errors.compiler import CompiledWording, compile_wording, lead_of, loose_key
from binance_errors.record import ArgValue, ErrorRecord, MatchKind

DEFAULT_CACHE_SIZE = 65_536
DEFAULT_MAX_MESSAGE_LENGTH = 4_096
# Longer messages are matched with a regex timeout; short ones cannot be slow and the
# timeout bookkeeping would cost more than the match.
_TIMEOUT_ABOVE_LENGTH = 512


@dataclass(frozen=True, slots=True)
class _Literal:
    template: Template
    wording: Wording


def _own_first(candidates: Iterable[_Literal], code: int | None) -> list[_Literal]:
    """Candidates ordered: the code's own, then the shared tables, then other codes."""

    def rank(entry: _Literal) -> int:
        if code is not None and entry.template.code == code:
            return 0
        return 1 if entry.template.code is None else 2

    return sorted(candidates, key=rank)


class _Index:
    """Every lookup structure the decision order needs, built once from a catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.codes: Mapping[int, CodeInfo] = catalog.codes
        self.exact: dict[str, list[_Literal]] = defaultdict(list)
        self.loose: dict[str, list[_Literal]] = defaultdict(list)
        self.patterns_by_code: dict[int | None, list[CompiledWording]] = defaultdict(list)
        self.patterns_by_lead: dict[str, list[CompiledWording]] = defaultdict(list)
        for template in catalog.templates:
            for wording in template.wordings:
                if wording.is_literal:
                    entry = _Literal(template, wording)
                    self.exact[wording.text].append(entry)
                    self.loose[loose_key(wording.text)].append(entry)
                else:
                    compiled = compile_wording(template, wording)
                    self.patterns_by_code[template.code].append(compiled)
                    self.patterns_by_lead[compiled.lead].append(compiled)
        for patterns in (*self.patterns_by_code.values(), *self.patterns_by_lead.values()):
            patterns.sort(key=lambda compiled: -compiled.specificity)


class Normalizer:
    """Normalizes Binance errors against one catalog.

    Thread-safe: the index is built once under a lock on first use, and results are
    kept in a bounded LRU cache keyed by (code, message).
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
        self._lock = threading.Lock()
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
            with self._lock:
                if self._index is None:
                    self._index = _Index(self.catalog)
        return self._index

    def normalize(self, code: object, msg: object) -> ErrorRecord:
        """The record for one error; never raises (``match == "unknown"`` where nothing fits)."""
        int_code = as_code(code)
        message = as_message(msg)
        if len(message) > self.max_message_length:
            # Too long to be a Binance message: no pattern is tried and nothing is cached,
            # so a flood of huge inputs costs neither time nor memory.
            return self._code_only(self._get_index(), int_code, message)
        return self._cached(int_code, message)

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

    def _normalize(self, code: int | None, message: str) -> ErrorRecord:
        index = self._get_index()
        text = message.strip()
        timeout = self.match_timeout if len(text) > _TIMEOUT_ABOVE_LENGTH else None
        try:
            found = self._find(index, code, text, timeout)
        except TimeoutError:
            found = None
        if found is None:
            return self._code_only(index, code, message)
        template, wording, raw_by_index, match = found
        return self._build(index, code, message, template, wording, raw_by_index, match)

    def _find(
        self, index: _Index, code: int | None, text: str, timeout: float | None
    ) -> tuple[Template, Wording, dict[int, str], MatchKind] | None:
        exact = _own_first(index.exact.get(text, ()), code)
        own_exact = [entry for entry in exact if entry.template.code in (code, None)]
        if own_exact:
            return own_exact[0].template, own_exact[0].wording, {}, "exact"
        loose = _own_first(index.loose.get(loose_key(text), ()), code)
        if code is not None:
            own_loose = [entry for entry in loose if entry.template.code in (code, None)]
            if own_loose:
                return own_loose[0].template, own_loose[0].wording, {}, "template"
            for compiled in (*index.patterns_by_code.get(code, ()), *index.patterns_by_code.get(None, ())):
                raw = compiled.match(text, timeout)
                if raw is not None:
                    return compiled.template, compiled.wording, raw, "template"
        # The text decides: the message may sit under another code, or come without one.
        if exact:
            return exact[0].template, exact[0].wording, {}, "exact"
        if loose:
            return loose[0].template, loose[0].wording, {}, "template"
        candidates = [*index.patterns_by_lead.get(lead_of(text), ()), *index.patterns_by_lead.get("", ())]
        candidates.sort(key=lambda compiled: -compiled.specificity)
        for compiled in candidates:
            raw = compiled.match(text, timeout)
            if raw is not None:
                return compiled.template, compiled.wording, raw, "template"
        return None

    @staticmethod
    def _code_only(index: _Index, code: int | None, message: str) -> ErrorRecord:
        info = index.codes.get(code) if code is not None else None
        if info is None:
            return ErrorRecord(code=code, name=None, message=message, match="unknown")
        return ErrorRecord(code=code, name=info.name, message=message, group=info.group, match="code")

    @staticmethod
    def _build(
        index: _Index,
        code: int | None,
        message: str,
        template: Template,
        wording: Wording,
        raw_by_index: dict[int, str],
        match: MatchKind,
    ) -> ErrorRecord:
        raw_args = tuple(raw_by_index[i] for i in sorted(raw_by_index))
        args: dict[str, ArgValue] = {
            template.args[i].name: argtypes.convert(template.args[i].type, raw_by_index[i])
            for i in sorted(raw_by_index)
        }
        subtype = template.subtype
        if template.subtype_arg is not None:
            subtype = next(
                (raw_by_index[i] for i, arg in enumerate(template.args) if arg.name == template.subtype_arg),
                None,
            )
        if code is not None and code == template.code:
            # The template's own heading: right even for a code documented twice (-5012).
            name, group = template.name, template.group
        else:
            info = index.codes.get(code) if code is not None else None
            name, group = (info.name, info.group) if info else (None, template.group)
        return ErrorRecord(
            code=code,
            name=name,
            message=message,
            template=template.en,
            template_id=template.id,
            raw_args=raw_args,
            args=args,
            kind=template.kind,
            subtype=subtype,
            lang=wording.lang,
            match=match,
            group=group,
            template_code=template.code,
        )

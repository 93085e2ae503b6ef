"""Match a (code, message) pair against the catalogs and build its record.

Decision order, first hit wins:

1. the exact text of one of the code's own messages;
2. the code's own messages, tolerantly: literal ones through their loose key, then the
   ones with placeholders, most literal text first;
3. the same over the filter and rejection tables (which any catch-all code may carry)
   and then every other code: the text decides (``-2010`` carrying ``Account has
   insufficient balance...``; a message logged without its code);
   (1-3 are tried on the message as sent, then on the message without a suffix the server
   appended, such as ``, request ip: 1.2.3.4``, which is kept in ``extras``)
4. the closest documented wording, when it is close enough (``match == "fuzzy"``);
5. the code alone, when it is documented;
6. unknown (the code's family from its range, and the message's skeleton, still given).

A message that ends at 5 or 6 is mostly one of many that differ only in their digits (ticket
numbers, ids): where `binance_errors.digit_blind` shows that every message with the same digit
mask ends there alike, the record is kept by (code, product, mask), and later such messages get
it with their own ``message``, after the common case's miss and before 1-6 run.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import _CacheInfo, lru_cache
from types import MappingProxyType

from binance_errors.argtypes import CONVERSION_ERRORS, Converter
from binance_errors.catalog import Catalog, CatalogError, CodeInfo, Template, Wording, default_catalogs
from binance_errors.coerce import as_code, as_message
from binance_errors.compiler import LONG_MESSAGE, SENTENCE_END, CompiledWording, lead_of, loose_key
from binance_errors.digit_blind import DIGITS_AS_ZERO, Guard, blind_guard, has_digit, mask
from binance_errors.index import CodeParts, Index, Literal, RecordParts
from binance_errors.payload import code_and_message
from binance_errors.products import product_from_url
from binance_errors.record import _NO_ARGS, _NO_EXTRAS, ArgValue, ErrorRecord, MatchKind
from binance_errors.skeleton import skeleton

DEFAULT_FUZZY_THRESHOLD = 0.8
"""The similarity (0 to 1) a fuzzy match needs by default."""
APPENDED_SENTENCE_CONFIDENCE = 0.9
"""The confidence of a fuzzy match whose leading sentences are a documented message."""
OTHER_CODE_THRESHOLD = 0.9
"""The similarity a fuzzy match to another documented code's wording needs."""
DEFAULT_CACHE_SIZE = 4_096
"""Records kept by default.  Enough for the working set of a busy error stream (a realistic
stream of a few hundred distinct errors hits it 99.9% of the time at 1,024 records already);
a larger cache holds more objects in memory for every miss to walk past and for Python's
cyclic garbage collector to visit, which on distinct messages costs more than it saves
(measured on 200,000 distinct messages: 16,384 records normalized 5-8% fewer per second
than 4,096, and 65,536 records 20-25% fewer)."""
DEFAULT_MAX_MESSAGE_LENGTH = 4_096
CODE_PARTS_LIMIT = 4_096
"""Codes whose code-only parts are kept (an index's own bound: codes come from the input)."""
DIGIT_BLIND_LIMIT = 4_096
"""Digit masks of unknown messages whose record is kept (see digit_blind); past it, afresh."""

_Found = tuple[Template, Wording, tuple[tuple[str, Converter], ...], tuple[str, ...], MatchKind]
_BlindKey = tuple[int | None, str | None, bytes]
_Remembered = tuple[str | None, tuple[object, ...], Guard]
"""A record's name, its fields after ``message``, and what a later message must pass."""
_NOT_BLIND: _Remembered = (None, (), Guard(((0, 0),), ("\0not blind",), 0, frozenset()))
"""Kept for a mask that digit_blind cannot vouch for, so that it is not asked again (its
conditions are the mask's): the full path runs for each such message, as without the table."""
_SEEN_ONCE: _Remembered = (None, (), Guard(((0, 0),), ("\0seen once",), 0, frozenset()))
"""Kept for a mask met once: digit_blind is asked on the second message with it, so that a mask
that never comes back costs one entry, not a check."""
_NO_PRODUCTS: tuple[str, ...] = ()
_new_record = tuple.__new__
_WHEN = (datetime, timedelta)


def _own(entries: list[Literal], code: int) -> Literal | None:
    """The entry documented under ``code``, if any."""
    for entry in entries:
        if entry.template.code == code:
            return entry
    return None


def _shared(entries: list[Literal]) -> Literal | None:
    """The entry from the filter or rejection tables, if any."""
    for entry in entries:
        if entry.template.code is None:
            return entry
    return None


def _find(
    index: Index, code: int | None, text: str, timeout: float, *, likely: bool = True, own_missed: bool = False
) -> _Found | None:
    """The first documented wording that matches ``text``, by the decision order.

    ``likely=False`` (the last resort's guesses) makes each pattern group one case-blind call.
    ``own_missed``: the caller has just seen the code's own patterns miss ``text``.
    """
    exact = index.exact.get(text)
    loose: list[Literal] | None = None
    if code is not None:
        entry = _own(exact, code) if exact else None
        if entry is not None:
            return entry.template, entry.wording, (), (), "exact"
        group = index.own_patterns.get(code)
        # A literal message beats a placeholder one that would also match.  Only a few
        # wordings can read one of their code's literal messages (found when the index is
        # built); another wording's match stands, and the loose key, which costs more than
        # most pattern matches, is computed only when the patterns miss or such a wording
        # matched.
        wide = not text.isascii()
        conflicting = (index.wide_conflicts if wide else index.conflicts).get(code)
        if conflicting is None:
            conflicting = index.literal_conflict(code, wide=wide)
        found = group.match(text, timeout, case_first=likely) if group is not None and not own_missed else None
        if found is not None and id(found[0]) not in conflicting:
            compiled, raw_args = found
            return compiled.template, compiled.wording, compiled.present_args, raw_args, "template"
        loose = index.loose.get(loose_key(text))
        entry = _own(loose, code) if loose else None
        if entry is not None:
            return entry.template, entry.wording, (), (), "template"
        if found is not None:
            compiled, raw_args = found
            return compiled.template, compiled.wording, compiled.present_args, raw_args, "template"
    else:
        loose = index.loose.get(loose_key(text))
    # The text decides: the tables that catch-all codes carry first, then other codes (the
    # message may sit under another code, or come without one).
    literal_matches: tuple[tuple[list[Literal] | None, MatchKind], ...] = ((exact, "exact"), (loose, "template"))
    for entries, match in literal_matches:
        entry = _shared(entries) if entries else None
        if entry is not None:
            return entry.template, entry.wording, (), (), match
    for entries, match in literal_matches:
        if entries:
            return entries[0].template, entries[0].wording, (), (), match
    found = index.patterns_by_lead.get(lead_of(text), index.patterns_for_any_lead).match(
        text, timeout, case_first=False
    )
    if found is not None:
        compiled, raw_args = found
        return compiled.template, compiled.wording, compiled.present_args, raw_args, "template"
    return None


def _record_parts(index: Index, compiled: CompiledWording) -> RecordParts:
    """What a record of ``compiled`` matched under its own code takes from the wording alone
    (see the fast path of `_Matcher.normalize`; `_build` decides the same things per call)."""
    template = compiled.template
    action = template.action
    if template.kind == "filter_failure":
        products = index.filter_products
    else:
        products = index.products_of_wording[id(compiled.wording)]
    parts: RecordParts = (
        template.name,
        template.group,
        template.en,
        template.id,
        template.kind,
        template.subtype,
        compiled.wording.lang,
        template.code,
        action.category if action else "unknown",
        action.retryable if action else None,
        bool(action and action.execution_unknown),
        compiled.present_args,
        template.subtype_arg,
        action.retry_after_arg if action else None,
        products,
        products[0] if len(products) == 1 else None,
    )
    index.record_parts[id(compiled)] = parts
    return parts


def _code_parts(index: Index, code: int | None) -> CodeParts:
    """What a record of ``code`` alone takes from the code's documentation (see code_only)."""
    infos: list[tuple[str, CodeInfo]] = index.code_infos.get(code, []) if code is not None else []
    if not infos:
        family = index.families.of(code) if code is not None else None
        parts: CodeParts = (None, family, "unknown", None, False, ())
    else:
        assert code is not None  # infos is empty without a code
        actions = {info.action for _, info in infos}
        action = actions.pop() if len(actions) == 1 else None
        name, group = index.code_labels[code]
        parts = (
            name,
            group,
            action.category if action else "unknown",
            action.retryable if action else None,
            bool(action and action.execution_unknown),
            tuple(product for product, _ in infos),
        )
    if code is not None:
        if len(index.code_parts) >= CODE_PARTS_LIMIT:
            index.code_parts.clear()  # codes come from the input: any integer may be one
        index.code_parts[code] = parts
    return parts


_INDEXES: dict[tuple[Catalog, ...], Index] = {}
_INDEXES_LOCK = threading.Lock()


def _index_for(catalogs: tuple[Catalog, ...]) -> Index:
    """The index of these catalogs, shared by every Normalizer of them (patterns compile once)."""
    with _INDEXES_LOCK:
        index = _INDEXES.get(catalogs)
        if index is None:
            index = _INDEXES[catalogs] = Index(catalogs)
        return index


class Normalizer:
    """Normalizes Binance errors against the catalogs of one or more product lines.

    Thread-safe: indexes are built once per set of catalogs under a lock on first use and
    shared by every Normalizer of them; records are kept in a bounded LRU cache keyed by
    (code, message, product).
    """

    def __init__(
        self,
        catalogs: Catalog | Mapping[str, Catalog] | None = None,
        *,
        cache_size: int = DEFAULT_CACHE_SIZE,
        max_message_length: int = DEFAULT_MAX_MESSAGE_LENGTH,
        match_timeout: float = 0.05,
        fuzzy_threshold: float | None = DEFAULT_FUZZY_THRESHOLD,
    ) -> None:
        """``catalogs``: one catalog, catalogs by product, or None for every packaged one.
        ``fuzzy_threshold``: the similarity a fuzzy match needs (None turns fuzzy matching off)."""
        if isinstance(catalogs, Catalog):
            catalogs = {catalogs.product: catalogs}
        self._catalogs = dict(catalogs) if catalogs is not None else None
        self.max_message_length = max_message_length
        self._indexes: dict[str | None, Index] = {}
        self._matcher = _Matcher(self._indexes, match_timeout, fuzzy_threshold)
        self._cached = lru_cache(maxsize=cache_size)(self._matcher.normalize)

    @property
    def match_timeout(self) -> float:
        """Seconds a message longer than 512 characters may take to match."""
        return self._matcher.match_timeout

    @property
    def fuzzy_threshold(self) -> float | None:
        """The similarity a fuzzy match needs (None: no fuzzy matching)."""
        return self._matcher.fuzzy_threshold

    @property
    def catalogs(self) -> Mapping[str, Catalog]:
        if self._catalogs is None:
            self._catalogs = default_catalogs()
        return MappingProxyType(self._catalogs)

    @property
    def products(self) -> tuple[str, ...]:
        """The product lines this normalizer knows, in catalog order."""
        return tuple(self.catalogs)

    def _index(self, product: str | None) -> Index:
        index = self._indexes.get(product)
        if index is None:
            if product is None:
                chosen = tuple(self.catalogs.values())
            elif product in self.catalogs:
                chosen = (self.catalogs[product],)
            else:
                raise CatalogError(f"unknown product {product!r}; known: {', '.join(self.catalogs)}")
            index = self._indexes[product] = _index_for(chosen)
        return index

    def normalize(self, code: object, msg: object, product: str | None = None) -> ErrorRecord:
        """The record for one error.

        Never raises for any code or message (``match == "unknown"`` where nothing fits).
        ``product`` names the API that answered (see `products`); an unknown name is a
        programming error and raises `CatalogError`.
        """
        index = self._indexes.get(product) or self._index(product)
        if type(msg) is not str or (type(code) is not int and code is not None):
            code, msg = as_code(code), as_message(msg)
        message = msg
        if len(message) > self.max_message_length:
            # Too long to be a Binance message: no pattern is tried and nothing is cached,
            # so a flood of huge inputs costs neither time nor memory.
            return _Matcher.code_only(index, product, code, message)
        return self._cached(code, message, product)

    def normalize_payload(self, payload: object, product: str | None = None, *, url: str | None = None) -> ErrorRecord:
        """The record for an error body (dict, or JSON text or bytes); never raises for bad bodies.

        ``product`` names the API that answered; or ``url``, the request's URL, tells it (a URL
        that names no known API leaves the message to decide).
        """
        if product is None and url is not None:
            inferred = product_from_url(url)
            product = inferred if inferred in self.catalogs else None
        try:
            code, msg = code_and_message(payload)
        except Exception:
            # A mapping with a hostile __getitem__ still gets a record, not an exception.
            code, msg = None, None
        return self.normalize(code, msg, product)

    def cache_clear(self) -> None:
        self._cached.cache_clear()
        self._matcher.blind.clear()

    def cache_info(self) -> _CacheInfo:
        """Hits, misses and size of the record cache (as ``functools.lru_cache`` reports them)."""
        return self._cached.cache_info()


class _Matcher:
    """The matching work behind a Normalizer's cache.

    Kept apart from the Normalizer so that the cache, which holds this object's bound
    method, does not hold the Normalizer too: a reference cycle would leave a dropped
    Normalizer (and up to its whole cache of records) to the cyclic garbage collector.
    """

    def __init__(self, indexes: dict[str | None, Index], match_timeout: float, fuzzy_threshold: float | None) -> None:
        self.indexes = indexes
        self.match_timeout = match_timeout
        self.fuzzy_threshold = fuzzy_threshold
        self.blind: dict[_BlindKey, _Remembered] = {}
        """Records of unknown messages by (code, product, digit mask): see digit_blind."""

    def normalize(self, code: int | None, message: str, product: str | None) -> ErrorRecord:  # noqa: PLR0915 (hot path, inline)
        index = self.indexes[product]
        text = message.strip()
        split = index.suffixes.split(text) if index.suffixes.needle in text else None
        # The common case on its own, first: a documented code, no suffix, not a literal
        # message, and a match by a wording that cannot read one of the code's literals
        # (the full decision order below would reach the same pattern first, after the
        # same misses).
        conflicts = index.conflicts if text.isascii() else index.wide_conflicts
        conflicting = conflicts.get(code) if code is not None else None
        own_missed = False
        if split is None and conflicting is not None and text not in index.exact and len(text) <= LONG_MESSAGE:
            group = index.own_patterns.get(code)
            found_first = group.match(text, self.match_timeout) if group is not None else None
            own_missed = found_first is None
            if found_first is not None and id(found_first[0]) not in conflicting:
                # _build's work for this case, with everything the wording decides looked
                # up once per wording: this is the path nearly every distinct message takes.
                compiled, raw_args = found_first
                parts = index.record_parts.get(id(compiled)) or _record_parts(index, compiled)
                (name, group_name, en, template_id, kind, subtype, lang, template_code, category, retryable,
                 execution_unknown, present, subtype_arg, retry_after_arg, products, sole_product) = parts  # fmt: skip
                args: Mapping[str, ArgValue] = _NO_ARGS
                retry_after = None
                if present:
                    converted: dict[str, ArgValue] = {}
                    for (arg_name, converter), raw in zip(present, raw_args, strict=True):
                        try:
                            converted[arg_name] = converter(raw)
                        except CONVERSION_ERRORS:
                            converted[arg_name] = raw
                    args = MappingProxyType(converted)
                    if subtype_arg is not None:
                        subtype = str(converted.get(subtype_arg, ""))
                    if retry_after_arg is not None:
                        value = converted.get(retry_after_arg)
                        retry_after = value if isinstance(value, _WHEN) else None
                if product:
                    products, sole_product = (product,), product
                # ErrorRecord's field order, as in _build.
                return _new_record(
                    ErrorRecord,
                    (code, name, message, en, template_id, raw_args, args, kind, subtype, lang, "template",
                     group_name, template_code, 1.0, _NO_EXTRAS, category, retryable, retry_after,
                     execution_unknown, None, sole_product, products),
                )  # fmt: skip
        blind_key: _BlindKey | None = None
        known: _Remembered | None = None
        if split is None:
            # An unknown message like one met before but for its digits: that one's record
            # (digit_blind tells when it is exactly what the decision order below gives).
            # Looked up only here, after the fast path: a template match pays nothing for it.
            try:
                blind_key = (code, product, message.encode().translate(DIGITS_AS_ZERO))
            except UnicodeEncodeError:  # a lone surrogate
                blind_key = (code, product, mask(message))
            known = self.blind.get(blind_key)  # one get: another thread may clear the dict
            if known is not None and known is not _SEEN_ONCE:
                if known is _NOT_BLIND:
                    blind_key = None  # asked before: nothing to remember
                else:
                    name, tail, guard = known
                    if not guard.spans or guard.holds(message):
                        return _new_record(ErrorRecord, (code, name, message) + tail)  # noqa: RUF005 (faster than unpacking)
        extras = _NO_EXTRAS
        try:
            if split is not None:
                # The suffix goes first: a free-text placeholder at the end of a template
                # would otherwise take it for part of its value.
                text, found_extras = split
                extras = MappingProxyType(found_extras)
            found = _find(index, code, text, self.match_timeout, own_missed=own_missed)
            if found is None and split is not None:
                found = _find(index, code, message.strip(), self.match_timeout)
                extras = _NO_EXTRAS if found is not None else extras
        except TimeoutError:
            found = None
        if found is not None:
            return self._build(index, product, code, message, *found, confidence=1.0, extras=extras)
        if self.fuzzy_threshold is not None:
            record = self._fuzzy(index, product, code, message, text, extras)
            if record is not None:
                return record
        record = self.code_only(index, product, code, message, extras)
        if blind_key is not None:
            self._remember(blind_key, known, index, code, message, text, record)
        return record

    def _remember(
        self,
        key: _BlindKey,
        known: _Remembered | None,
        index: Index,
        code: int | None,
        message: str,
        text: str,
        record: ErrorRecord,
    ) -> None:
        """Keeps ``record`` (of ``message``, which matched nothing and had no suffix; ``text`` is
        it stripped) for the later messages with its digit mask, when digit_blind shows it is
        theirs too.  ``known``: what the table held for the mask."""
        if not has_digit(text):
            return  # no other message has its mask: the record cache is enough
        blind = self.blind
        if len(blind) >= DIGIT_BLIND_LIMIT:
            blind.clear()
        if known is None:
            blind[key] = _SEEN_ONCE
            return
        guard = blind_guard(index, code, text, self.fuzzy_threshold)
        if guard is None:
            blind[key] = _NOT_BLIND
        else:
            if guard.spans:
                guard = guard.shifted(len(message) - len(message.lstrip()))
            blind[key] = (record.name, record[3:], guard)

    def _fuzzy(
        self,
        index: Index,
        product: str | None,
        code: int | None,
        message: str,
        text: str,
        extras: Mapping[str, str],
    ) -> ErrorRecord | None:
        assert self.fuzzy_threshold is not None
        # A documented message with a sentence of its own appended: the leading sentences
        # match a template outright, so the guess is a strong one.
        for end in reversed([found.end() for found in SENTENCE_END.finditer(text) if found.end() < len(text)]):
            try:
                found = _find(index, code, text[:end].strip(), self.match_timeout, likely=False)
            except TimeoutError:
                found = None
            if found is not None:
                return self._build(
                    index, product, code, message, *found[:4], "fuzzy", confidence=APPENDED_SENTENCE_CONFIDENCE,
                    extras=extras,
                )  # fmt: skip
        from binance_errors.fuzzy import fuzzy_arguments  # noqa: PLC0415 (loaded with the fuzzy index, on first use)

        near = index.fuzzy.best(text, code, self.fuzzy_threshold)
        if near is None:
            return None
        other_code = code is not None and near.template.code not in (code, None) and code in index.code_infos
        if other_code and near.confidence < max(self.fuzzy_threshold, OTHER_CODE_THRESHOLD):
            # The code is documented and the closest wording belongs to another code: the
            # code is strong evidence, so only a much closer wording overrules it.
            return None
        present: tuple[tuple[str, Converter], ...] = ()
        raw_args: tuple[str, ...] = ()
        if near.compiled is not None:
            values = fuzzy_arguments(near.compiled, text)
            if values is not None:
                present, raw_args = near.compiled.present_args, values
        return self._build(
            index, product, code, message, near.template, near.wording, present, raw_args, "fuzzy",
            confidence=near.confidence, extras=extras,
        )  # fmt: skip

    @staticmethod
    def code_only(
        index: Index, product: str | None, code: int | None, message: str, extras: Mapping[str, str] = _NO_EXTRAS
    ) -> ErrorRecord:
        shape = skeleton(message)
        parts = index.code_parts.get(code) if code is not None else None
        if parts is None:
            parts = _code_parts(index, code)
        name, group, category, retryable, execution_unknown, products = parts
        if name is None and not products:
            # No product documents the code: its family from the code's range.
            return _new_record(
                ErrorRecord,
                (code, None, message, None, None, (), _NO_ARGS, None, None, "en", "unknown", group, None, None,
                 extras, "unknown", None, None, False, shape, product, (product,) if product else _NO_PRODUCTS),
            )  # fmt: skip
        # ErrorRecord's field order (see _build).
        return _new_record(
            ErrorRecord,
            (code, name, message, None, None, (), _NO_ARGS, None, None, "en", "code", group, None, None, extras,
             category, retryable, None, execution_unknown, shape,
             product or (products[0] if len(products) == 1 else None), products),
        )  # fmt: skip

    @staticmethod
    def _build(
        index: Index,
        product: str | None,
        code: int | None,
        message: str,
        template: Template,
        wording: Wording,
        present_args: tuple[tuple[str, Converter], ...],
        raw_args: tuple[str, ...],
        match: MatchKind,
        *,
        confidence: float,
        extras: Mapping[str, str],
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
        action = template.action
        if code is not None and code == template.code:
            # The template's own heading: right even for a code documented twice (-5012).
            name, group = template.name, template.group
        else:
            labels = index.code_labels.get(code) if code is not None else None
            name, group = labels if labels is not None else (None, template.group)
            if action is None and code is not None and labels is not None and template.code is None:
                # A table row without a rule of its own takes the carrying code's.
                action = index.code_infos[code][0][1].action
        retry_after = None
        if action is not None and action.retry_after_arg is not None:
            value = args.get(action.retry_after_arg)
            retry_after = value if isinstance(value, _WHEN) else None
        if product:
            products: tuple[str, ...] = (product,)
        elif template.kind == "filter_failure":
            products = index.filter_products
        elif code is not None and code == template.code:
            products = index.products_of_wording[id(wording)]
        else:
            products = index.products_of_text[id(wording)]
        # Built as a plain tuple: three times faster than the named tuple's keyword-checking
        # constructor, and this runs for every distinct message.  The order is ErrorRecord's
        # field order (tests/test_normalize.py checks that every field is set as named).
        return _new_record(
            ErrorRecord,
            (
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
                confidence,
                extras,
                action.category if action else "unknown",
                action.retryable if action else None,
                retry_after,
                bool(action and action.execution_unknown),
                None,
                product or (products[0] if len(products) == 1 else None),
                products,
            ),
        )

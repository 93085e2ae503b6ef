"""The lookup structures the normalizer's decision order needs, built once per set of catalogs.

One index serves one product's catalog, or several at once (when the caller does not say
which API answered).  Templates shared between product lines (``same_as``, ``extends``) are
indexed once and remember every product that has them, so the work per message does not
grow with the number of catalogs.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from binance_errors.argtypes import Converter
from binance_errors.catalog import Catalog, CodeInfo, Kind, Lang, Template, Wording
from binance_errors.compiler import (
    FINAL_PUNCTUATION,
    PLAIN_ASCII,
    CompiledWording,
    PatternGroup,
    SuffixSplitter,
    compile_wording,
    loose_key,
)
from binance_errors.families import Families

if TYPE_CHECKING:
    from binance_errors.digit_blind import Facts
    from binance_errors.fuzzy import FuzzyIndex


RecordParts = tuple[
    str | None,  # name
    str | None,  # group
    str,  # template
    str,  # template_id
    Kind | None,  # kind
    str | None,  # subtype
    Lang,  # lang
    int | None,  # template_code
    str,  # category
    bool | None,  # retryable
    bool,  # execution_unknown
    tuple[tuple[str, Converter], ...],  # the wording's arguments, in English order
    str | None,  # subtype_arg
    str | None,  # retry_after_arg
    tuple[str, ...],  # products
    str | None,  # product, when there is only one
]
"""What a record matched under a wording's own code takes from that wording alone."""

CodeParts = tuple[
    str | None,  # name (None: no product documents the code)
    str | None,  # group (the code's family where no product documents it)
    str,  # category
    bool | None,  # retryable
    bool,  # execution_unknown
    tuple[str, ...],  # products that document the code
]
"""What a record matched by its code alone takes from the code's documentation."""
_NO_CONFLICTS: frozenset[int] = frozenset()


def _agreed(values: Iterable[str | None]) -> str | None:
    """The value every product gives, or None where they differ."""
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


def _drifted(text: str) -> tuple[str, ...]:
    """``text`` in the drifts tolerant matching accepts: ends, case, spacing, quotes."""
    bare = text.rstrip(FINAL_PUNCTUATION)
    # Each final mark once and doubled, full-width ones too ("在参数中发现非法字符。。").
    ends = tuple(bare + mark * times for mark in FINAL_PUNCTUATION for times in (1, 2))
    return (
        text,
        bare,
        *ends,
        text.upper(),
        text.lower(),
        f"  {text.replace(' ', '  ')} ",
        text.replace("`", "'"),
        text.replace("'", "`").replace('"', "`"),
        text.replace("`", "").replace("'", "").replace('"', ""),
    )


@dataclass(frozen=True, slots=True)
class Literal:
    template: Template
    wording: Wording


class Index:
    def __init__(self, catalogs: Sequence[Catalog]) -> None:
        self.code_infos: dict[int, list[tuple[str, CodeInfo]]] = defaultdict(list)
        """Each code's documentation in each product that lists it."""
        # The products in which a code has a wording of this text (any template; by loose key).
        wording_products: dict[tuple[int | None, str], tuple[str, ...]] = {}
        indexed: set[str] = set()
        self._literal_texts: dict[int | None, list[str]] = defaultdict(list)
        self.exact: dict[str, list[Literal]] = defaultdict(list)
        self.loose: dict[str, list[Literal]] = defaultdict(list)
        by_code: dict[int | None, list[CompiledWording]] = defaultdict(list)
        by_lead: dict[str, list[CompiledWording]] = defaultdict(list)
        self._fuzzy_entries: list[tuple[Template, Wording, CompiledWording | None]] = []
        suffixes = []
        for catalog in catalogs:
            for code, info in catalog.codes.items():
                self.code_infos[code].append((catalog.product, info))
            suffixes += [suffix for suffix in catalog.suffixes if suffix not in suffixes]
            for template in catalog.templates:
                # A template shared between products (same_as, extends) is indexed once.
                if template.id not in indexed:
                    indexed.add(template.id)
                    self._add(template, by_code, by_lead)
                for wording in template.wordings:
                    key = (template.code, loose_key(wording.text))
                    products = wording_products.get(key, ())
                    if catalog.product not in products:
                        wording_products[key] = (*products, catalog.product)
        # Where the text decides (another code's message, or no code), any code's wording of
        # the same text makes its product a candidate.
        text_products: dict[str, tuple[str, ...]] = {}
        for (_code, text), products in wording_products.items():
            known = text_products.get(text, ())
            text_products[text] = (*known, *(product for product in products if product not in known))
        # Resolved once per wording (by identity) so that building a record is a dict lookup.
        self.products_of_wording: dict[int, tuple[str, ...]] = {}
        self.products_of_text: dict[int, tuple[str, ...]] = {}
        for catalog in catalogs:
            for template in catalog.templates:
                for wording in template.wordings:
                    text_key = loose_key(wording.text)
                    self.products_of_wording[id(wording)] = wording_products[template.code, text_key]
                    self.products_of_text[id(wording)] = text_products[text_key]
        # Every product with a filter table reads any "Filter failure: NAME" (through its row
        # for NAME or its catch-all row), so all of them are candidates for such a message.
        self.filter_products = tuple(
            catalog.product
            for catalog in catalogs
            if any(template.kind == "filter_failure" for template in catalog.templates)
        )
        # Each code's name and heading where every product agrees on them (None where not).
        self.code_labels: dict[int, tuple[str | None, str | None]] = {
            code: (_agreed(info.name for _, info in infos), _agreed(info.group for _, info in infos))
            for code, infos in self.code_infos.items()
        }
        self.own_patterns = {code: PatternGroup(wordings) for code, wordings in by_code.items()}
        self.record_parts: dict[int, RecordParts] = {}
        """By id of an own-code CompiledWording, filled on first use (see the normalizer)."""
        self.code_parts: dict[int, CodeParts] = {}
        """By code, filled on first use (see the normalizer's code_only)."""
        self.conflicts: dict[int, frozenset[int]] = {}
        """literal_conflict's answers for ASCII messages so far, by code (read on the hot path)."""
        self.wide_conflicts: dict[int, frozenset[int]] = {}
        """literal_conflict's answers for the other messages so far, by code."""
        # A message's bucket holds the wordings that start like it and those that start
        # with a placeholder; a message whose start matches no bucket gets the latter alone.
        # (The latter are one group that every bucket shares: compiled once, not once a bucket.)
        self.patterns_for_any_lead = PatternGroup(by_lead.pop("", []))
        self.patterns_by_lead = {
            lead: PatternGroup(wordings, shared=self.patterns_for_any_lead) for lead, wordings in by_lead.items()
        }
        self.suffixes = SuffixSplitter(suffixes)
        self.families = Families(info.group for infos in self.code_infos.values() for _, info in infos)
        self._fuzzy: FuzzyIndex | None = None
        self._fuzzy_lock = threading.Lock()
        self.digit_blind: Facts | None = None
        """What the digit-blind shortcut needs of this index, made on first use (see digit_blind)."""

    def _add(
        self,
        template: Template,
        by_code: dict[int | None, list[CompiledWording]],
        by_lead: dict[str, list[CompiledWording]],
    ) -> None:
        for wording in template.wordings:
            # A server that sends a template unfilled ("... limit is %s ...") matches it exactly.
            self.exact[wording.text].append(Literal(template, wording))
            compiled = None
            if wording.is_literal:
                self.loose[loose_key(wording.text)].append(Literal(template, wording))
                self._literal_texts[template.code].append(wording.text)
            else:
                compiled = compile_wording(template, wording)
                by_code[template.code].append(compiled)
                by_lead[compiled.lead].append(compiled)
            self._fuzzy_entries.append((template, wording, compiled))
            # Where two templates share a text (one product's current wording is another's
            # older one), the current wording comes first.
            for entries in (self.exact[wording.text], self.loose.get(loose_key(wording.text), [])):
                if len(entries) > 1:
                    entries.sort(key=lambda entry: entry.wording.seen is not None)

    def literal_conflict(self, code: int, *, wide: bool = False) -> frozenset[int]:
        """The wordings of ``code`` (by id) that read one of its literal messages, as sent or
        drifted, as a message of their own.

        A message that such a wording matches may be the literal one: "Illegal characters
        found in a parameter.." (a doubled full stop) is the literal message, not "... in a
        parameter. %s" with "." for its value.  So the normalizer looks the literals up
        before trusting one of these wordings; any other wording's match stands as it is.
        Worked out on the code's first message (its patterns are compiled then anyway) by
        trying the literal messages in each kind of drift the matching tolerates.

        Apart for ASCII messages (``wide=False``: the drifts as ASCII, curly quotes and
        full-width punctuation made plain) and for the others (``wide=True``, worked out on
        the code's first such message only: it compiles the patterns for them).
        """
        known = (self.wide_conflicts if wide else self.conflicts).get(code)
        if known is None:
            group = self.own_patterns.get(code)
            if group is None and code not in self._literal_texts:
                # Not documented: nothing to conflict with, and nothing kept, so that a flood
                # of codes from the input cannot grow these tables.
                return _NO_CONFLICTS
            variants = [variant for text in self._literal_texts.get(code, ()) for variant in _drifted(text)]
            if not wide:
                variants = [variant.translate(PLAIN_ASCII) for variant in variants]
                variants = [variant for variant in variants if variant.isascii()]
            found = (group.match(variant, 1.0) for variant in variants) if group is not None else ()
            known = frozenset(id(match[0]) for match in found if match is not None)
            (self.wide_conflicts if wide else self.conflicts)[code] = known
        return known

    @property
    def fuzzy(self) -> FuzzyIndex:
        """Built on the first message that needs it: most runs never do."""
        if self._fuzzy is None:
            # Imported here with the index it builds: difflib is not needed to start.
            from binance_errors.fuzzy import FuzzyIndex  # noqa: PLC0415

            with self._fuzzy_lock:
                if self._fuzzy is None:
                    self._fuzzy = FuzzyIndex(self._fuzzy_entries)
        return self._fuzzy

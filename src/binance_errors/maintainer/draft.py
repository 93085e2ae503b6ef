"""Write a draft catalog (TOML) from a page snapshot.

The draft carries every fact of the page verbatim and reuses what people already decided
in the existing catalogs: argument names and types, Chinese placeholder order, older
wordings, rejection subtypes and table descriptions, all looked up by the message's exact
English text; the actionability rules (``category``, ``retryable``, ``execution_unknown``,
``retry_after``, with the ``# why`` comments above them) and the ``[[suffix]]`` tables.
What nobody has decided yet is left as a marker the loader refuses (`UNTYPED` argument
types, `UNMAPPED` Chinese placeholder order, an `UNDECIDED` category, a missing description
or subtype), so a half-reviewed draft cannot ship.

Rules are the product's own: a code's rule comes from the product's catalog (the heading of
the same code, in the same place), a message's from the message with the same code and
English text there.  A code or a message that catalog does not have gets `UNDECIDED`, even
where another product has the same text: a code can mean different things on different
APIs.  Table rows, like their subtypes and descriptions, take the rule of the row with the
same text, the product's own first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from binance_errors import placeholders
from binance_errors.maintainer.catalogfile import (
    CatalogCode,
    CatalogFile,
    CatalogMessage,
    CatalogRow,
    CatalogSuffix,
    Rule,
)
from binance_errors.maintainer.snapshot import CodeDoc, Message, Row, Snapshot
from binance_errors.maintainer.toml_text import quote, table, value

UNTYPED = "UNTYPED"
"""The type of an argument nobody has named and typed yet: not a type the loader knows."""
UNMAPPED = "UNMAPPED"
"""The Chinese placeholder order nobody has checked yet: not an argument of any template."""
UNDECIDED = "UNDECIDED"
"""The category of a code, message or table row nobody has given a rule yet: not a category
the loader knows."""
FILTER_PREFIX = "Filter failure: "
GENERIC_FILTER_DESCRIPTION = "A filter that the table below does not list yet; subtype is its name."
_MISSING_DESCRIPTION = "# No description yet; the page's:"
_TO_REVIEW = (
    f"# DRAFT, refused by the loader until a person names and types every {UNTYPED} argument,\n"
    f"# orders every {UNMAPPED} Chinese placeholder list, gives each UNNAMED_ table row a\n"
    f"# subtype and a description in our own words and decides every {UNDECIDED} rule\n"
    '# (templates/README.md, "Actionability").\n'
)
_NEW_CODE = (
    f"# {UNDECIDED}: a code this catalog does not have yet: give it a category and retryable\n"
    "# (and execution_unknown where Binance says the outcome is unknown).\n"
)
_NEW_MESSAGE = (
    f"# {UNDECIDED}: a message this catalog does not have yet: delete this line to follow the\n"
    "# code's rule, or give the message a rule of its own.\n"
)
_NEW_ROW = f"# {UNDECIDED}: a table row no catalog has yet: give it a category and retryable.\n"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SCRAPE_DATE = re.compile(r"scraped (\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class DraftOptions:
    product: str
    source: str | None = None
    """Defaults to the snapshot's ``Source:`` line."""
    snapshot: str | None = None
    """Defaults to the scrape date of the ``Source:`` line, else its first date."""
    extends: str | None = None
    share_with: Sequence[str] = ()
    """Products whose identical codes become ``same_as`` references, first match wins."""
    tables_from: str | None = None
    catalogs: Mapping[str, CatalogFile] = field(default_factory=dict)
    """The existing catalogs: references and decisions to reuse."""


class _Knowledge:
    """What the existing catalogs already decided, by exact English text."""

    def __init__(self, catalogs: Mapping[str, CatalogFile], product: str) -> None:
        self.by_code: dict[tuple[int, str], CatalogMessage] = {}
        self.by_text: dict[str, CatalogMessage] = {}
        self.rows: dict[tuple[str, str], CatalogRow] = {}
        self.zh_args: dict[tuple[str, str], tuple[str, ...]] = {}
        # The product's own rules: its headings of each code (base and references followed),
        # and their messages by (code, English text).
        self.headings: dict[int, list[CatalogCode]] = defaultdict(list)
        self.own_messages: dict[tuple[int, str], CatalogMessage] = {}
        own = catalogs.get(product)
        for code in own.codes if own is not None else ():
            self.headings[code.code].append(code)
            for message in code.messages:
                self.own_messages.setdefault((code.code, message.en), message)
        # The product's own decisions first: regenerating a catalog must keep what it says.
        ordered = sorted(catalogs.values(), key=lambda catalog: catalog.product != product)
        for catalog in ordered:
            for code in catalog.own_codes:
                for message in code.messages:
                    self.by_code.setdefault((code.code, message.en), message)
                    self.by_text.setdefault(message.en, message)
                    if message.zh is not None and message.zh_args is not None:
                        self.zh_args.setdefault((message.en, message.zh), message.zh_args)
            for row in (*catalog.filters, *catalog.rejections):
                self.rows.setdefault((row.kind, row.en), row)

    def own_ids(self, catalog: CatalogFile | None) -> dict[tuple[int, str], str]:
        """The ids the product's own catalog already gave, by (code, English text)."""
        if catalog is None:
            return {}
        return {
            (code.code, message.en): message.id
            for code in catalog.own_codes
            if code.same_as is None
            for message in code.messages
        }

    def message(self, code: int, en: str) -> CatalogMessage | None:
        return self.by_code.get((code, en)) or self.by_text.get(en)

    def heading(self, code: int, occurrence: int) -> CatalogCode | None:
        """The product's definition of the ``occurrence``-th heading of ``code``, if it has one."""
        known = self.headings.get(code, [])
        return known[occurrence] if occurrence < len(known) else None

    def keeps_rules(self, code: int, defined: Sequence[CatalogCode]) -> bool:
        """Whether referring to ``defined`` keeps the rules the product gives ``code``
        (trivially so for a code the product does not have yet)."""
        own = self.headings.get(code)
        return not own or _rules(own) == _rules(defined)


def _rules(codes: Sequence[CatalogCode]) -> list[tuple[Rule | None, list[tuple[str, Rule | None]]]]:
    return [(code.rule, [(message.en, message.rule) for message in code.messages]) for code in codes]


def _rule_text(rule: Rule | None) -> str:
    """The rule's lines, its comments first, to follow a table's other keys."""
    if rule is None:
        return ""
    return "\n".join([*rule.why, *(f"{key} = {value(item)}" for key, item in rule.values)]) + "\n"


def _undecided(explanation: str) -> str:
    return f"{explanation}category = {quote(UNDECIDED)}\n"


def _suffix_text(suffix: CatalogSuffix) -> str:
    return "".join(f"{line}\n" for line in suffix.comments) + table("[[suffix]]", suffix.values)


def _same_content(page: Sequence[CodeDoc], defined: Sequence[CatalogCode], with_group: bool) -> bool:
    if len(page) != len(defined):
        return False
    for doc, code in zip(page, defined, strict=True):
        if doc.name != code.name or (with_group and doc.group != code.group):
            return False
        if [(m.en, m.zh) for m in doc.messages] != [(m.en, m.zh) for m in code.messages]:
            return False
        for page_message, message in zip(doc.messages, code.messages, strict=True):
            if set(page_message.zh_more) - {str(wording.get("text")) for wording in message.older}:
                return False
    return True


def _ids(prefix: str, doc: CodeDoc, occurrence: int, released: Mapping[tuple[int, str], str]) -> list[str]:
    # sapi.toml's rule: "{code}" for one message, "{code}.{n}" otherwise; a code documented
    # twice names its later headings ("-5012.future_acct_or_subrelation_not_exist").  An id
    # once released keeps its message, so a message the catalog has keeps its id and a new
    # one takes the next number that no message of the code has used.
    base = f"{prefix}{doc.code}"
    if occurrence:
        base += "." + (doc.name or str(occurrence)).lower().replace(" ", "_")
    fresh = [base] if len(doc.messages) == 1 else [f"{base}.{n}" for n in range(1, len(doc.messages) + 1)]
    taken = {released[key] for key in released if key[0] == doc.code}
    ids: list[str] = []
    for message, fresh_id in zip(doc.messages, fresh, strict=True):
        known = released.get((doc.code, message.en))
        candidate, number = fresh_id, 0
        if known is None:
            while candidate in taken or candidate in ids:
                number += 1
                candidate = f"{base}.{number}"
        ids.append(known or candidate)
    return ids


def _args(
    message: Message, known: CatalogMessage | None, seen: str, zh_orders: Mapping[tuple[str, str], tuple[str, ...]]
) -> tuple[list[str] | None, list[str] | None, list[object]]:
    count = placeholders.count(message.en)
    if known is not None and placeholders.count(known.en) == count:
        args = list(known.args)
    else:
        args = [f"arg{n}: {UNTYPED}" for n in range(1, count + 1)]
    zh_args: list[str] | None = None
    if message.zh is not None:
        if (message.en, message.zh) in zh_orders:
            zh_args = list(zh_orders[(message.en, message.zh)])
        elif placeholders.count(message.zh) != count:
            zh_args = [UNMAPPED]
    older: list[object] = list(known.older) if known is not None else []
    known_texts = {str(wording.get("text")) for wording in (known.older if known is not None else ())}
    for text in message.zh_more:
        if text not in known_texts:
            extra: dict[str, object] = {"text": text, "seen": seen}
            if placeholders.count(text) != count:
                extra["args"] = [UNMAPPED]
            older.append(extra)
    return args or None, zh_args, older


def _code_text(
    prefix: str,
    doc: CodeDoc,
    occurrence: int,
    knowledge: _Knowledge,
    seen: str,
    released: Mapping[tuple[int, str], str],
) -> str:
    heading = knowledge.heading(doc.code, occurrence)
    head = table("[[code]]", [("code", doc.code), ("name", doc.name), ("group", doc.group), ("note", doc.note)])
    parts = [head + (_rule_text(heading.rule) if heading is not None else _undecided(_NEW_CODE))]
    for message_id, message in zip(_ids(prefix, doc, occurrence, released), doc.messages, strict=True):
        known = knowledge.message(doc.code, message.en)
        args, zh_args, older = _args(message, known, seen, knowledge.zh_args)
        text = table(
            "[[code.message]]",
            [
                ("id", message_id),
                ("en", message.en),
                ("zh", message.zh),
                ("args", args),
                ("zh_args", zh_args),
                ("older", older or None),
            ],
            {"older": known.older_comments} if known is not None else None,
        )
        if heading is not None:
            # A message of a new code follows the code's rule, which is undecided already.
            own = knowledge.own_messages.get((doc.code, message.en))
            text += _rule_text(own.rule) if own is not None else _undecided(_NEW_MESSAGE)
        parts.append(text)
    return "\n".join(parts)


def _row_text(prefix: str, kind: str, row: Row, position: int, knowledge: _Knowledge) -> str:
    known = knowledge.rows.get((kind, row.en))
    if kind == "filter" and row.en.startswith(FILTER_PREFIX):
        subtype: str | None = row.en.removeprefix(FILTER_PREFIX)
    else:
        subtype = known.subtype if known is not None else None
    older = list(known.older) if known is not None else []
    zh = row.zh if row.zh is not None and row.zh not in [wording.get("text") for wording in older] else None
    lines = table(
        f"[[{kind}]]",
        [
            ("id", f"{prefix}{kind}.{subtype or f'UNNAMED_{position}'}"),
            ("subtype", subtype),
            ("en", row.en),
            ("zh", zh),
            ("older", older or None),
            ("description", known.description if known is not None and known.description else None),
        ],
        {"older": known.older_comments} if known is not None else None,
    )
    lines += _rule_text(known.rule) if known is not None else _undecided(_NEW_ROW)
    if known is None or not known.description:
        lines = f"{_MISSING_DESCRIPTION} {row.page_description}\n" + lines
    return lines


def _reference(
    code: int,
    occurrences: Sequence[CodeDoc],
    options: DraftOptions,
    base_codes: Mapping[int, Sequence[CatalogCode]],
    knowledge: _Knowledge,
) -> CatalogCode | bool | None:
    """How a code is written: ``True`` when the base product already has it exactly
    (nothing to write), the definition to refer to with ``same_as``, or ``None`` (in full).
    A reference must also keep the product's rules for the code: a code the catalog lists
    in full because its rule differs from the other product's stays in full."""
    inherited = base_codes.get(code, ())
    if (
        options.extends
        and _same_content(occurrences, inherited, with_group=True)
        and knowledge.keeps_rules(code, inherited)
    ):
        return True
    candidates = [options.extends] if options.extends else []
    for product in [*candidates, *options.share_with]:
        if product not in options.catalogs:
            continue
        defined = [entry for entry in options.catalogs[product].codes if entry.code == code]
        if (
            len(occurrences) == 1
            and _same_content(occurrences, defined, with_group=False)
            and knowledge.keeps_rules(code, defined)
        ):
            return defined[0]
    return None


def snapshot_date(source: str | None) -> str:
    if not source:
        return ""
    scraped = _SCRAPE_DATE.search(source)
    if scraped:
        return scraped.group(1)
    first = _DATE.search(source)
    return first.group() if first else ""


def draft(snapshot: Snapshot, options: DraftOptions) -> str:
    """The draft TOML text of ``snapshot`` for the product ``options.product``."""
    knowledge = _Knowledge(options.catalogs, options.product)
    released = knowledge.own_ids(options.catalogs.get(options.product))
    prefix = "" if options.product == "sapi" else f"{options.product}:"
    source = options.source or snapshot.source or str(snapshot.path.name)
    date = snapshot_date(snapshot.source) or snapshot.date or ""
    meta = [
        ("product", options.product),
        ("source", source),
        ("snapshot", options.snapshot or date),
        ("extends", options.extends),
        ("tables_from", options.tables_from),
    ]
    out = [
        f"# Binance {options.product} error codes, drafted from the page snapshot {snapshot.path.name}\n"
        "# by `binance-errors catalog draft`. Messages are verbatim, typos included.\n",
        table("[catalog]", meta),
    ]
    own = options.catalogs.get(options.product)
    out += [_suffix_text(suffix) for suffix in own.suffixes] if own is not None else []
    # Texts the Chinese half gives besides the translation are kept as further wordings.
    seen = f"also on the Chinese page of {snapshot.path.name} ({date or 'undated'})"
    base = options.catalogs.get(options.extends) if options.extends else None
    base_codes: dict[int, list[CatalogCode]] = defaultdict(list)
    for code in base.codes if base is not None else ():
        base_codes[code.code].append(code)
    page_codes: dict[int, list[CodeDoc]] = defaultdict(list)
    for doc in snapshot.codes:
        page_codes[doc.code].append(doc)
    decided: dict[int, bool] = {}
    """For each code: whether the page's headings are written in full."""
    for doc in snapshot.codes:
        occurrences = page_codes[doc.code]
        if doc.code not in decided:
            reference = _reference(doc.code, occurrences, options, base_codes, knowledge)
            decided[doc.code] = reference is None
            if isinstance(reference, CatalogCode):
                # The group is written out even where it agrees: the heading is this page's.
                origin = reference.same_as or reference.product
                out.append(table("[[code]]", [("code", doc.code), ("same_as", origin), ("group", doc.group)]))
        if decided[doc.code]:
            occurrence = next(n for n, heading in enumerate(occurrences) if heading is doc)
            out.append(_code_text(prefix, doc, occurrence, knowledge, seen, released))
    for code_number, text in snapshot.unpaired:
        out.append(f"# A Chinese text that translates nothing on the English half ({code_number}): {quote(text)}\n")
    out += _tables(snapshot, options, prefix, knowledge, base)
    text = "\n".join(out)
    if any(marker in text for marker in (UNTYPED, UNMAPPED, UNDECIDED, "UNNAMED_", _MISSING_DESCRIPTION)):
        text = _TO_REVIEW + text
    return text


def _tables(
    snapshot: Snapshot, options: DraftOptions, prefix: str, knowledge: _Knowledge, base: CatalogFile | None
) -> list[str]:
    if options.tables_from or not (snapshot.filters or snapshot.rejections):
        return []
    if base is not None and _rows_match(snapshot, base, knowledge):
        return []
    out: list[str] = []
    if snapshot.filters:
        # The catch-all is the catalog's own row: its description and rule as decided before.
        known = knowledge.rows.get(("filter", FILTER_PREFIX + "%s"))
        description = known.description if known is not None and known.description else GENERIC_FILTER_DESCRIPTION
        out.append(
            table(
                "[[filter]]",
                [
                    ("id", f"{prefix}filter"),
                    ("en", FILTER_PREFIX + "%s"),
                    ("args", ["filter: filter_name"]),
                    ("description", description),
                ],
            )
            + (_rule_text(known.rule) if known is not None else _undecided(_NEW_ROW))
        )
    out += [_row_text(prefix, "filter", row, n, knowledge) for n, row in enumerate(snapshot.filters, 1)]
    out += [_row_text(prefix, "rejection", row, n, knowledge) for n, row in enumerate(snapshot.rejections, 1)]
    return out


def _rows_match(snapshot: Snapshot, base: CatalogFile, knowledge: _Knowledge) -> bool:
    """Whether the page's tables are the base product's (older wordings count as Chinese),
    rules included."""
    for row in (*base.filters, *base.rejections):
        known = knowledge.rows.get((row.kind, row.en))
        if known is not None and known.rule != row.rule:
            return False
    base_rows = [row for row in (*base.filters, *base.rejections) if row.from_page]
    wordings = {row.en: {row.zh, *(o.get("text") for o in row.older)} for row in base_rows}
    page = [*snapshot.filters, *snapshot.rejections]
    if [row.en for row in page] != [row.en for row in base_rows]:
        return False
    return all(row.zh is None or row.zh in wordings[row.en] for row in page)

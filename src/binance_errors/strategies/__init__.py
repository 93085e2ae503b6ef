"""Hypothesis strategies that generate Binance API errors, for testing code that handles them.

Install with ``pip install 'binance-errors[hypothesis]'``; ``import binance_errors`` itself
never needs hypothesis.  Every strategy is built from the packaged catalogs of every product
line (``sapi``, ``spot``, ``usdm``, ...), lazily (they are loaded on the first draw), takes
keyword filters in the manner of hypothesis's own strategies, and shrinks towards the first
catalog's first templates, English, and the most common values.

Each generated case knows the product that sent it (``case.product``).  The round-trip
guarantee: for every ``case`` drawn from `error_cases`,
``normalize(case.code, case.message, product=case.product)`` (or `normalize_payload` of
``case.payload()`` with that product) has ``template_id == case.template_id`` and
``args == case.args``; without the product, the record has ``case.template_id`` or lists
``case.product`` in ``products`` (the same text can be a template of several products).
`error_payloads`, `error_messages`, `http_error_responses` and `ws_api_errors` are views of
those cases.  Importing this module registers `error_records` for ``st.from_type(ErrorRecord)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from binance_errors import normalize, normalize_payload
from binance_errors.catalog import Template
from binance_errors.record import ErrorRecord
from binance_errors.strategies._cases import (
    KINDS,
    LANGS,
    ErrorCase,
    case_strategy,
    identity,
    select,
)
from binance_errors.strategies._drift import DRIFTS, applicable, drifted
from binance_errors.strategies._transport import STATUSES, HttpErrorResponse, http_response, status_for, ws_api_error
from binance_errors.strategies._unknown import unknown_payloads

__all__ = [
    "DRIFTS",
    "ErrorCase",
    "HttpErrorResponse",
    "drifted_cases",
    "drifted_messages",
    "error_cases",
    "error_messages",
    "error_payloads",
    "error_records",
    "http_error_responses",
    "status_for",
    "unknown_errors",
    "ws_api_errors",
]


T = TypeVar("T")


def _message(case: ErrorCase) -> str:
    return case.message


def _record(case: ErrorCase) -> ErrorRecord:
    return normalize(case.code, case.message, case.product)


def _check(lang: str | None, kind: str | None, status: int | None = None) -> None:
    # Checked at call time, like hypothesis's own arguments; what needs the catalogs (product,
    # code, template_id) is checked on the first draw.
    if lang is not None and lang not in LANGS:
        raise InvalidArgument(f"lang={lang!r} must be one of {LANGS} or None")
    if kind is not None and kind not in KINDS:
        raise InvalidArgument(f"kind={kind!r} must be one of {KINDS} or None")
    if status is not None and status not in STATUSES:
        raise InvalidArgument(f"status={status!r} must be one of {STATUSES} or None")


def _filtered_cases(
    product: str | None,
    code: int | None,
    template_id: str | None,
    lang: str | None,
    kind: str | None,
    category: str | None,
    status: int | None,
    view: Callable[[ErrorCase], T],
) -> st.SearchStrategy[T]:
    _check(lang, kind, status)

    def with_status(template: Template, product_: str, code: int) -> bool:
        return status_for(template, code, product_) == status

    def build() -> st.SearchStrategy[T]:
        keep = with_status if status is not None else None
        choices = select(product, code, template_id, lang, kind, category, keep)
        per_template = [case_strategy(choice, lang, view) for choice in choices]
        if len(per_template) == 1:
            return per_template[0]
        # An index, not the strategies themselves: sampled_from over strategies shrinks badly.
        return st.sampled_from(range(len(per_template))).flatmap(per_template.__getitem__)

    return st.deferred(build)


def error_cases(
    code: int | None = None,
    *,
    product: str | None = None,
    template_id: str | None = None,
    lang: str | None = None,
    kind: str | None = None,
    category: str | None = None,
) -> st.SearchStrategy[ErrorCase]:
    """Errors from the catalogs with what generated them: product, template, code, message, typed args.

    ``product``: only that product line's catalog (``"sapi"``, ``"spot"``, ``"usdm"``, ...;
    every product when None, and ``case.product`` says which one sent each error);
    ``code``: only messages sent under that code (a catch-all such as -2010 includes the
    filter or rejection table messages it carries); ``template_id``: one template;
    ``lang``: ``"en"`` or ``"zh"``; ``kind``: ``"filter_failure"`` or ``"order_rejection"``;
    ``category``: the catalog rule's category (``"rate_limit"``, ``"server"``, ... as in
    ``ErrorRecord.category``; a template whose code has no rule yet is ``"unknown"``).
    """
    return _filtered_cases(product, code, template_id, lang, kind, category, None, identity)


def error_messages(
    code: int | None = None,
    *,
    product: str | None = None,
    template_id: str | None = None,
    lang: str | None = None,
    kind: str | None = None,
    category: str | None = None,
) -> st.SearchStrategy[str]:
    """Message strings rendered from catalog templates with realistic values."""
    return _filtered_cases(product, code, template_id, lang, kind, category, None, _message)


def error_payloads(
    code: int | None = None,
    *,
    product: str | None = None,
    template_id: str | None = None,
    lang: str | None = None,
    kind: str | None = None,
    category: str | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """REST error bodies ``{"code": ..., "msg": ...}`` as parsed JSON."""
    return _filtered_cases(product, code, template_id, lang, kind, category, None, ErrorCase.payload)


def http_error_responses(
    code: int | None = None,
    *,
    product: str | None = None,
    template_id: str | None = None,
    lang: str | None = None,
    kind: str | None = None,
    category: str | None = None,
    status: int | None = None,
) -> st.SearchStrategy[HttpErrorResponse]:
    """Status, headers and body as an HTTP client sees them, consistent with each other.

    ``status`` keeps only errors sent with that status (400, 401, 418, 429, 500, 503); the
    table of which error goes with which status is in `binance_errors.strategies._transport`
    and in docs/strategies.md.
    """
    return http_response(_filtered_cases(product, code, template_id, lang, kind, category, status, identity))


def ws_api_errors(
    code: int | None = None,
    *,
    product: str | None = None,
    template_id: str | None = None,
    lang: str | None = None,
    kind: str | None = None,
    category: str | None = None,
    status: int | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """WebSocket API error responses ``{"id", "status", "error": {"code", "msg"[, "data"]}, "rateLimits"}``."""
    return ws_api_error(_filtered_cases(product, code, template_id, lang, kind, category, status, identity))


def drifted_cases(
    code: int | None = None,
    *,
    product: str | None = None,
    template_id: str | None = None,
    lang: str | None = None,
    kind: str | None = None,
    category: str | None = None,
    drifts: Iterable[str] | None = None,
) -> st.SearchStrategy[ErrorCase]:
    """Catalog errors as real servers and logs garble them; ``case.drifts`` says how.

    ``drifts`` picks from `DRIFTS`: ``"quotes"`` (other quotes, or none, around arguments),
    ``"case"`` (letter case), ``"period"`` (final full stop dropped or doubled),
    ``"spaces"`` (extra white space), ``"suffix"`` (a suffix the product's catalog declares,
    ``", request ip: 1.2.3.4"``), ``"older"`` (an older wording the catalog keeps, filled in).
    Each case has at least one of them.  Only the template is promised to survive (with
    ``case.product`` given to `normalize`): drift may change the arguments' text.
    """
    _check(lang, kind)
    kinds = tuple(DRIFTS if drifts is None else drifts)
    unknown = [kind_ for kind_ in kinds if kind_ not in DRIFTS]
    if unknown or not kinds:
        raise InvalidArgument(f"drifts={kinds!r} must be a non-empty selection from {DRIFTS}")

    def usable(template: Template, product_: str, _code: int) -> bool:
        return any(applicable(kind_, template, lang, product_) for kind_ in kinds)

    def build() -> st.SearchStrategy[ErrorCase]:
        return drifted(select(product, code, template_id, lang, kind, category, usable), kinds, lang)

    return st.deferred(build)


def drifted_messages(
    code: int | None = None,
    *,
    product: str | None = None,
    template_id: str | None = None,
    lang: str | None = None,
    kind: str | None = None,
    category: str | None = None,
    drifts: Iterable[str] | None = None,
) -> st.SearchStrategy[str]:
    """The messages of `drifted_cases`."""
    cases = drifted_cases(
        code, product=product, template_id=template_id, lang=lang, kind=kind, category=category, drifts=drifts
    )
    return cases.map(_message)


def unknown_errors(*, product: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Error bodies whose code the catalog (``product``'s, or every one) does not document and
    whose message `normalize` matches to nothing (``match == "unknown"``)."""
    return unknown_payloads(product)


def error_records(
    code: int | None = None,
    *,
    product: str | None = None,
    template_id: str | None = None,
    lang: str | None = None,
    kind: str | None = None,
    category: str | None = None,
) -> st.SearchStrategy[ErrorRecord]:
    """Records as `normalize` builds them from generated errors, with the sending product given
    (so they carry every field it fills: ``product``, ``category``, ``retryable``, ...)."""
    return _filtered_cases(product, code, template_id, lang, kind, category, None, _record)


def _any_record() -> st.SearchStrategy[ErrorRecord]:
    # Mostly catalog errors; some unknown ones, so code under test meets match == "unknown" too.
    return st.one_of(error_records(), unknown_errors().map(normalize_payload))


st.register_type_strategy(ErrorRecord, st.deferred(_any_record))

"""Error cases: a catalog template rendered with generated values, together with what generated it.

An `ErrorCase` is the unit every public strategy is built from: the payload strategies send
its code and message, the HTTP and WebSocket strategies wrap it, and tests compare
`normalize`'s record with its ``template_id`` and ``args``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from binance_errors.catalog import CATEGORIES, Catalog, Template, Wording, default_catalogs
from binance_errors.placeholders import fill, split
from binance_errors.record import ArgValue
from binance_errors.strategies._values import Value, template_values

T = TypeVar("T")

LANGS = ("en", "zh")
KINDS = ("filter_failure", "order_rejection")
# The filter and rejection tables have no code of their own: the server sends their messages
# under these codes (only those the product's catalog documents are used).
HOST_CODES: Mapping[str, tuple[int, ...]] = {
    "filter_failure": (-1013, -2010),
    "order_rejection": (-2010, -2011, -1010),
}
_QUOTES = "`'\"‘’“”"


@dataclass(frozen=True, slots=True)
class ErrorCase:
    """One generated error and the facts that generated it."""

    template: Template
    wording: Wording
    product: str
    """The product line (API) that sent it: its catalog has ``template`` and documents ``code``."""
    code: int
    message: str
    args: Mapping[str, ArgValue]
    """Typed values of the arguments that appear in ``message``, by name (what `normalize` must return)."""
    raw_args: tuple[str, ...]
    """Their text in ``message``, in the order of the English template (as ``ErrorRecord.raw_args``)."""
    drifts: tuple[str, ...] = field(default=())
    """The kinds of drift applied (`drifted_cases`); for drifted cases only the template is promised."""

    @property
    def template_id(self) -> str:
        return self.template.id

    @property
    def lang(self) -> str:
        return self.wording.lang

    def __repr__(self) -> str:
        # Falsifying examples print this: the template's id instead of the whole catalog entry.
        drifts = f", drifts={self.drifts!r}" if self.drifts else ""
        return (
            f"ErrorCase(template_id={self.template_id!r}, product={self.product!r}, lang={self.lang!r}, "
            f"code={self.code!r}, message={self.message!r}, args={dict(self.args)!r}{drifts})"
        )

    def payload(self) -> dict[str, Any]:
        """The REST error body as Binance sends it."""
        return {"code": self.code, "msg": self.message}


def catalogs() -> Mapping[str, Catalog]:
    """Every packaged catalog by product, in the package's order (one place to change if the
    strategies ever take catalogs as an argument)."""
    return default_catalogs()


def host_codes(template: Template, product: str) -> tuple[int, ...]:
    """The codes ``product`` sends ``template``'s message under."""
    if template.code is not None:
        return (template.code,)
    documented = catalogs()[product].codes
    return tuple(code for code in HOST_CODES.get(template.kind or "", ()) if code in documented)


def category_of(template: Template, product: str, code: int) -> str:
    """The category the catalog's rule gives ``template`` sent by ``product`` under ``code``.

    A message's rule (or its code's, which it inherits); a table row without a rule of its own
    takes the carrying code's, as `normalize` does.
    """
    action = template.action
    if action is None and template.code is None:
        info = catalogs()[product].codes.get(code)
        action = info.action if info is not None else None
    return action.category if action is not None else "unknown"


def current_wordings(template: Template, lang: str | None) -> list[Wording]:
    return [w for w in template.wordings if w.seen is None and (lang is None or w.lang == lang)]


def _key(text: str) -> str:
    # Case, white space, quotes and the final full stop never tell two messages apart.
    stripped = "".join(char for char in text if not char.isspace() and char not in _QUOTES)
    return stripped.casefold().rstrip(".。!！")


@cache
def _literal_keys(product: str) -> Mapping[str, frozenset[str]]:
    """For each literal wording's key in ``product``'s catalog: the ids of the templates that have it."""
    keys: dict[str, set[str]] = {}
    for template in catalogs()[product].templates:
        for wording in template.wordings:
            if wording.is_literal:
                keys.setdefault(_key(wording.text), set()).add(template.id)
    return {key: frozenset(ids) for key, ids in keys.items()}


def filled(template: Template, wording: Wording, values: Mapping[str, Value]) -> list[Value]:
    """The value of each placeholder of ``wording``, in order, as the server writes it there."""
    tokens = split(wording.text)[1]
    return [values[template.args[i].name].for_token(token) for i, token in zip(wording.arg_order, tokens, strict=True)]


def render(template: Template, wording: Wording, values: Mapping[str, Value], text: str | None = None) -> str:
    """``wording`` (or ``text``, the wording as drift rewrote it) filled with ``values``."""
    return fill(wording.text if text is None else text, [value.text for value in filled(template, wording, values)])


def _unambiguous(template: Template, wording: Wording, values: Mapping[str, Value], product: str) -> bool:
    """False where the filled message would read as another template or hide an argument's edge.

    ``Filter failure: %s`` filled with ``LOT_SIZE`` is the literal ``filter.LOT_SIZE`` entry,
    and a free text that contains the template's next literal words cannot be told apart from
    them; no normalizer could give back what generated such a message, so it is not generated.
    Only ``product``'s catalog counts: the message is sent by that API.
    """
    if not wording.arg_order:
        return True
    message = render(template, wording, values)
    if _literal_keys(product).get(_key(message), frozenset({template.id})) != frozenset({template.id}):
        return False
    literals = [_key(piece) for piece in split(wording.text)[0]]
    for i in wording.arg_order:
        if template.args[i].type == "text":
            text = _key(values[template.args[i].name].text)
            if any(len(piece) >= 2 and piece in text for piece in literals):
                return False
    return True


def make_case(
    template: Template, wording: Wording, product: str, code: int, values: Mapping[str, Value]
) -> ErrorCase:
    present: dict[int, Value] = {}
    for i, value in zip(wording.arg_order, filled(template, wording, values), strict=True):
        present.setdefault(i, value)
    order = sorted(present)
    return ErrorCase(
        template=template,
        wording=wording,
        product=product,
        code=code,
        message=render(template, wording, values),
        args={template.args[i].name: present[i].typed for i in order},
        raw_args=tuple(present[i].text for i in order),
    )


@cache
def values_for(template: Template, wording: Wording, product: str) -> st.SearchStrategy[dict[str, Value]]:
    """Values for ``template`` that fill ``wording`` without ambiguity in ``product``'s catalog."""
    return template_values(template).filter(lambda values: _unambiguous(template, wording, values, product))


def identity(case: ErrorCase) -> ErrorCase:
    return case


@dataclass(frozen=True, slots=True)
class Option:
    """A product that can send a template, and the codes it sends it under (after the filters)."""

    product: str
    codes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Choice:
    """A template with every product (and code) it can be drawn for; the first shrinks best."""

    template: Template
    options: tuple[Option, ...]


def _one(draw: st.DrawFn, items: tuple[T, ...] | list[T]) -> T:
    # No draw where there is no choice: fewer choices per example, faster and simpler shrinking.
    return items[0] if len(items) == 1 else draw(st.sampled_from(items))


@cache
def case_strategy(choice: Choice, lang: str | None, view: Callable[[ErrorCase], T]) -> st.SearchStrategy[T]:
    """Cases of one template, in ``lang`` (any when None), for one of its products, seen through ``view``.

    The view is applied here rather than with ``.map()`` on top: one layer less per example
    halves hypothesis's time per example (it mutates fewer nested spans), see the benchmark.
    """
    template = choice.template
    wordings = current_wordings(template, lang)
    branches = tuple(
        (option, tuple(values_for(template, wording, option.product) for wording in wordings))
        for option in choice.options
    )
    indices = range(len(wordings))

    @st.composite
    def cases(draw: st.DrawFn) -> T:
        option, values = _one(draw, branches)
        which = 0 if len(wordings) == 1 else draw(st.sampled_from(indices))
        wording = wordings[which]
        drawn = draw(values[which])
        return view(make_case(template, wording, option.product, _one(draw, option.codes), drawn))

    return cases()


def check_product(product: str | None) -> None:
    if product is not None and product not in catalogs():
        raise InvalidArgument(f"product={product!r} must be one of {', '.join(catalogs())} or None")


def select(
    product: str | None,
    code: int | None,
    template_id: str | None,
    lang: str | None,
    kind: str | None,
    category: str | None,
    keep: Callable[[Template, str, int], bool] | None = None,
) -> list[Choice]:
    """Every template that fits the filters, with the products and codes it fits them for.

    Templates come in the catalogs' order, each once (a template several products share lists
    them all); raises `InvalidArgument` when nothing fits.
    """
    check_product(product)
    known = catalogs()
    chosen = (product,) if product is not None else tuple(known)
    where = "" if product is None else f" of product {product!r}"
    if code is not None and not any(code in known[name].codes for name in chosen):
        raise InvalidArgument(f"code={code!r} is not documented in the catalog{where}")
    if template_id is not None and not any(t.id == template_id for name in chosen for t in known[name].templates):
        raise InvalidArgument(f"template_id={template_id!r} is not in the catalog{where}")
    if category is not None and category not in CATEGORIES:
        raise InvalidArgument(f"category={category!r} must be one of {', '.join(CATEGORIES)} or None")
    found: dict[str, tuple[Template, list[Option]]] = {}
    for name in chosen:
        for template in known[name].templates:
            if template_id is not None and template.id != template_id:
                continue
            if (kind is not None and template.kind != kind) or not current_wordings(template, lang):
                continue
            codes = tuple(
                c
                for c in host_codes(template, name)
                if (code is None or c == code)
                and (category is None or category_of(template, name, c) == category)
                and (keep is None or keep(template, name, c))
            )
            if codes:
                found.setdefault(template.id, (template, []))[1].append(Option(name, codes))
    if not found:
        filters = {
            "product": product, "code": code, "template_id": template_id, "lang": lang, "kind": kind,
            "category": category,
        }  # fmt: skip
        given = ", ".join(f"{name}={value!r}" for name, value in filters.items() if value is not None)
        raise InvalidArgument(f"no catalog template fits {given or 'these filters'}")
    return [Choice(template, tuple(options)) for template, options in found.values()]

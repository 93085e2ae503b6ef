"""Error cases: a catalog template rendered with generated values, together with what generated it.

An `ErrorCase` is the unit every public strategy is built from: the payload strategies send
its code and message, the HTTP and WebSocket strategies wrap it, and tests compare
`normalize`'s record with its ``template_id`` and ``args``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from binance_errors import normalize
from binance_errors.catalog import Catalog, Template, Wording, default_catalog
from binance_errors.placeholders import fill, split
from binance_errors.record import ArgValue, ErrorRecord
from binance_errors.strategies._values import Value, simplest_values, template_values

T = TypeVar("T")

LANGS = ("en", "zh")
KINDS = ("filter_failure", "order_rejection")
# The filter and rejection tables have no code of their own: the server sends their messages
# under these codes (only those the catalog documents are used).
HOST_CODES: Mapping[str, tuple[int, ...]] = {
    "filter_failure": (-1013, -2010),
    "order_rejection": (-2010, -2011, -1010),
}
_QUOTES = "`'\"‘’“”"
_TRAILING = " \t" + _QUOTES + ".。!！"


@dataclass(frozen=True, slots=True)
class ErrorCase:
    """One generated error and the facts that generated it."""

    template: Template
    wording: Wording
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
            f"ErrorCase(template_id={self.template_id!r}, lang={self.lang!r}, code={self.code!r}, "
            f"message={self.message!r}, args={dict(self.args)!r}{drifts})"
        )

    def payload(self) -> dict[str, Any]:
        """The REST error body as Binance sends it."""
        return {"code": self.code, "msg": self.message}


def catalog() -> Catalog:
    # One place to change if the strategies ever take a catalog argument.
    return default_catalog()


def host_codes(template: Template) -> tuple[int, ...]:
    if template.code is not None:
        return (template.code,)
    candidates = HOST_CODES.get(template.kind or "", ())
    documented = tuple(code for code in candidates if code in catalog().codes)
    return documented or candidates


def current_wordings(template: Template, lang: str | None) -> list[Wording]:
    return [w for w in template.wordings if w.seen is None and (lang is None or w.lang == lang)]


def _key(text: str) -> str:
    # Case, white space, quotes and the final full stop never tell two messages apart.
    stripped = "".join(char for char in text if not char.isspace() and char not in _QUOTES)
    return stripped.casefold().rstrip(".。!！")


@cache
def _literal_keys() -> Mapping[str, frozenset[str]]:
    """For each literal wording's key: the ids of the templates that have it."""
    keys: dict[str, set[str]] = {}
    for template in catalog().templates:
        for wording in template.wordings:
            if wording.is_literal:
                keys.setdefault(_key(wording.text), set()).add(template.id)
    return {key: frozenset(ids) for key, ids in keys.items()}


def _unambiguous(template: Template, wording: Wording, values: Mapping[str, Value]) -> bool:
    """False where the filled message would read as another template or hide an argument's edge.

    ``Filter failure: %s`` filled with ``LOT_SIZE`` is the literal ``filter.LOT_SIZE`` entry,
    and a free text that contains the template's next literal words cannot be told apart from
    them; no normalizer could give back what generated such a message, so it is not generated.
    """
    if not wording.arg_order:
        return True
    message = render(template, wording, values)
    if _literal_keys().get(_key(message), frozenset({template.id})) != frozenset({template.id}):
        return False
    literals = [_key(piece) for piece in split(wording.text)[0]]
    for i in wording.arg_order:
        if template.args[i].type == "text":
            text = _key(values[template.args[i].name].text)
            if any(len(piece) >= 2 and piece in text for piece in literals):
                return False
    return True


def render(template: Template, wording: Wording, values: Mapping[str, Value]) -> str:
    return fill(wording.text, [values[template.args[i].name].text for i in wording.arg_order])


def make_case(template: Template, wording: Wording, code: int, values: Mapping[str, Value]) -> ErrorCase:
    present = sorted(set(wording.arg_order))
    return ErrorCase(
        template=template,
        wording=wording,
        code=code,
        message=render(template, wording, values),
        args={template.args[i].name: values[template.args[i].name].typed for i in present},
        raw_args=tuple(values[template.args[i].name].text for i in present),
    )


@cache
def values_for(template: Template, wording: Wording) -> st.SearchStrategy[dict[str, Value]]:
    """Values for ``template`` that fill ``wording`` without ambiguity."""
    return template_values(template).filter(lambda values: _unambiguous(template, wording, values))


def identity(case: ErrorCase) -> ErrorCase:
    return case


@cache
def case_strategy(
    template: Template, lang: str | None, codes: tuple[int, ...], view: Callable[[ErrorCase], T]
) -> st.SearchStrategy[T]:
    """Cases of one template, in ``lang`` (any when None), sent under one of ``codes``, seen through ``view``.

    The view is applied here rather than with ``.map()`` on top: one layer less per example
    halves hypothesis's time per example (it mutates fewer nested spans), see the benchmark.
    """
    wordings = current_wordings(template, lang)

    @st.composite
    def cases(draw: st.DrawFn) -> T:
        wording = draw(st.sampled_from(wordings))
        values = draw(values_for(template, wording))
        return view(make_case(template, wording, draw(st.sampled_from(codes)), values))

    return cases()


def _has_category() -> bool:
    # hasattr works whatever shape the record has (dataclass, named tuple, slots).
    return hasattr(ErrorRecord, "category")


def select_templates(
    code: int | None,
    template_id: str | None,
    lang: str | None,
    kind: str | None,
    category: str | None,
    extra: Callable[[Template], bool] | None = None,
) -> list[Template]:
    """The catalog's templates that fit every filter given; raises `InvalidArgument` when none do."""
    templates: Sequence[Template] = catalog().templates
    if template_id is not None:
        templates = [t for t in templates if t.id == template_id]
        if not templates:
            raise InvalidArgument(f"template_id={template_id!r} is not in the catalog")
    if code is not None:
        if code not in catalog().codes:
            raise InvalidArgument(f"code={code!r} is not documented in the catalog")
        templates = [t for t in templates if code in host_codes(t)]
    templates = [t for t in templates if current_wordings(t, lang)]
    if kind is not None:
        templates = [t for t in templates if t.kind == kind]
    if category is not None:
        if not _has_category():
            raise InvalidArgument(
                f"category={category!r}: the catalog has no categories yet (ErrorRecord has no 'category' field)"
            )
        templates = [t for t in templates if _category_of(t) == category]
    if extra is not None:
        templates = [t for t in templates if extra(t)]
    if not templates:
        filters = {"code": code, "template_id": template_id, "lang": lang, "kind": kind, "category": category}
        given = ", ".join(f"{name}={value!r}" for name, value in filters.items() if value is not None)
        raise InvalidArgument(f"no catalog template fits {given or 'these filters'}")
    return list(templates)


def _category_of(template: Template) -> str | None:
    # Categories are assigned by normalize (from the code and the message), so ask it about the
    # template's simplest example rather than guessing from the catalog.
    wording = current_wordings(template, None)[0]
    example = make_case(template, wording, host_codes(template)[0], simplest_values(template))
    category = getattr(normalize(example.code, example.message), "category", None)
    return category if isinstance(category, str) else None

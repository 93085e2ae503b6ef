"""The hypothesis strategies: coverage of every product's catalog, the round-trip guarantee, drift, transports."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from binance_errors import ErrorRecord, normalize, normalize_payload
from binance_errors.argtypes import pattern_of
from binance_errors.catalog import CATEGORIES, Template, default_catalogs
from binance_errors.placeholders import split
from binance_errors.strategies import (
    DRIFTS,
    ErrorCase,
    HttpErrorResponse,
    drifted_cases,
    drifted_messages,
    error_cases,
    error_messages,
    error_payloads,
    error_records,
    http_error_responses,
    status_for,
    unknown_errors,
    ws_api_errors,
)
from binance_errors.strategies._values import EPOCH, now_ms

CATALOGS = default_catalogs()
PRODUCTS = tuple(CATALOGS)
FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ONE = settings(database=None)
FINAL = ".。!！"
TABLES_CODE = -2010  # NEW_ORDER_REJECTED carries both the filter and the rejection tables


def _template(template_id: str) -> Template:
    return next(t for catalog in CATALOGS.values() for t in catalog.templates if t.id == template_id)


def _period_toggled(text: str) -> list[str]:
    return [text[:-1]] if text and text[-1] in FINAL else [text + "."]


def _period_collisions() -> dict[tuple[str, str], str]:
    """Code templates whose literal text, final period dropped or added, is exactly a table entry's
    text in the same product, by (product, template id).

    The hard case for period drift: under its own code, such a text must still come back as
    the code's own template, not as the table entry it equals (-1014 vs the rejection table).
    """
    collisions: dict[tuple[str, str], str] = {}
    for product, catalog in CATALOGS.items():
        tables = {w.text for t in catalog.templates if t.code is None for w in t.wordings if w.is_literal}
        for template in catalog.templates:
            for wording in template.wordings if template.code is not None else ():
                for toggled in _period_toggled(wording.text) if wording.is_literal else []:
                    if toggled in tables:
                        collisions[product, template.id] = toggled
    return collisions


PERIOD_COLLISIONS = _period_collisions()


def _table_period_collisions() -> dict[tuple[str, str], str]:
    """Table entries whose text, final period dropped or added, is exactly another code's message
    in the same product, by (product, template id).

    Sent under a code that carries the tables (-2010), such a text must come back as the
    table entry.
    """
    collisions: dict[tuple[str, str], str] = {}
    for product, catalog in CATALOGS.items():
        own = {w.text for t in catalog.templates if t.code is not None for w in t.wordings if w.is_literal}
        for template in catalog.templates:
            for wording in template.wordings if template.code is None and TABLES_CODE in catalog.codes else ():
                for toggled in _period_toggled(wording.text) if wording.is_literal else []:
                    if toggled in own:
                        collisions[product, template.id] = toggled
    return collisions


TABLE_PERIOD_COLLISIONS = _table_period_collisions()


def _assert_round_trip(case: ErrorCase, record: ErrorRecord) -> None:
    """The guarantee with the product given: the template and the typed arguments come back."""
    assert record.template_id == case.template_id, case
    assert record.args == dict(case.args), case
    assert record.raw_args == case.raw_args, case
    assert record.lang == case.lang, case
    assert record.code == case.code
    assert record.product == case.product and record.products == (case.product,), case


def _assert_round_trip_without_product(case: ErrorCase, record: ErrorRecord) -> None:
    """Without the product: the template comes back, or another product's template of the same
    text does and the record lists the case's product among those that fit."""
    assert record.template_id == case.template_id or case.product in record.products, (case, record.products)
    if record.template_id == case.template_id:
        assert record.args == dict(case.args), case
    assert record.code == case.code


# --- every template of every product ----------------------------------------------------------


@pytest.mark.parametrize("product", PRODUCTS)
def test_every_template_and_language_of_every_product_can_be_produced(product: str) -> None:
    # Each template of the product's catalog, in each current language, is asked for an example
    # (one hypothesis example drawing them all: a find() per template would take ~40 s).
    catalog = CATALOGS[product]
    wanted = [(t.id, lang) for t in catalog.templates for lang in sorted({w.lang for w in t.wordings if not w.seen})]
    assert len({template_id for template_id, _ in wanted}) == len(catalog.templates)

    @settings(max_examples=1, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def produce(data: st.DataObject) -> None:
        for template_id, lang in wanted:
            case = data.draw(error_cases(product=product, template_id=template_id, lang=lang), label=template_id)
            assert (case.template_id, case.lang, case.product) == (template_id, lang, product)
            _assert_round_trip(case, normalize_payload(case.payload(), product=product))

    produce()


def test_every_template_is_reachable_from_the_unfiltered_strategy() -> None:
    # The unfiltered strategy draws from every catalog: a template missing from it would
    # never appear in a user's tests.
    seen: set[str] = set()
    products: set[str] = set()
    every = {t.id for catalog in CATALOGS.values() for t in catalog.templates}

    @settings(max_examples=1500, deadline=None, database=None)
    @given(error_cases())
    def collect(case: ErrorCase) -> None:
        seen.add(case.template_id)
        products.add(case.product)

    collect()
    assert seen <= every and products == set(PRODUCTS)
    # Drawn about evenly from ~900 templates, 1,500 examples reach some 75% of them.
    assert len(seen) > len(every) * 0.65


def test_shared_templates_are_drawn_for_each_of_their_products() -> None:
    # -1000.1 is shared by several product lines (same_as, extends): each of them can send it.
    owners = {product for product, catalog in CATALOGS.items() if any(t.id == "-1000.1" for t in catalog.templates)}
    assert len(owners) > 1
    seen: set[str] = set()

    @settings(max_examples=200, deadline=None, database=None)
    @given(error_cases(template_id="-1000.1"))
    def collect(case: ErrorCase) -> None:
        seen.add(case.product)

    collect()
    assert seen == owners


# --- the round-trip guarantee ----------------------------------------------------------------


@MANY
@given(error_cases())
def test_payloads_round_trip_to_template_and_typed_args(case: ErrorCase) -> None:
    _assert_round_trip(case, normalize_payload(case.payload(), product=case.product))
    _assert_round_trip(case, normalize_payload(json.dumps(case.payload()).encode(), product=case.product))


@MANY
@given(error_cases())
def test_payloads_round_trip_without_the_product(case: ErrorCase) -> None:
    _assert_round_trip_without_product(case, normalize_payload(case.payload()))


@pytest.mark.parametrize(
    ("code", "message", "product", "template_id"),
    [
        (-2010, "Filter failure: NOTIONAL", "sapi", "filter"),
        (-1013, "Filter failure: PERCENT_PRICE_BY_SIDE", "spot", "spot:filter"),
    ],
)
def test_products_lists_every_product_whose_catalog_fits(
    code: int, message: str, product: str, template_id: str
) -> None:
    assert normalize(code, message, product).template_id == template_id  # the product's catalog fits
    assert product in normalize(code, message).products


@MANY
@given(error_cases())
def test_generated_values_satisfy_their_type_patterns(case: ErrorCase) -> None:
    present = sorted(set(case.wording.arg_order))
    for index, raw in zip(present, case.raw_args, strict=True):
        assert re.fullmatch(pattern_of(case.template.args[index].type), raw), (case, raw)


@MANY
@given(error_cases())
def test_each_case_knows_its_product(case: ErrorCase) -> None:
    catalog = CATALOGS[case.product]
    assert case.template in catalog.templates
    assert case.code in catalog.codes


@FEW
@given(error_payloads())
def test_payloads_are_json_bodies(payload: dict[str, object]) -> None:
    assert set(payload) == {"code", "msg"}
    assert isinstance(payload["code"], int) and isinstance(payload["msg"], str)
    assert json.loads(json.dumps(payload)) == payload


# --- filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize("product", PRODUCTS)
def test_product_filter(product: str) -> None:
    @FEW
    @given(error_records(product=product))
    def check(record: ErrorRecord) -> None:
        assert record.product == product and record.products == (product,)
        assert any(t.id == record.template_id for t in CATALOGS[product].templates)

    check()


@FEW
@given(error_messages(lang="zh"))
def test_lang_filter(message: str) -> None:
    assert normalize(None, message).lang == "zh"


@FEW
@given(error_cases(code=-2010))
def test_code_filter_includes_the_tables_the_code_carries(case: ErrorCase) -> None:
    assert case.code == -2010
    assert case.template.code == -2010 or case.template.kind is not None


def test_code_filter_reaches_table_entries() -> None:
    rejected = error_cases(code=-2010, product="spot")
    case = find(rejected, lambda c: c.template.kind == "order_rejection", settings=ONE)
    assert case.product == "spot" and case.template_id.startswith("spot:")
    assert normalize_payload(case.payload(), product="spot").kind == "order_rejection"


@FEW
@given(error_records(kind="filter_failure"))
def test_kind_filter_and_records(record: ErrorRecord) -> None:
    assert record.kind == "filter_failure"
    assert record.subtype is not None


CATEGORIES_IN_USE = sorted(
    {
        t.action.category
        for catalog in CATALOGS.values()
        for t in catalog.templates
        if t.action is not None and t.code is not None
    }
)


@pytest.mark.parametrize("category", CATEGORIES_IN_USE)
def test_category_filter(category: str) -> None:
    @settings(max_examples=10, deadline=None, database=None)
    @given(error_records(category=category))
    def check(record: ErrorRecord) -> None:
        assert record.category == category, record

    check()


def test_category_filter_per_product() -> None:
    # sapi has a rule for every code: a rate limit there is one of its -1003/-1015 messages.
    case = find(error_cases(product="sapi", category="rate_limit"), lambda _: True, settings=ONE)
    assert case.code in (-1003, -1015)
    assert normalize_payload(case.payload(), product="sapi").retryable is True


def test_examples_shrink_to_the_simplest() -> None:
    # Hypothesis prefers the fewest choices, so the simplest case is an English message
    # without arguments from the first product (which one depends on how many wordings,
    # products and codes each template has).
    first = find(error_cases(), lambda _: True, settings=ONE)
    assert first.lang == "en" and first.args == {} and first.message == first.template.en
    limit = find(error_cases(template_id="-1003.2"), lambda _: True, settings=ONE)
    assert limit.message.startswith("Too much request weight used; current limit is 6000 request weight per 1 MINUTE.")
    assert limit.product == PRODUCTS[0]


def _only_in(product: str) -> int:
    return next(c for c in CATALOGS[product].codes if all(c not in CATALOGS[p].codes for p in PRODUCTS if p != product))


@pytest.mark.parametrize(
    "strategy",
    [
        lambda: error_cases(template_id="no-such-template"),
        lambda: error_cases(code=-99_999_999),
        lambda: error_cases(lang="fr"),
        lambda: error_cases(kind="banana"),
        lambda: error_cases(product="nyse"),
        lambda: error_cases(category="banana"),
        lambda: error_cases(product="sapi", code=_only_in("usdm")),
        lambda: error_cases(product="sapi", template_id="usdm:-4020"),
        lambda: error_cases(product="usdm", kind="filter_failure"),
        lambda: http_error_responses(status=302),
        lambda: drifted_cases(drifts=["typos"]),
        lambda: drifted_cases(template_id="-1001", drifts=["older"]),
        lambda: unknown_errors(product="nyse"),
    ],
)
def test_bad_arguments_raise_invalid_argument(strategy: object) -> None:
    with pytest.raises(InvalidArgument):
        assert callable(strategy)
        find(strategy(), lambda _: True, settings=ONE)


# --- new argument types -----------------------------------------------------------------------


def test_bool_arguments() -> None:
    template = next(t for c in CATALOGS.values() for t in c.templates if any(a.type == "bool" for a in t.args))
    name = next(a.name for a in template.args if a.type == "bool")
    cases = error_cases(template_id=template.id, lang="en")
    for value in (True, False):

        def has_value(case: ErrorCase, value: bool = value) -> bool:
            return case.args[name] is value

        case = find(cases, has_value, settings=ONE)
        assert str(value).lower() in case.message
        assert normalize_payload(case.payload(), product=case.product).args[name] is value


@pytest.mark.parametrize(("template_id", "quoted"), [("spot:-1182", False), ("spot:-1128.5", True)])
def test_list_arguments(template_id: str, quoted: bool) -> None:
    case = find(error_cases(template_id=template_id), lambda c: ", " in c.raw_args[0], settings=ONE)
    inside = case.message[case.message.index("[") + 1 : case.message.rindex("]")]
    assert inside == case.raw_args[0] == case.args["fields"]
    items = inside.split(", ")
    assert all((item[0] == item[-1] == "'") == quoted for item in items), case
    assert normalize_payload(case.payload(), product="spot").args == {"fields": inside}


# --- drift ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", DRIFTS)
def test_drifted_messages_keep_their_template(kind: str) -> None:
    @FEW
    @given(drifted_cases(drifts=[kind]))
    def check(case: ErrorCase) -> None:
        assert kind in case.drifts
        assert normalize(case.code, case.message, case.product).template_id == case.template_id, case

    check()


@MANY
@given(drifted_cases())
def test_combined_drift_keeps_the_template(case: ErrorCase) -> None:
    assert normalize(case.code, case.message, case.product).template_id == case.template_id, case


@FEW
@given(drifted_cases(drifts=["suffix"]))
def test_server_suffix_keeps_the_template_and_goes_to_extras(case: ErrorCase) -> None:
    assert CATALOGS[case.product].suffixes
    record = normalize(case.code, case.message, case.product)
    assert record.template_id == case.template_id, case
    assert record.extras == {"request_ip": case.message.rsplit(": ", 1)[1]}, case
    assert record.args == dict(case.args), case


@pytest.mark.parametrize(("product", "template_id"), sorted(PERIOD_COLLISIONS))
def test_period_drift_of_a_code_message_equal_to_a_table_entry(product: str, template_id: str) -> None:
    template = _template(template_id)
    assert template.code is not None
    text = PERIOD_COLLISIONS[product, template_id]
    assert normalize(template.code, text, product).template_id == template_id


@pytest.mark.parametrize(("product", "template_id"), sorted(TABLE_PERIOD_COLLISIONS))
def test_period_drift_of_a_table_entry_equal_to_another_codes_message(product: str, template_id: str) -> None:
    # Under a code that carries the tables (-2010), 'Unsupported order combination.' (a period added
    # to the rejection row) is the row, not -1014's exact text.
    text = TABLE_PERIOD_COLLISIONS[product, template_id]
    assert normalize(TABLES_CODE, text, product).template_id == template_id
    without = normalize(TABLES_CODE, text)
    assert without.template_id == template_id or product in without.products


def _fits(wording_text: str, message: str) -> bool:
    literals, _tokens = split(wording_text)
    return re.fullmatch(".+?".join(re.escape(piece) for piece in literals), message, re.DOTALL) is not None


@FEW
@given(drifted_cases(drifts=["older"]))
def test_older_wordings_are_drawn(case: ErrorCase) -> None:
    # The older wording itself, its placeholders filled with the case's values.
    assert case.wording.seen is not None and case.wording in case.template.wordings
    assert _fits(case.wording.text, case.message), case
    assert all(raw in case.message for raw in case.raw_args), case


@FEW
@given(drifted_messages(product="sapi", drifts=["older"]))
def test_drifted_messages_are_the_messages(message: str) -> None:
    older = [w.text for t in CATALOGS["sapi"].templates for w in t.wordings if w.seen is not None]
    assert any(_fits(text, message) for text in older)


# --- transports -------------------------------------------------------------------------------


@MANY
@given(http_error_responses())
def test_http_responses_are_consistent(response: HttpErrorResponse) -> None:
    assert response.status == status_for(response.case.template, response.case.code, response.case.product)
    assert response.json() == response.case.payload()
    assert response.headers["Content-Type"].startswith("application/json")
    assert (response.retry_after is not None) == (response.status in (418, 429))
    if response.retry_after is not None:
        assert response.retry_after >= 1
    _assert_round_trip(response.case, normalize_payload(response.body, product=response.case.product))


@pytest.mark.parametrize(
    ("status", "product", "codes"),
    [
        (418, "spot", {-1003}),
        (429, "spot", {-1003, -1015}),
        (500, "spot", {-1000, -1006}),
        (503, "spot", {-1001, -1004, -1007, -1008}),
        (401, "spot", {-1002, -2014, -2015}),
        (418, "options", {-1008}),  # options numbers its rate limits -1008 (TOO_MANY_REQUESTS)
        (429, "options", {-1008, -1015}),
        (503, "usdm", {-1001, -1007, -1008}),  # -1004 is DUPLICATE_IP on the futures APIs: 400
        (418, None, {-1003, -1008}),
        (503, None, {-1001, -1004, -1007, -1008}),
    ],
)
def test_http_status_filter(status: int, product: str | None, codes: set[int]) -> None:
    @FEW
    @given(http_error_responses(product=product, status=status))
    def check(response: HttpErrorResponse) -> None:
        assert response.status == status and response.case.code in codes
        if product is not None:
            assert response.case.product == product

    check()


@FEW
@given(http_error_responses(template_id="options:-1008.3", lang="en"))
def test_rate_limit_retry_after_stays_within_the_window(response: HttpErrorResponse) -> None:
    # Options writes the interval in two placeholders ("per %s %s": 1 MINUTE), under -1008.
    args = response.case.args
    seconds = {"SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86400}
    assert isinstance(args["interval_num"], int) and isinstance(args["interval_unit"], str)
    window = args["interval_num"] * seconds[args["interval_unit"]]
    assert response.status == 429
    assert response.retry_after is not None and 1 <= response.retry_after <= window


@FEW
@given(http_error_responses(status=418))
def test_ban_retry_after_reaches_the_ban_end(response: HttpErrorResponse) -> None:
    until = response.case.args.get("until")
    assert isinstance(until, datetime) and response.retry_after is not None
    assert (until - EPOCH).total_seconds() <= now_ms() / 1000 + response.retry_after


@MANY
@given(ws_api_errors())
def test_ws_api_errors_normalize_like_their_error(envelope: dict[str, object]) -> None:
    error = envelope["error"]
    assert isinstance(error, dict) and isinstance(envelope["status"], int)
    record = normalize_payload(envelope)
    assert record == normalize(error["code"], error["msg"]) and record.template_id is not None
    assert ("data" in error) == (envelope["status"] in (418, 429))
    assert json.loads(json.dumps(envelope)) == envelope


# --- unknown errors and records ---------------------------------------------------------------


@FEW
@given(unknown_errors())
def test_unknown_errors_are_not_in_the_catalog(payload: dict[str, object]) -> None:
    assert all(payload["code"] not in catalog.codes for catalog in CATALOGS.values())
    assert normalize_payload(payload).match == "unknown"


@FEW
@given(unknown_errors(product="options"))
def test_unknown_errors_of_one_product(payload: dict[str, object]) -> None:
    assert payload["code"] not in CATALOGS["options"].codes
    assert normalize_payload(payload, product="options").match == "unknown"


@FEW
@given(st.from_type(ErrorRecord))
def test_from_type_resolves_to_records(record: ErrorRecord) -> None:
    assert isinstance(record, ErrorRecord)
    assert record.match in ("exact", "template", "unknown")
    assert (record.template_id is None) == (record.match == "unknown")
    assert record.category in CATEGORIES


def test_package_imports_without_hypothesis() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "import binance_errors\n"
        "assert binance_errors.normalize(-1121, 'Invalid symbol.').name == 'BAD_SYMBOL'\n"
        "try:\n    import binance_errors.strategies\nexcept ImportError:\n    pass\n"
        "else:\n    raise SystemExit('strategies imported without hypothesis')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

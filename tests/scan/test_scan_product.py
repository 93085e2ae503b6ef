"""scan --product NAME and --url-field PATH: the API each error is normalized for.

The product is part of what a cached line shape's output depends on; these tests hold
the cached output to what reading every line in full gives.
"""

from __future__ import annotations

import io
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from binance_errors.catalog import default_catalogs
from binance_errors.products import _HOSTS, _PATHS
from binance_errors.scan.inputs import Block, Source
from binance_errors.scan.progress import Progress
from binance_errors.scan.runner import run
from binance_errors.scan.summary import render
from binance_errors.scan.worker import Options, Worker
from binance_errors.scan.writers import JsonlWriter

from .conftest import Scan
from .reference import reference

QTY = '{"code":-4003,"msg":"Quantity less than zero."}'
EMAIL = '{"code":-4003,"msg":"Your input email is invalid."}'
FAPI = "https://fapi.binance.com/fapi/v1/order"
SAPI = "https://api.binance.com/sapi/v1/capital/withdraw/apply"
DAPI = "https://dapi.binance.com/dapi/v1/order"
FAPI_ESCAPED = FAPI.replace("/", "\\/")

# The same error behind the same time-stamp key, with the request's URL changing from line
# to line: a shape cache that left the URL (or the product) out would give them one record.
LINES = [
    f'{{"ts":"2024-01-02 03:04:05","req":{{"url":"{FAPI}"}},"error":{QTY}}}',
    f'{{"ts":"2024-01-02 03:04:06","req":{{"url":"{SAPI}"}},"error":{QTY}}}',
    f'{{"ts":"2024-01-02 03:04:07","req":{{"url":"{FAPI}"}},"error":{QTY}}}',
    f'{{"ts":"2024-01-02 03:04:08","req":{{"url":"{DAPI}"}},"error":{QTY}}}',
    f'{{"ts":"2024-01-02 03:04:09","req":{{"url":"{SAPI}"}},"error":{EMAIL}}}',
    f'{{"ts":"2024-01-02 03:04:10","req":{{"url":"{FAPI}"}},"error":{EMAIL}}}',
    # Escaped slashes, as PHP and some loggers write them.
    f'{{"ts":"2024-01-02 03:04:11","req":{{"url":"{FAPI_ESCAPED}"}},"error":{QTY}}}',
    # No URL, a URL of no known API, a URL that is not text: no product.
    f'{{"ts":"2024-01-02 03:04:12","error":{QTY}}}',
    f'{{"ts":"2024-01-02 03:04:13","req":{{"url":"https://example.com/x"}},"error":{QTY}}}',
    f'{{"ts":"2024-01-02 03:04:14","req":{{"url":443}},"error":{QTY}}}',
    f'{{"ts":"2024-01-02 03:04:15","req":"{FAPI}","error":{QTY}}}',
    # The same line, not stamped, and stamped with epoch milliseconds.
    f'{{"req":{{"url":"{FAPI}"}},"error":{QTY}}}',
    f'{{"req":{{"url":"{SAPI}"}},"error":{QTY}}}',
    f'{{"ts":1700000000123,"req":{{"url":"{FAPI}"}},"error":{QTY}}}',
    f'{{"ts":1700000000124,"req":{{"url":"{SAPI}"}},"error":{QTY}}}',
    # Text lines carry no JSON field: no product from --url-field.
    "2024-01-02 03:04:16 ERROR APIError(code=-4003): Quantity less than zero.",
    "2024-01-02 03:04:17 ERROR APIError(code=-4003): Quantity less than zero.",
    # A leading time-stamp key that holds the URL (--url-field ts): each line read in full.
    f'{{"ts":"{FAPI}","error":{QTY}}}',
    f'{{"ts":"{SAPI}","error":{QTY}}}',
    f'{{"ts":"{DAPI}","error":{QTY}}}',
    '{"ts":"2024-01-02 03:04:18","level":"info","msg":"tick"}',
    '{"ts":"2024-01-02 03:04:19","level":"info","ms',
    "2024-01-02 03:04:20 INFO all good",
]


def scanned(lines: list[bytes], options: Options) -> tuple[list[Any], Counter[str]]:
    worker = Worker(options)
    # Twice over: the second pass is served from the shape cache only.
    for _ in range(2):
        result = worker.process(Block("log", 1, b"\n".join(lines) + b"\n"))
    stats = result.stats
    assert stats.balanced
    assert stats.read == len(lines)
    records = [list(json.loads(line).items()) for line in result.output.splitlines()]
    return records, stats.unreadable_reasons + stats.matches


@pytest.mark.parametrize("url_field", ["req.url", "req", "ts", "nowhere.at.all"])
def test_url_field_cached_shapes_match_reading_each_line_in_full(url_field: str) -> None:
    lines = [line.encode() for line in LINES]
    assert scanned(lines, Options(url_field=url_field)) == reference(lines, url_field=url_field)


@pytest.mark.parametrize("product", ["usdm", "sapi", "spot"])
def test_product_cached_shapes_match_reading_each_line_in_full(product: str) -> None:
    lines = [line.encode() for line in LINES]
    assert scanned(lines, Options(product=product)) == reference(lines, product=product)


def test_url_field_gives_each_line_its_own_product() -> None:
    lines = [line.encode() for line in LINES]
    records = [dict(record) for record in scanned(lines, Options(url_field="req.url"))[0]]
    by_line = {record["line"]: (record["product"], record["name"]) for record in records}
    assert by_line[1] == by_line[3] == by_line[7] == by_line[12] == by_line[14] == ("usdm", "QTY_LESS_THAN_ZERO")
    assert by_line[4] == ("coinm", "QTY_LESS_THAN_ZERO")
    assert by_line[2][0] == by_line[13][0] == by_line[15][0] == "sapi"
    assert by_line[5] == ("sapi", "CAPITAL_IEV")
    assert by_line[6][0] == "usdm" and by_line[6][1] != "CAPITAL_IEV"
    # Without a URL the message decides, and the record lists the candidates.
    for number in (8, 9, 10, 11, 16, 17):
        assert by_line[number][0] is None
        assert len(records[number - 1]["products"]) > 1


def test_a_url_in_the_time_stamp_key_is_read_on_every_line() -> None:
    lines = [line.encode() for line in LINES[17:20]]
    records = [dict(record) for record in scanned(lines, Options(url_field="ts"))[0]]
    assert [record["product"] for record in records] == ["usdm", "sapi", "coinm"]


@pytest.mark.parametrize(("field", "url_field"), [("ts", None), (None, "ts"), ("ts.x", None), (None, "@timestamp")])
def test_a_time_stamp_key_that_a_field_reads_is_not_a_shape(field: str | None, url_field: str | None) -> None:
    # The first line of the shape has a plain time stamp there (no error, no URL): the
    # lines after it, with an error or a URL in the same key, must not get its outcome.
    key = (field or url_field or "").split(".")[0]
    lines = [
        f'{{"{key}":"2024-01-02 03:04:05","n":1,"error":{QTY}}}'.encode(),
        f'{{"{key}":"2024-01-02 03:04:05","n":1}}'.encode(),
        f'{{"{key}":"APIError(code=-1121): Invalid symbol.","n":1}}'.encode(),
        f'{{"{key}":"{FAPI}","n":1,"error":{QTY}}}'.encode(),
        f'{{"{key}":"{SAPI}","n":1,"error":{QTY}}}'.encode(),
    ]
    options = Options(field=field, url_field=url_field)
    assert scanned(lines, options) == reference(lines, field=field, url_field=url_field)
    if field == "ts":
        assert [dict(record)["line"] for record in scanned(lines, options)[0]] == [3]
    if url_field is not None:
        assert [dict(record)["product"] for record in scanned(lines, options)[0]][-2:] == ["usdm", "sapi"]


def test_every_product_a_url_can_name_has_a_catalog() -> None:
    named = {product for _, product in _PATHS} | {product for _, product in _HOSTS}
    assert named <= set(default_catalogs())


# -- the command --


@pytest.fixture
def url_log(tmp_path: Path) -> Path:
    path = tmp_path / "app.jsonl"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return path


def test_scan_product(scan: Scan, url_log: Path) -> None:
    result = scan("--product", "usdm", str(url_log))
    assert result.status == 1  # the cut JSON line
    assert {record["product"] for record in result.records} == {"usdm"}
    assert {record["name"] for record in result.records} == {"QTY_LESS_THAN_ZERO"}
    assert f"{len(LINES)} lines read = 20 with an error + 2 without + 1 unreadable" in result.err


def test_scan_url_field(scan: Scan, url_log: Path) -> None:
    result = scan("--url-field", "req.url", str(url_log))
    products = [record["product"] for record in result.records]
    assert products[:5] == ["usdm", "sapi", "usdm", "coinm", "sapi"]
    assert f"{len(LINES)} lines read = 20 with an error + 2 without + 1 unreadable" in result.err


def test_an_unknown_product_is_a_usage_error(scan: Scan, url_log: Path) -> None:
    result = scan("--product", "futures", str(url_log))
    assert result.status == 2
    assert result.out == b""
    assert "unknown product 'futures'" in result.err
    assert "usdm" in result.err  # the known names are listed


def test_product_and_url_field_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    from binance_errors.cli import main  # noqa: PLC0415

    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "--product", "usdm", "--url-field", "req.url", "-"])
    assert exit_info.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


def _run(path: Path, options: Options, jobs: int) -> tuple[bytes, str]:
    out = io.BytesIO()
    progress = Progress(sys.stderr, None, enabled=False)
    stats = run([Source(str(path))], options, JsonlWriter(out, owned=False), progress, jobs=jobs, block_size=512)
    return out.getvalue(), render(stats)


@pytest.mark.parametrize("options", [Options(product="usdm"), Options(url_field="req.url", summary=True)])
def test_jobs_give_identical_results(tmp_path: Path, options: Options) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text(("\n".join(LINES) + "\n") * 40, encoding="utf-8")
    one = _run(path, options, jobs=1)
    two = _run(path, options, jobs=2)
    assert one == two
    assert one[0].count(b"\n") == 20 * 40


def test_a_message_that_is_also_the_request_url_is_read_on_every_line() -> None:
    # The digits of the message are the URL's too: "/sapi/v1/margin" is margin's, "/sapi/v2/margin" SAPI's.
    lines = [
        b'{"level":"error","error":{"code":-1000,"msg":"/sapi/v1/margin failed 5"}}',
        b'{"level":"error","error":{"code":-1000,"msg":"/sapi/v2/margin failed 5"}}',
    ]
    options = Options(url_field="error.msg")
    assert scanned(lines, options) == reference(lines, url_field="error.msg")

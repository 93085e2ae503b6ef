"""One line to one error: JSON shapes, --field, timestamps, unreadable lines."""

from __future__ import annotations

import pytest

from binance_errors.scan.lines import TRUNCATED_JSON, LineError, LineParser


@pytest.mark.parametrize(
    ("line", "code", "msg"),
    [
        ('{"code":-1121,"msg":"Invalid symbol."}', -1121, "Invalid symbol."),
        ('{"code":"-1121","msg":"Invalid symbol."}', "-1121", "Invalid symbol."),
        ('{"error":{"code":-1121,"msg":"Invalid symbol."}}', -1121, "Invalid symbol."),
        ('{"id":"1","status":400,"error":{"code":-1121,"msg":"Invalid symbol."}}', -1121, "Invalid symbol."),
        ('{"success":false,"msg":"Invalid symbol."}', None, "Invalid symbol."),
        ('{"level":"error","message":"APIError(code=-1121): Invalid symbol."}', -1121, "Invalid symbol."),
        ('{"level":"error","response":"{\\"code\\":-1121,\\"msg\\":\\"Invalid symbol.\\"}"}', -1121, "Invalid symbol."),
        ('  {"code":-1121,"msg":"Invalid symbol."}', -1121, "Invalid symbol."),
        ('{"code":-1121,"msg":"Invalid sym', -1121, "Invalid sym"),  # cut, but code and message are there
        ('{"code":2,"msg":"Invalid request: unknown variable"}', 2, "Invalid request: unknown variable"),
    ],
)
def test_auto_detected_json_shapes(line: str, code: object, msg: str) -> None:
    found = LineParser().parse(line)
    assert isinstance(found, LineError)
    assert (found.code, found.msg) == (code, msg)


@pytest.mark.parametrize(
    "line",
    ['{"level":"info","msg":"tick"}', '{"code":200,"msg":"ok"}', "[1, 2]", '{"code":0}', "plain words", ""],
)
def test_json_and_text_without_error(line: str) -> None:
    assert LineParser().parse(line) is None


def test_cut_json_without_an_error_is_unreadable() -> None:
    assert LineParser().parse('{"level":"info","ms') == TRUNCATED_JSON
    assert LineParser().parse('{"code":-1') == TRUNCATED_JSON


def test_field_path() -> None:
    parser = LineParser("data.resp")
    line = '{"time":"2024-01-01T00:00:00Z","data":{"resp":{"code":-1121,"msg":"Invalid symbol."}}}'
    found = parser.parse(line)
    assert isinstance(found, LineError)
    assert (found.code, found.msg, found.timestamp) == (-1121, "Invalid symbol.", "2024-01-01T00:00:00Z")
    as_text = parser.parse('{"data":{"resp":"binance {\\"code\\":-1013,\\"msg\\":\\"Filter failure: LOT_SIZE\\"}"}}')
    assert isinstance(as_text, LineError) and as_text.code == -1013
    # with --field, an error elsewhere in the record is not looked at
    assert parser.parse('{"code":-1121,"msg":"Invalid symbol."}') is None


def test_timestamps_from_json_fields_and_line_starts() -> None:
    json_ts = LineParser().parse('{"ts":1700000000123,"error":{"code":-1121,"msg":"Invalid symbol."}}')
    assert isinstance(json_ts, LineError) and json_ts.timestamp == "1700000000123"
    text_ts = LineParser().parse("[2024-03-01T10:00:00.123+00:00] APIError(code=-1121): Invalid symbol.")
    assert isinstance(text_ts, LineError) and text_ts.timestamp == "2024-03-01T10:00:00.123+00:00"

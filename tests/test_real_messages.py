"""Real messages seen in public bug reports (shared/examples/real-messages.jsonl).

They are a sample of reality, not the test: the lines that say what they must give
(``expect_*``) are held to it; every line must give a record without raising.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from binance_errors import ErrorRecord, normalize


@pytest.fixture(scope="module")
def real_messages(doc_snapshot: Callable[[str], Path]) -> list[dict[str, Any]]:
    path = doc_snapshot("../examples/real-messages.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_real_message_gives_a_record(real_messages: list[dict[str, Any]]) -> None:
    for line in real_messages:
        assert isinstance(normalize(line["code"], line["msg"]), ErrorRecord)


def test_real_messages_with_expectations(real_messages: list[dict[str, Any]]) -> None:
    checked = 0
    for line in real_messages:
        if "expect_template" not in line:
            continue
        record = normalize(line["code"], line["msg"])
        assert record.template == line["expect_template"], line["msg"]
        assert list(record.raw_args) == line["expect_raw_args"], line["msg"]
        if "expect_kind" in line:
            assert (record.kind, record.subtype) == (line["expect_kind"], line["expect_subtype"])
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize(
    ("code", "message", "template_id", "raw_args"),
    [
        # Older wordings, recognised as today's template with their arguments.
        (
            -1003,
            "Way too much request weight used; IP banned until 1660090423228. "
            "Please use the websocket for live updates to avoid bans.",
            "-1003.3",
            ("1660090423228",),
        ),
        (-1003, "Way too many requests; IP banned until 1515547977300.", "-1003.3", ("1515547977300",)),
        (-1000, "An unknown error occured while processing the request.", "-1000.1", ()),
        (-2010, "This action disabled is on this account.", "rejection.ACTION_DISABLED", ()),
        # The server's suffix is split off and kept.
        (-2015, "Invalid API-key, IP, or permissions for action, request ip: 185.93.111.189", "-2015", ()),
    ],
)
def test_generations_of_wording(code: int, message: str, template_id: str, raw_args: tuple[str, ...]) -> None:
    record = normalize(code, message, product="sapi")
    assert (record.template_id, record.raw_args) == (template_id, raw_args)
    assert record.match in ("exact", "template")
    # Without the product, a product line whose current wording this still is may answer
    # first ("occured" is still the futures wording); the SAPI reading stays a candidate.
    assert "sapi" in normalize(code, message).products


def test_request_ip_suffix_is_an_extra() -> None:
    record = normalize(-2015, "Invalid API-key, IP, or permissions for action, request ip: 185.93.111.189")
    assert record.extras == {"request_ip": "185.93.111.189"}
    assert (record.category, record.retryable) == ("auth", False)

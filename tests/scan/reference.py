"""The slow, obviously right reading that the scanner's fast paths are checked against."""

from __future__ import annotations

from collections import Counter
from typing import Any

from binance_errors import normalize
from binance_errors.scan.lines import BAD_UTF8, LineError, LineParser


def reference(
    lines: list[bytes],
    field: str | None = None,
    url_field: str | None = None,
    product: str | None = None,
    source: str = "log",
) -> tuple[list[Any], Counter[str]]:
    """Every line read in full, one by one: the records and the account."""
    parser = LineParser(field, url_field)
    records: list[Any] = []
    account: Counter[str] = Counter()
    for number, raw in enumerate(lines, 1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            account[BAD_UTF8] += 1
            continue
        found = parser.parse(text[:-1] if text.endswith("\r") else text)
        if isinstance(found, str):
            account[found] += 1
        elif isinstance(found, LineError):
            record = normalize(found.code, found.msg, found.product or product).to_dict()
            account[str(record["match"])] += 1
            head = {"file": source, "line": number, "timestamp": found.timestamp}
            records.append([*head.items(), *record.items(), ("context", found.context)])
    return records, account

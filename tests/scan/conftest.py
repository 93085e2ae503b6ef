"""Helpers for the scan tests: run the subcommand in-process and read its output."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from binance_errors.cli import build_parser
from binance_errors.scan.command import run_command

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "sample-errors.log.gz"


class _Err(io.StringIO):
    def isatty(self) -> bool:
        return False


@dataclass
class Result:
    status: int
    out: bytes
    err: str

    @property
    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.decode().splitlines()]


Scan = Callable[..., Result]


@pytest.fixture
def scan(monkeypatch: pytest.MonkeyPatch) -> Scan:
    def run(*argv: str, stdin: bytes | None = None) -> Result:
        if stdin is not None:
            fake = io.TextIOWrapper(io.BufferedReader(io.BytesIO(stdin)))
            monkeypatch.setattr("sys.stdin", fake)
        args = build_parser().parse_args(["scan", "--quiet", *argv])
        out = io.BytesIO()
        err = _Err()
        status = run_command(args, stdout=out, stderr=err)
        return Result(status, out.getvalue(), err.getvalue())

    return run


LINES = [
    b'{"code":-1013,"msg":"Filter failure: LOT_SIZE"}',
    b"2024-01-02 03:04:05 ERROR APIError(code=-1121): Invalid symbol.",
    b"2024-01-02 03:04:06 INFO all good",
    b'{"ts":"2024-01-02T03:04:07Z","level":"error","error":{"code":-2010,"msg":"Duplicate order sent."}}',
    b'{"id":"9","status":400,"error":{"code":-1102,"msg":"A mandatory parameter was not sent, was empty/null,'
    b' or malformed."}}',
    b'{"level":"info","msg":"tick"}',
    b'{"level":"info","ms',
    b"\xff\xfe not utf-8",
    b"",
    b"2024-01-02 03:04:08 WARN binance -2011 Unknown order sent.",
]
"""Ten lines: 5 with an error, 3 without (one blank), 2 unreadable (cut JSON, bad UTF-8)."""


@pytest.fixture
def plain_log(tmp_path: Path) -> Path:
    path = tmp_path / "app.log"
    path.write_bytes(b"\n".join(LINES) + b"\n")
    return path

"""Write a deterministic sample of an archived application log with Binance errors in it.

The messages are the catalog's own English wordings (templates/binance/sapi.toml), with
placeholders filled from small pools, wrapped the ways clients and loggers wrap them:
JSON bodies, WebSocket API responses, structured log records, python-binance's
``APIError(code=...)``, ccxt's ``binance {...}`` and ``binance -2010 ...``, Python
reprs, escaped bodies, key=value lines. Around them: ordinary log lines, invalid UTF-8,
cut JSON and messages that no catalog knows.

    python tools/make_sample_log.py --lines 5000 --out examples/sample-errors.log.gz

The same arguments give the same bytes (gzip header without a time stamp).
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import json
import lzma
import random
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "templates" / "binance" / "sapi.toml"

_POOLS: dict[str, list[str]] = {
    "int": ["1", "5", "10", "50", "100", "1200", "6000"],
    "decimal": ["0.001", "0.1", "5.0", "20", "100.5"],
    "param": ["symbol", "quantity", "price", "timestamp", "recvWindow", "asset", "amount", "side"],
    "asset": ["BTC", "USDT", "ETH", "BNB", "FDUSD"],
    "interval": ["1 MINUTE", "10 SECOND", "1 DAY"],
    "epoch_ms": ["1700000000000", "1700003600000", "1700007200000", "1700010800000"],
    "text": ["please retry", "insufficient funds", "maintenance"],
}
_QUIET = [
    "INFO  order placed symbol={sym} qty={qty} id={oid}",
    "DEBUG GET /api/v3/ticker/price?symbol={sym} 200 {ms}ms",
    "INFO  websocket reconnected stream={sym_l}@depth",
    "WARN  slow response from /sapi/v1/asset/get-funding-asset: {ms}ms",
    "INFO  balance USDT={qty} BTC=0.{oid}",
    "DEBUG heartbeat ok latency={ms}ms",
]
_UNKNOWN = [
    "Service temporarily unavailable for {sym}, please retry in {ms} seconds.",
    "Your account is under review (ticket {oid}).",
    "Request rejected by risk engine: rule R{ms} triggered.",
]
_SYMBOLS = ["BTCUSDT", "ETHUSDT", "BNBUSDT", "SOLUSDT", "XRPUSDT"]


def fill(rng: random.Random, wording: str, types: list[str]) -> str:
    parts = wording.split("%s")
    text = parts[0]
    for i, part in enumerate(parts[1:]):
        kind = types[i] if i < len(types) else "text"
        text += rng.choice(_POOLS.get(kind, _POOLS["text"])) + part
    return text


def _catalog_messages() -> list[tuple[int | None, str, list[str]]]:
    data = tomllib.loads(CATALOG.read_text(encoding="utf-8"))
    out: list[tuple[int | None, str, list[str]]] = []
    for entry in data["code"]:
        for message in entry.get("message", []):
            types = [arg.split(":", 1)[1].strip() for arg in message.get("args", [])]
            out.append((entry["code"], message["en"], types))
    for table, code in (("filter", -1013), ("rejection", -2010)):
        for row in data.get(table, []):
            if "%s" not in row["en"]:
                out.append((code, row["en"], []))
    return out


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _wrappers() -> list[tuple[int, Callable[[str, int | None, str], str]]]:
    """(weight, line maker) for a line that carries an error; ts, code, msg in."""

    def body(code: int | None, msg: str) -> dict[str, object]:
        return {"code": code, "msg": msg} if code is not None else {"success": False, "msg": msg}

    return [
        (10, lambda ts, c, m: _dumps(body(c, m))),
        (6, lambda ts, c, m: _dumps({"ts": ts, "level": "error", "error": body(c, m)})),
        (4, lambda ts, c, m: _dumps({"id": "a1b2", "status": 400, "error": body(c, m)})),
        (4, lambda ts, c, m: _dumps({"timestamp": ts, "message": f"APIError(code={c}): {m}"})),
        (8, lambda ts, c, m: f"{ts} ERROR binance.exceptions.BinanceAPIException: APIError(code={c}): {m}"),
        (6, lambda ts, c, m: f"{ts} WARNING Failed to create order (binance {_dumps(body(c, m))})"),
        (4, lambda ts, c, m: f"{ts} ERROR [placeOrder] binance: {c} {m} (createOrder)"),
        (4, lambda ts, c, m: f"[{ts}] WARN <APIError> code={c}, msg={m} strategy=grid"),
        (3, lambda ts, c, m: f"{ts} error executing order [{body(c, m)!r}]"),
        (3, lambda ts, c, m: f"{ts} response body: " + _dumps(_dumps(body(c, m)))),
        (2, lambda ts, c, m: f"{ts} ccxt.base.errors.ExchangeError: binance 400 Bad Request {_dumps(body(c, m))}"),
    ]


_BODY_WRAPPERS = (0, 1, 2, 5, 8, 9, 10)


def make_lines(count: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    messages = _catalog_messages()
    wrappers = _wrappers()
    weights = [w for w, _ in wrappers]
    makers = [m for _, m in wrappers]
    moment = datetime(2025, 3, 1, tzinfo=UTC)
    lines: list[bytes] = []
    for _ in range(count):
        moment += timedelta(milliseconds=rng.randint(1, 60_000))
        ts = moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
        sym = rng.choice(_SYMBOLS)
        values = {
            "sym": sym,
            "sym_l": sym.lower(),
            "qty": f"{rng.randint(1, 999)}.{rng.randint(0, 99):02d}",
            "oid": str(rng.randint(10_000, 99_999)),
            "ms": str(rng.randint(1, 900)),
        }
        roll = rng.random()
        if roll < 0.50:
            lines.append(f"{ts} {rng.choice(_QUIET).format(**values)}".encode())
        elif roll < 0.53:
            lines.append(_dumps({"ts": ts, "level": "info", "msg": "tick", "symbol": sym}).encode())
        elif roll < 0.54:
            # Garbage: a cut JSON record, bytes that are not UTF-8, a blank line.
            kind = rng.randrange(3)
            if kind == 0:
                lines.append(_dumps({"ts": ts, "level": "info", "msg": "fill " * 3})[: rng.randint(5, 30)].encode())
            elif kind == 1:
                lines.append(ts.encode() + b" \xff\xfe\xc3 binary noise")
            else:
                lines.append(b"")
        else:
            if roll < 0.56:
                code: int | None = rng.choice([-1000, -2010, -9000, -12345])
                msg = rng.choice(_UNKNOWN).format(**values)
            else:
                code, wording, types = rng.choice(messages)
                msg = fill(rng, wording, types)
                if rng.random() < 0.03:
                    code = None
            # Without a code, only the forms that carry a body ({"success":false,...}) make sense.
            pool = range(len(makers)) if code is not None else _BODY_WRAPPERS
            index = rng.choices(list(pool), [weights[i] for i in pool])[0]
            maker = makers[index]
            lines.append(maker(ts, code, msg).encode())
    return lines


def write(path: Path, lines: list[bytes]) -> None:
    data = b"\n".join(lines) + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".gz":
        with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as stream:
            stream.write(data)
    elif suffix == ".bz2":
        path.write_bytes(bz2.compress(data))
    elif suffix == ".xz":
        path.write_bytes(lzma.compress(data))
    else:
        path.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20250301)
    parser.add_argument("--out", type=Path, default=ROOT / "examples" / "sample-errors.log.gz")
    args = parser.parse_args(argv)
    write(args.out, make_lines(args.lines, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

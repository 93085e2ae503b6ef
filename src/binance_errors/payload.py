"""Find the code and message inside a Binance error body."""

from __future__ import annotations

import json
from collections.abc import Mapping

from binance_errors.coerce import as_message

MAX_PAYLOAD_BYTES = 1 << 20


def _decode(payload: object) -> object:
    if isinstance(payload, bytes | bytearray | memoryview):
        payload = bytes(payload[:MAX_PAYLOAD_BYTES]).decode("utf-8", errors="replace")
    if isinstance(payload, str):
        text = payload.strip()
        if len(text) > MAX_PAYLOAD_BYTES or not text.startswith("{"):
            return payload
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            return payload
    return payload


def code_and_message(payload: object) -> tuple[object, object]:
    """(code, msg) from a REST body ``{"code","msg"}``, a WebSocket API response
    ``{"status":400,"error":{"code","msg"}}`` or ``{"success":false,"msg":...}``,
    given as a dict or as JSON text or bytes.  Text that is no JSON object is taken as
    a bare message without a code.
    """
    body = _decode(payload)
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping) and ("code" in error or "msg" in error):
            body = error
        return body.get("code"), body.get("msg", body.get("message"))
    if isinstance(body, str):
        return None, body
    return None, as_message(body) if body is not None else None

"""Turn whatever a caller passes as a code or a message into an int and a str, never raising."""

from __future__ import annotations

import math
import re

_INTEGER = re.compile(r"[-+]?[0-9]{1,30}")


def as_code(value: object) -> int | None:
    """The error code in ``value``, or None when it holds no usable integer.

    Accepts ints of any size, integral floats, and strings or bytes such as ``"-1121"``.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, str):
        value = value.strip(" \t\r\n")
        if _INTEGER.fullmatch(value):
            return int(value)
    return None


def as_message(value: object) -> str:
    """The message in ``value`` as text: bytes are decoded (bad UTF-8 replaced), None is empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", errors="replace")
    try:
        return str(value)
    except Exception:
        # An object whose __str__ fails still gets a record, not an exception.
        return ""

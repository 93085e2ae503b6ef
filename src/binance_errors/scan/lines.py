"""One line of a log in, the Binance error it holds (if any) out.

A line is either a JSON object (a body, a WebSocket API response, or a structured log
record that carries one) or text, which :func:`binance_errors.finder.find_error` reads.
A JSON line may also name the request's URL (``url_field``), which tells which API
answered (:func:`binance_errors.products.product_from_url`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Final, Literal

from binance_errors.finder import find_error
from binance_errors.products import product_from_url

try:
    import orjson

    loads: Callable[[str | bytes], object] = orjson.loads
    JSON_ERRORS: tuple[type[Exception], ...] = (orjson.JSONDecodeError, RecursionError)
except ImportError:  # orjson is an optional speed-up
    import json

    loads = json.loads
    JSON_ERRORS = (ValueError, RecursionError)

TRUNCATED_JSON: Final = "truncated or invalid JSON"
BAD_UTF8: Final = "invalid UTF-8"
CORRUPT_STREAM: Final = "cut by a corrupt compressed stream"

Code = int | str | None
MessagePlace = Literal["line", "member", "text member"] | None

TIMESTAMP_KEYS = ("@timestamp", "timestamp", "time", "ts", "datetime", "date", "asctime", "t")
_NUMBERS = (int, float)
# Fields of structured log records whose text may quote an error.
_TEXT_KEYS = ("message", "msg", "error", "err", "exception", "exc_info", "log", "text", "body", "response")
# Nested objects where clients put the server's body.
_NESTED_KEYS = ("error", "data", "response", "body", "result")


# Not frozen: a frozen dataclass sets each field through object.__setattr__, several
# times slower to build, and a scan builds one for each new line shape.  Treat it as frozen
# (mypy no longer stops an assignment); being mutable it is not hashable, and nothing hashes it.
@dataclass(slots=True)
class LineError:
    """The error of one line, before normalization."""

    code: Code
    msg: str | None
    timestamp: str | None = None
    context: dict[str, str] = field(default_factory=dict)
    product: str | None = None
    """The API that answered, as the line's request URL tells it (see ``url_field``)."""
    msg_at: MessagePlace = None
    """Where the message was read: ``"line"``, by the finder in the line's own text; ``"member"``,
    a string member of the line's JSON object, as it is; ``"text member"``, by the finder in
    the text of such a member; None: elsewhere (a body inside a string).  Scanners use it to
    tell which bytes of the line the message is."""


class LineParser:
    """Reads lines; ``field`` is a dotted path to the error inside JSON lines, ``url_field``
    one to the request's URL there, from which each line's product is inferred."""

    def __init__(self, field: str | None = None, url_field: str | None = None) -> None:
        self.path: tuple[str, ...] | None = tuple(field.split(".")) if field else None
        self.url_path: tuple[str, ...] | None = tuple(url_field.split(".")) if url_field else None

    def parse(self, line: str) -> LineError | str | None:
        """The line's error, ``None`` when it has none, or the reason it is unreadable."""
        stripped = line.lstrip()
        if stripped.startswith("{"):
            try:
                obj = loads(stripped)
            except JSON_ERRORS:
                # A cut body still shows code and message to the text reader, but a
                # body cut inside its code ({"code":-1) holds nothing trustworthy.
                found = self._text(line)
                return found if found is not None and found.msg else TRUNCATED_JSON
            if isinstance(obj, dict):
                return self._record(obj)
            return None
        if self.path is not None and not stripped:
            return None
        return self._text(line)

    def _text(self, line: str) -> LineError | None:
        found = find_error(line)
        if found is None:
            return None
        return LineError(found.code, found.msg, found.timestamp, found.extras, msg_at="line")

    def _record(self, obj: dict[str, object]) -> LineError | None:
        ts = _timestamp_of(obj)
        found = _from_value(_at(obj, self.path)) if self.path is not None else _from_value(obj, top=True)
        if found is None:
            return None
        if ts is not None and found.timestamp is None:
            found = LineError(found.code, found.msg, ts, found.context, msg_at=found.msg_at)
        if self.url_path is not None:
            url = _at(obj, self.url_path)
            product = product_from_url(url) if isinstance(url, str) else None
            if product is not None:
                found = replace(found, product=product)
        return found


def _at(obj: Mapping[str, object], path: tuple[str, ...]) -> object:
    """The value at a dotted path of a JSON object, or ``None``."""
    target: object = obj
    for key in path:
        if not isinstance(target, Mapping):
            return None
        target = target.get(key)
    return target


def _timestamp_of(obj: Mapping[str, object]) -> str | None:
    for key in TIMESTAMP_KEYS:
        value = obj.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            if value:
                return value
        elif isinstance(value, _NUMBERS) and not isinstance(value, bool):
            return str(value)
    return None


def _from_value(value: object, *, top: bool = False) -> LineError | None:
    if isinstance(value, Mapping):
        return _from_mapping(value, top=top)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{"):
            try:
                inner = _from_value(loads(text))
            except JSON_ERRORS:
                pass
            else:
                # A member of a body inside a string: not the line's own bytes.
                return replace(inner, msg_at=None) if inner is not None else None
        found = find_error(value)
        if found is not None:
            return LineError(found.code, found.msg, found.timestamp, found.extras, msg_at="text member")
    return None


def _code(value: object) -> Code:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _msg(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _is_error_code(code: Code) -> bool:
    if isinstance(code, int):
        # Positive codes below 100 are the WebSocket stream's; larger ones are HTTP statuses.
        return code < 100
    if isinstance(code, str):
        text = code.strip()
        return text.startswith("-") and text[1:].isdigit()
    return False


def _from_mapping(obj: Mapping[str, object], *, top: bool) -> LineError | None:
    context: dict[str, str] = {}
    status = obj.get("status")
    if isinstance(status, int) and not isinstance(status, bool):
        context["http_status"] = str(status)
    if "code" in obj or "msg" in obj:
        code = _code(obj.get("code"))
        msg = _msg(obj.get("msg"))
        if _is_error_code(code) and (msg is not None or not isinstance(code, int) or code < 0):
            return LineError(code, msg, None, context, msg_at="member")
        if code is None and msg is not None and obj.get("success") is False:
            return LineError(None, msg, None, context, msg_at="member")
    for key in _NESTED_KEYS:
        nested = obj.get(key)
        if isinstance(nested, Mapping):
            found = _from_mapping(nested, top=False)
            if found is not None:
                if context and not found.context:
                    return LineError(found.code, found.msg, found.timestamp, context, msg_at=found.msg_at)
                return found
    if top:
        for key in _TEXT_KEYS:
            text = obj.get(key)
            if isinstance(text, str):
                found = _from_value(text)
                if found is not None:
                    return found
    return None

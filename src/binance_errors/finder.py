"""Find a Binance error inside one line (or a short block) of free text.

Logs rarely hold a bare ``{"code": ..., "msg": ...}`` body: client libraries wrap it
(``APIError(code=-1013): ...``, ``binance {"code":...}``, ``-2011 Unknown order sent.``),
loggers escape it into string literals or Python reprs, and lines get cut. The search
below is a few general mechanisms rather than a list of known lines:

1. keyed forms: a ``code`` key and/or a ``msg`` key, quoted or not, with ``:``, ``=``
   or ``=>`` (JSON, Python repr, JavaScript objects, PHP ``print_r``, ``key=value``);
   text escaped into a string literal is unescaped one level at a time first;
2. a bare code: a 4-5 digit negative number followed by the message;
3. a ``...Binance...Exception:``/``...Error:`` prefix followed by a message (no code).

:func:`find_request_url` finds, in the same kind of text, the URL of the request that
failed, where the text names it plainly; :func:`binance_errors.extract` normalizes what
both find.

Every pattern is linear (no nested quantifiers) and the text is cut to 64 KiB, so a
hostile line costs bounded time. Nothing here raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

import regex

__all__ = [
    "LEADING_TIMESTAMP",
    "MAX_TEXT",
    "TRIGGER_CODE",
    "TRIGGER_WORDS",
    "FoundError",
    "digit_blind_span",
    "find_error",
    "find_request_url",
    "leading_timestamp",
    "might_hold_error",
]

MAX_TEXT = 64 * 1024
"""Only this many characters of a text are looked at."""

_MAX_UNESCAPE_LEVELS = 3
_UNGUARDED_TEXT = 1024
"""Texts up to this length are searched without a time limit (see _search)."""
_LONG_TEXT_SECONDS = 1.0
TAIL_CACHE_SIZE = 65_536

TRIGGER_WORDS = (b"code", b"msg", b"binance")
"""Lower-case words of which every mechanism needs one (or a bare code, see TRIGGER_CODE)."""
TRIGGER_CODE = regex.compile(rb"-\d{4}")
_TRIGGER = regex.compile(r"(?i:code|msg|binance)|-\d{4}", regex.ASCII)


def might_hold_error(text: str) -> object | None:
    """Not ``None`` when ``text`` has one of the words or digits every mechanism needs.

    Scanners test whole blocks of bytes with TRIGGER_WORDS and TRIGGER_CODE instead;
    both tests accept the same texts.
    """
    return _TRIGGER.search(text)


@dataclass(frozen=True)
class FoundError:
    """A Binance error located in a text, before normalization."""

    code: int | None
    msg: str
    extras: dict[str, str] = field(default_factory=dict, compare=False)
    """Context found around the body: ``http_status``, ``context`` and ``key=value`` pairs."""
    timestamp: str | None = None
    """The timestamp that starts the text, verbatim, when there is one."""
    form: str = "keyed"
    """Which mechanism found it: ``keyed``, ``bare_code`` or ``exception``."""

    def __hash__(self) -> int:
        return hash((self.code, self.msg, self.timestamp, self.form))


# A key, in any quoting a log may show: "code", 'code', `code`, [code], code.
# The look-behind keeps `error_code`, `statusCode` and `http_code` out.
_KEY = r"(?<![\w$.\-])(?P<{name}q>[\"'`]|\[)?{key}(?:[\"'`\]])?\s*(?::|=>|=)\s*"
_CODE_KEY = regex.compile(
    _KEY.format(name="c", key="code") + r"(?P<cvq>[\"']?)(?P<code>[+-]?\d{1,6})(?!\d|\.\d)",
    regex.IGNORECASE | regex.ASCII,
)
# ASCII: the words and digits that trigger a search are ASCII (see TRIGGER_WORDS).
_MSG_KEY = regex.compile(_KEY.format(name="m", key="msg"), regex.IGNORECASE | regex.ASCII)
# `\"code\"`: the body sits inside a string literal of the log line.
_ESCAPED_KEY = regex.compile(r"\\+[\"'](?:code|msg)\\+[\"']", regex.IGNORECASE)
_ONE_ESCAPE = regex.compile(r"\\([\\\"'/])")

_BARE_CODE = regex.compile(
    r"(?<![\w\-.+/:=$])(?P<code>-[0-9]{4,5})(?![0-9.])[\"'`]?(?:\s*[:,]\s*|\s+)"
    r"(?P<msg>\(?[\"'`]?[^\W\d_][^\n]*)"
)
# "message text (-1100)": a code in parentheses closing the line.
_TRAILING_CODE = regex.compile(r"\s*\((?P<code>-\d{4,5})\)\s*$", regex.ASCII)
_EXCEPTION_PREFIX = regex.compile(
    r"(?:^|[\s(:])(?:[\w$]+\.)*\w*binance\w*(?:Exception|Error)\b(?:\([^)\n]{0,80}\))?\s*:\s*"
    r"(?P<msg>[^\n]+)",
    regex.IGNORECASE | regex.ASCII,
)
_GENERIC_ERROR_LINE = regex.compile(r"(?:^|\s)\w*(?:Error|Exception)\s*:\s*(?P<msg>[^\n]+)")

# Wrapper pieces a client puts in front of a message that was not quoted.
_LEADING_NOISE = regex.compile(
    r"^(?:(?:[\w$]+\.)*\w*(?:Exception|Error)\w*(?:\([^)\n]{0,80}\))?\s*:\s*"  # Foo.BarException:
    r"|\[[\w ]{1,40}\]\s*:?\s*"  # [BadRequest]:
    r"|'[\w ]{1,40}'\s+-\s+"  # 'Bad Request' -
    r"|\(?[\"'`]"  # ("message") or `message`
    r"|(?://|#)\s+"  # a comment marker: the line was quoted from source code
    r")+"
)
_HTTP_STATUS_LEAD = (
    r"(?:\bHTTP status(?: code)?:?\s*|\bstatus\W{0,3}[=:]\s*|_httpcode\W{0,3}:\s*"
    r"|<Response \[|\bbinance\w*\s+)"
)
_HTTP_STATUS = regex.compile(_HTTP_STATUS_LEAD + r"(?P<status>[1-5]\d\d)\b", regex.IGNORECASE)
# Every place where a status could start, whatever the digits (see digit_blind_span).
_HTTP_STATUS_PLACES = regex.compile(rf"(?<={_HTTP_STATUS_LEAD})\d", regex.IGNORECASE)
_TRAILING_HTTP = regex.compile(r"\s*\(HTTP status(?: code)?:?\s*(?P<status>\d{3})\)\s*$", regex.IGNORECASE)
# "(placeOrder)": the client call that failed, not part of the server's text.
_TRAILING_CALL = regex.compile(r"\s+\((?P<call>[A-Za-z_][\w.]{0,60})\)\s*$")
_TRAILING_PAIRS = regex.compile(r"(?:\s+[A-Za-z_]\w{0,40}=[^\s=]{0,200})+\s*$")
_PAIR = regex.compile(r"(?P<k>[A-Za-z_]\w{0,40})=(?P<v>[^\s=]{0,200})")
_TRAILING_EMPTY_KEY = regex.compile(r"[,;]\s*[A-Za-z_]\w{0,40}\s*[:=]\s*$")
_NEXT_PAIR = regex.compile(r",?\s+[A-Za-z_]\w{0,40}=")
# What separates a code from the message that follows it: `code=-1013): ` or `-1013, `.
_AFTER_CODE = regex.compile(r"^[\"'`]?\)?\s*[:,\-]?\s*")
_LINE_BREAK = regex.compile(r"\s*\n\s*")
# The inside of a quoted value: anything but the quote, a backslash and what it escapes,
# or a backslash that ends the text.
_QUOTED_BODY = {quote: re.compile(rf"(?:[^{quote}\\]|\\.|\\\Z)*", re.DOTALL) for quote in "\"'`"}

# Anchored, bounded and without nested repetition: the standard engine, which has a
# much lower cost per call on this hot path, cannot backtrack badly on it.
LEADING_TIMESTAMP = re.compile(
    r"^[^\w\n]{0,4}(?P<ts>"
    r"\d{4}[-/.]\d{2}[-/.]\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:[.,:]\d{1,9})?)?"
    r"(?:\s?(?:Z|UTC|[+-]\d{2}:?\d{2})(?![\d:]))?"
    r"|1\d{9}(?:\d{3})?(?:\.\d{1,6})?(?!\d)"
    r")"
)

_JSON_ESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/", "\\": "\\", '"': '"', "'": "'",
}  # fmt: skip


def _search(pattern: regex.Pattern[str], text: str) -> regex.Match[str] | None:
    """``pattern.search(text)``, with a time limit on a long text only.

    Setting a limit costs more than a whole search of a log line (the engine reads the
    clock, and even ``timeout=None`` costs a keyword argument's parsing), and a short text
    cannot take long even in a pattern's worst case; the limit stays for the long ones,
    where a surprise in a pattern would show.
    """
    if len(text) <= _UNGUARDED_TEXT:
        return pattern.search(text)
    return pattern.search(text, timeout=_LONG_TEXT_SECONDS)


def _finditer(pattern: regex.Pattern[str], text: str) -> Iterator[regex.Match[str]]:
    """``pattern.finditer(text)``, with a time limit on a long text only (see `_search`)."""
    if len(text) <= _UNGUARDED_TEXT:
        return pattern.finditer(text)
    return pattern.finditer(text, timeout=_LONG_TEXT_SECONDS)


def leading_timestamp(text: str) -> str | None:
    """The date-time (ISO-like, or epoch seconds/milliseconds) that starts ``text``."""
    m = LEADING_TIMESTAMP.match(text)
    return m.group("ts") if m else None


def find_error(text: str) -> FoundError | None:
    """Locate a Binance error (code and/or message) in ``text``, or ``None``.

    Never raises: any input that is not a string, or that defeats every
    mechanism, gives ``None``. The ``extras`` dict of a result may be shared with
    other results (results are cached) and must not be modified.
    """
    try:
        if not isinstance(text, str):
            return None
        text = text[:MAX_TEXT]
        ts_match = LEADING_TIMESTAMP.match(text)
        if ts_match is None:
            return _find_in_tail(text)
        # Log lines repeat the same error behind ever-changing time stamps: the rest
        # of the line is what the (cached) search looks at.
        found = _find_in_tail(text[ts_match.end("ts") :])
        if found is None:
            return None
        return FoundError(found.code, found.msg, found.extras, ts_match.group("ts"), found.form)
    except (TimeoutError, ValueError, RecursionError, MemoryError):
        return None


@lru_cache(maxsize=TAIL_CACHE_SIZE)
def _find_in_tail(text: str) -> FoundError | None:
    found = _find(text)
    if found is None:
        return None
    status = _search(_HTTP_STATUS, text)
    if status is not None and "http_status" not in found.extras:
        return FoundError(
            found.code, found.msg, {**found.extras, "http_status": status.group("status")}, None, found.form
        )
    return found


_EPOCH_REACH = 5
"""LEADING_TIMESTAMP tests the value of one digit: an epoch stamp's leading 1, which sits
within the first five characters (after at most four that are not word characters)."""


def digit_blind_span(text: str, msg: str) -> tuple[int, int] | None:
    """The span of ``msg`` in ``text`` when every text that differs from ``text`` only in the
    ASCII digits inside that span holds, for `find_error`, the same error with those digits
    in its message; otherwise None.  ``msg`` is the message find_error found in ``text``.

    Scanners use it to read a line once for all the lines that differ from it in the
    numbers of their message (ticket numbers, amounts, limits).  Every pattern here tests
    a digit with a class that takes any digit alike (\\d, \\w, [0-9]), so where a match
    can start and end does not depend on digit values, except in three places, each
    ruled out for the span: a code key's value (compared and kept as a number), the first
    digit of an HTTP status ([1-5]) and the leading 1 of an epoch time stamp.  A code read
    without a key sits before or after the message, never inside it.  A body inside a
    string literal is vouched for as the search reads it, unescaped, where nothing is
    left to decode and the message's bytes are the line's.  Text longer than the searches
    run without a time limit is not vouched for, nor a message found twice.
    """
    if not msg or len(text) > _UNGUARDED_TEXT or not text.isascii() or "\\" in msg:
        return None
    start = text.find(msg)
    if start < _EPOCH_REACH or text.find(msg, start + 1) >= 0:
        return None
    end = start + len(msg)
    stamp = LEADING_TIMESTAMP.match(text)
    offset = stamp.end("ts") if stamp is not None else 0
    if start < offset:
        return None
    # In the coordinates of the text the search reads (the line after its time stamp).
    tail = text[offset:]
    first, last = start - offset, end - offset
    if "\\" in tail:
        # A body inside a string literal: the search reads it unescaped, which only drops
        # backslashes (before a quote, a slash or a backslash), never a digit, whatever
        # the digits are.  Vouched for when nothing is left to decode in what it reads (a
        # \\u escape's digits are a character's), the message is there once, with its
        # bytes as in the line, and no digit test there falls in it.  The status that
        # goes into the record's extras is looked for in the text as it is.
        if _blind_fails(tail, first, last, _HTTP_STATUS_PLACES):
            return None
        tail = _unescaped(tail)
        first = tail.find(msg)
        if "\\" in tail or first < 0 or tail.find(msg, first + 1) >= 0:
            return None
        last = first + len(msg)
    if _blind_fails(tail, first, last, _CODE_KEY, "code") or _blind_fails(tail, first, last, _HTTP_STATUS_PLACES):
        return None
    return start, end


def _blind_fails(text: str, first: int, last: int, pattern: regex.Pattern[str], group: str | None = None) -> bool:
    """Whether a match of ``pattern`` (its ``group``, or the three digits at its start) meets
    ``text[first:last]``: a place where the value of a digit counts."""
    for found in pattern.finditer(text):
        start, end = found.span(group) if group is not None else (found.start(), found.start() + 3)
        if start < last and first < end:
            return True
    return False


# Where a log names the request that failed: a URL key (`"_url":"https:\/\/..."`,
# `url=...`, `'request_url': '...'`, `requestUri: ...`) or an HTTP method followed by the
# URL or the path (`POST https://fapi.binance.com/fapi/v1/order`, `GET /api/v3/order`).
# The value may be escaped in a string literal (`\/`); it stops at a space or a quote.
_URL_CHARS = r"(?:[^\s\"'`<>\\]|\\+/){1,2048}"
_REQUEST_URL = regex.compile(
    r"(?<![\w$.\-])[\"'`\\]{0,4}(?i:(?:request_?|req_?|_)?ur[il])[\"'`\\]{0,4}\s*(?::|=>|=)\s*[\"'`\\]{0,4}"
    rf"(?P<keyed>{_URL_CHARS})"
    rf"|(?<![\w\-])(?:GET|POST|PUT|DELETE|PATCH)\s+[\"'`]?(?P<method>(?:https?://|/)(?:[^\s\"'`<>\\]){{1,2048}})",
    regex.ASCII,
)
_ESCAPED_SLASH = regex.compile(r"\\+/")
_URL_TAIL = ".,;:)]}"


def find_request_url(text: str) -> str | None:
    r"""The URL (or path) of the failed request, where ``text`` names it plainly, or ``None``.

    Only two forms count, because a URL quoted anywhere else in a line (a link to the
    documentation, a web hook, a proxy) says nothing about the API that answered: the
    value of a ``url``/``uri`` key (``_url``, ``request_url``, ``requestUri``, in JSON,
    a repr or ``key=value``), and an HTTP method followed by the URL or path
    (``POST https://fapi.binance.com/fapi/v1/order``, ``GET /api/v3/order``). The first
    one wins. A URL with a host is kept only when the host is Binance's (``binance`` in
    its name); a path alone is kept as it is, for
    :func:`binance_errors.products.product_from_url` to judge. Escaped slashes (``\/``)
    are undone. Never raises.

    >>> find_request_url(r'{"code":-1021,"_url":"https:\/\/api.binance.com\/api\/v3\/account"}')
    'https://api.binance.com/api/v3/account'
    >>> find_request_url("POST /fapi/v1/order failed: -4003 Quantity less than zero.")
    '/fapi/v1/order'
    >>> find_request_url("see https://fapi.binance.com/fapi/v1/order for details") is None
    True
    """
    try:
        if not isinstance(text, str):
            return None
        text = text[:MAX_TEXT]
        for m in _finditer(_REQUEST_URL, text):
            url = _request_url(m.group("keyed") or m.group("method"))
            if url is not None:
                return url
    except (TimeoutError, ValueError, RecursionError, MemoryError):
        return None
    return None


def _request_url(value: str) -> str | None:
    url = _ESCAPED_SLASH.sub("/", value).rstrip(_URL_TAIL)
    if url.startswith("/") and not url.startswith("//"):
        return url
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    return url if "binance" in host else None


def _find(text: str) -> FoundError | None:
    if might_hold_error(text) is None:
        return None
    text = _unescaped(text)
    return _keyed(text) or _bare_code(text) or _exception(text)


def _unescaped(text: str) -> str:
    """``text`` with a body inside a string literal (``\\"code\\"``) unescaped, a level at a time."""
    for _ in range(_MAX_UNESCAPE_LEVELS):
        if _ESCAPED_KEY.search(text) is None:
            break
        text = _ONE_ESCAPE.sub(r"\1", text)
    return text


def _keyed(text: str) -> FoundError | None:
    msg_m = _search(_MSG_KEY, text)
    code_m = _pick_code(text, has_msg_key=msg_m is not None)
    code = int(code_m.group("code")) if code_m else None
    msg: str | None = None
    extras: dict[str, str] = {}
    msg_quoted = False
    if msg_m is not None:
        msg, msg_quoted, extras = _read_value(text, msg_m.end())
    if code_m is not None and msg is None:
        # APIError(code=-1013): Filter failure: LOT_SIZE -- the message follows the code.
        rest = text[code_m.end() :]
        rest = _AFTER_CODE.sub("", rest, count=1)
        line = rest.split("\n", 1)[0]
        msg, extras = _clean_unquoted(line)
        if not msg:
            generic = _GENERIC_ERROR_LINE.search(text)
            if generic is not None:
                msg, extras = _clean_unquoted(generic.group("msg"))
    if code is None:
        if msg_m is None or not msg:
            return None
        if _search(_CODE_KEY, text) is not None:
            # {"code":200,"msg":"success"}: the body names its code, and it is no error.
            return None
        # "msg=started" in an application log is not a Binance body: without a code,
        # the key or the value must be quoted like a serialized object.
        if not (msg_m.group("mq") or msg_quoted):
            return None
    return FoundError(code, msg or "", extras, form="keyed")


def _pick_code(text: str, *, has_msg_key: bool) -> regex.Match[str] | None:
    """The first ``code`` key holding an error code.

    Non-negative values are HTTP statuses (``Code: 400``) or success markers, except
    the WebSocket stream control codes (0-3), which always come with a message key.
    """
    for m in _finditer(_CODE_KEY, text):
        value = int(m.group("code"))
        if value < 0 or (value < 100 and has_msg_key):
            return m
    return None


def _read_value(text: str, start: int) -> tuple[str, bool, dict[str, str]]:
    """The value that starts at ``start``: (message, was quoted, extras)."""
    if start < len(text) and text[start] in "\"'`":
        quote = text[start]
        body = _QUOTED_BODY[quote].match(text, start + 1)
        raw = body.group() if body is not None else ""
        # A truncated body has no closing quote: keep what is there, on one line.
        return _decode_escapes(raw, quote), True, {}
    if text.startswith("null", start):
        return "", False, {}
    line = text[start:].split("\n", 1)[0]
    cut = _NEXT_PAIR.search(line)
    extras: dict[str, str] = {}
    if cut is not None:
        extras.update(_pairs(line[cut.start() :]))
        line = line[: cut.start()]
    msg, more = _clean_unquoted(line)
    extras.update(more)
    return msg, False, extras


def _decode_escapes(raw: str, quote: str) -> str:
    if "\\" not in raw:
        # Nothing escaped (the usual case): only line breaks to fold.
        return (_LINE_BREAK.sub(" ", raw) if "\n" in raw else raw).strip()
    if quote == '"' and "\\'" in raw:
        # JSON never escapes a single quote: this JSON text was itself printed
        # as a single-quoted string literal, so one level of escaping comes first.
        raw = _ONE_ESCAPE.sub(r"\1", raw)
    out: list[str] = []
    i = 0
    n = len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\\" and i + 1 < n:
            nxt = raw[i + 1]
            if nxt == "u" and i + 6 <= n:
                try:
                    out.append(chr(int(raw[i + 2 : i + 6], 16)))
                    i += 6
                    continue
                except ValueError:
                    pass
            if nxt in _JSON_ESCAPES:
                out.append(_JSON_ESCAPES[nxt])
                i += 2
                continue
            out.append(ch)
            i += 1
            continue
        out.append(ch)
        i += 1
    # A message broken over lines by a wrapping log is one sentence.
    joined: str = _LINE_BREAK.sub(" ", "".join(out))
    return joined.strip()


def _pairs(text: str) -> dict[str, str]:
    return {m.group("k"): m.group("v").rstrip(",") for m in _PAIR.finditer(text)}


def _clean_unquoted(msg: str) -> tuple[str, dict[str, str]]:
    """Trim what loggers and clients add around a message that was not quoted."""
    extras: dict[str, str] = {}
    msg = msg.strip()
    m = _LEADING_NOISE.match(msg)
    if m is not None:
        msg = msg[m.end() :]
    for _ in range(3):
        before = msg
        m = _TRAILING_HTTP.search(msg)
        if m is not None:
            extras["http_status"] = m.group("status")
            msg = msg[: m.start()]
        m = _TRAILING_CALL.search(msg)
        if m is not None:
            extras["context"] = m.group("call")
            msg = msg[: m.start()]
        m = _TRAILING_PAIRS.search(msg)
        if m is not None and m.start() > 0:
            extras.update(_pairs(m.group(0)))
            msg = msg[: m.start()]
        m = _TRAILING_EMPTY_KEY.search(msg)
        if m is not None:
            msg = msg[: m.start()]
        msg = _strip_closers(msg)
        if msg == before:
            break
    return msg, extras


_OPENER = {")": "(", "]": "[", "}": "{"}


def _strip_closers(msg: str) -> str:
    msg = msg.strip()
    while msg:
        last = msg[-1]
        if last in "。，" and len(msg) > 1 and msg[-2] in "\"'`":
            # `-2015 Invalid API-key ...`。 -- punctuation of the sentence around a quote.
            msg = msg[:-1]
        elif (last in "\"'`" and msg.count(last) % 2 == 1) or (
            last in _OPENER and msg.count(last) > msg.count(_OPENER[last])
        ):
            # An unbalanced closer belongs to the wrapper, a balanced one to the message.
            msg = msg[:-1].rstrip()
        else:
            break
    return msg


def _bare_code(text: str) -> FoundError | None:
    m = _search(_TRAILING_CODE, text)
    if m is not None and m.start() > 0:
        msg, extras = _clean_unquoted(text[: m.start()])
        if msg:
            return FoundError(int(m.group("code")), msg, extras, form="bare_code")
    for m in _finditer(_BARE_CODE, text):
        msg, extras = _clean_unquoted(m.group("msg"))
        if msg:
            return FoundError(int(m.group("code")), msg, extras, form="bare_code")
    return None


def _exception(text: str) -> FoundError | None:
    m = _search(_EXCEPTION_PREFIX, text)
    if m is None:
        return None
    msg, extras = _clean_unquoted(m.group("msg"))
    if not msg:
        return None
    return FoundError(None, msg, extras, form="exception")

"""binance-errors: turn raw Binance API error responses into structured records.

>>> rec = normalize(-1003, "Too much request weight used; current limit is 1200 request weight "
...                        "per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.")
>>> rec.name, rec.template_id, rec.raw_args, rec.match
('TOO_MANY_REQUESTS', '-1003.2', ('1200', '1 MINUTE'), 'template')
>>> rec.args["limit"], rec.args["interval"]
(1200, datetime.timedelta(seconds=60))
>>> normalize_payload(b'{"code": -2010, "msg": "Account has insufficient balance for requested action."}').subtype
'INSUFFICIENT_BALANCE'
"""

from __future__ import annotations

from binance_errors.catalog import Catalog, CatalogError, default_catalog, load_catalog
from binance_errors.normalizer import Normalizer
from binance_errors.products import product_from_url
from binance_errors.record import ErrorRecord

__all__ = [
    "Catalog",
    "CatalogError",
    "ErrorRecord",
    "Normalizer",
    "default_catalog",
    "extract",
    "load_catalog",
    "normalize",
    "normalize_payload",
]
__version__ = "0.1.0"

_default = Normalizer()


def normalize(code: object, msg: object, product: str | None = None) -> ErrorRecord:
    """Normalize one Binance error (code and message as received); never raises for any code
    or message.  ``product`` names the API that answered (``"spot"``, ``"usdm"``, ...)."""
    return _default.normalize(code, msg, product)


def normalize_payload(payload: object, product: str | None = None, *, url: str | None = None) -> ErrorRecord:
    """Normalize an error body: a dict, or JSON text or bytes; never raises for bad bodies.
    ``product`` names the API that answered, or ``url`` (the request's URL) tells it.

    >>> normalize_payload({"code": -4003, "msg": "Quantity less than zero."},
    ...                   url="https://fapi.binance.com/fapi/v1/order").name
    'QTY_LESS_THAN_ZERO'
    """
    return _default.normalize_payload(payload, product, url=url)


def extract(text: str, product: str | None = None) -> ErrorRecord | None:
    """The first Binance error in a line of text, normalized; ``None`` when there is none.

    The text may be a body (``{"code":-1013,"msg":"..."}``, escaped, cut, or as a Python
    dict) or a client's wrapper around one (``APIError(code=-1013): ...``,
    ``binance {"code":...}``, ``-2011 Unknown order sent.``); a time stamp or an HTTP
    status around it is not part of the message. ``product`` names the API that answered,
    as for :func:`normalize`. Without it, a request URL in the same text decides, through
    :func:`binance_errors.products.product_from_url`, but only where the text names the
    request plainly (:func:`binance_errors.finder.find_request_url`: the value of a
    ``url``/``_url``/``uri`` key, or an HTTP method followed by the URL or path, and a host
    that is Binance's); a URL mentioned any other way is ignored and the message decides.
    Never raises for any text; an unknown ``product`` name raises :class:`CatalogError`,
    as :func:`normalize` does.

    >>> rec = extract("binance.exceptions.BinanceAPIException: APIError(code=-1013): Filter failure: LOT_SIZE")
    >>> rec.code, rec.message, rec.subtype
    (-1013, 'Filter failure: LOT_SIZE', 'LOT_SIZE')
    >>> line = 'POST https://fapi.binance.com/fapi/v1/order -> {"code":-4003,"msg":"Quantity less than zero."}'
    >>> extract(line).product, extract(line).name
    ('usdm', 'QTY_LESS_THAN_ZERO')
    >>> extract("2024-01-01 12:00:00 INFO order placed") is None
    True
    """
    # Imported on first use: the finder needs the `regex` module, which costs a noticeable
    # part of the package's start-up time and which normalize() alone does not need.
    from binance_errors.finder import find_error, find_request_url  # noqa: PLC0415

    found = find_error(text)
    if found is None:
        return None
    if product is None:
        url = find_request_url(text)
        inferred = product_from_url(url) if url is not None else None
        # Every product the URL can name has a catalog; a normalizer without it ignores the URL.
        product = inferred if inferred in _default.products else None
    return _default.normalize(found.code, found.msg, product)

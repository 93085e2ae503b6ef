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
from binance_errors.record import ErrorRecord

__all__ = [
    "Catalog",
    "CatalogError",
    "ErrorRecord",
    "Normalizer",
    "default_catalog",
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


def normalize_payload(payload: object, product: str | None = None) -> ErrorRecord:
    """Normalize an error body: a dict, or JSON text or bytes; never raises for bad bodies."""
    return _default.normalize_payload(payload, product)

"""Errors the catalog does not know: for testing the fallback paths of a caller."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from binance_errors import normalize
from binance_errors.strategies._cases import catalogs, check_product

# Messages seen from Binance endpoints that the error-code pages do not list.
UNKNOWN_MESSAGES = (
    "System is under maintenance.",
    "This IP cannot access this route.",
    "Service unavailable from a restricted location.",
    "Unsupported operation for this account type.",
    "The request was rejected by the risk engine.",
)
_WORDS = ("upstream", "gateway", "shard", "quota", "maintenance", "route", "node", "cluster", "token")


def unknown_payloads(product: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Bodies whose code ``product``'s catalog (every catalog, when None) does not document and
    whose message `normalize` matches to nothing there."""

    def unknown_code(code: int) -> bool:
        return not any(code in catalog.codes for name, catalog in catalogs().items() if product in (None, name))

    def unmatched(payload: dict[str, Any]) -> bool:
        # The definition of "unknown" is normalize's, so the guarantee holds for whatever catalog
        # and matching rules are installed, fuzzy matching included.
        return normalize(payload["code"], payload["msg"], product).match == "unknown"

    def build() -> st.SearchStrategy[dict[str, Any]]:
        check_product(product)
        codes = st.integers(-99_999, -1).filter(unknown_code)
        invented = st.lists(st.sampled_from(_WORDS), min_size=2, max_size=6).map(
            lambda words: " ".join(words).capitalize() + "."
        )
        messages = st.one_of(st.sampled_from(UNKNOWN_MESSAGES), invented)
        payloads = st.builds(lambda code, msg: {"code": code, "msg": msg}, codes, messages)
        return payloads.filter(unmatched)

    return st.deferred(build)

"""Errors the catalog does not know: for testing the fallback paths of a caller."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from binance_errors import normalize
from binance_errors.strategies._cases import catalog

# Messages seen from Binance endpoints that the error-code pages do not list.
UNKNOWN_MESSAGES = (
    "System is under maintenance.",
    "This IP cannot access this route.",
    "Service unavailable from a restricted location.",
    "Unsupported operation for this account type.",
    "The request was rejected by the risk engine.",
)
_WORDS = ("upstream", "gateway", "shard", "quota", "maintenance", "route", "node", "cluster", "token")


def _unknown_code(code: int) -> bool:
    return code not in catalog().codes


def _unmatched(payload: dict[str, Any]) -> bool:
    # The definition of "unknown" is normalize's, so the guarantee holds for whatever catalog
    # and matching rules are installed, including fuzzy matching added later.
    return normalize(payload["code"], payload["msg"]).match == "unknown"


def unknown_payloads() -> st.SearchStrategy[dict[str, Any]]:
    codes = st.integers(-99_999, -1).filter(_unknown_code)
    invented = st.lists(st.sampled_from(_WORDS), min_size=2, max_size=6).map(
        lambda words: " ".join(words).capitalize() + "."
    )
    messages = st.one_of(st.sampled_from(UNKNOWN_MESSAGES), invented)
    payloads = st.builds(lambda code, msg: {"code": code, "msg": msg}, codes, messages)
    return payloads.filter(_unmatched)

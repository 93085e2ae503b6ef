"""Writing TOML by hand, in the layout of the reviewed catalog files.

A general TOML writer would reorder keys and tables; a catalog is read in diffs, so the
draft keeps the files' own layout: one ``[[code]]`` after another, keys in a fixed order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def quote(text: str) -> str:
    # A JSON string (without ASCII escaping) is a valid TOML basic string.
    return json.dumps(text, ensure_ascii=False)


def value(item: Any) -> str:
    if isinstance(item, str):
        return quote(item)
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, Mapping):
        return "{ " + ", ".join(f"{key} = {value(inner)}" for key, inner in item.items()) + " }"
    if isinstance(item, Iterable):
        return "[" + ", ".join(value(inner) for inner in item) + "]"
    raise TypeError(f"no TOML form for {item!r}")


def table(header: str, pairs: Iterable[tuple[str, Any]], comments: Mapping[str, Sequence[str]] | None = None) -> str:
    """``[header]`` or ``[[header]]`` (give the brackets) and its ``key = value`` lines;
    pairs whose value is None are left out.  ``comments`` are comment lines (``# ...``) to
    write right above a key's line."""
    lines = [header]
    for key, item in pairs:
        if item is not None:
            lines += (comments or {}).get(key, ())
            lines.append(f"{key} = {value(item)}")
    return "\n".join(lines) + "\n"

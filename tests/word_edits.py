"""Messages with words dropped, replaced or added: the fuzzy last resort's domain."""

from __future__ import annotations

from hypothesis import strategies as st


def edit_words(draw: st.DrawFn, text: str, word: st.SearchStrategy[str], edits: int) -> str:
    """``text`` after ``edits`` edits, each at a drawn place: a word from ``word`` inserted or
    put in place of one, or a word dropped."""
    pieces = text.split()
    for _ in range(edits):
        position = draw(st.integers(0, len(pieces)))
        action = draw(st.sampled_from(["insert", "replace", "drop"]))
        new = draw(word)
        if action == "insert" or not pieces:
            pieces.insert(position, new)
        elif action == "replace":
            pieces[min(position, len(pieces) - 1)] = new
        else:
            del pieces[min(position, len(pieces) - 1)]
    return " ".join(pieces)

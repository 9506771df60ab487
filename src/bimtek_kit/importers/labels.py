"""The words bimtek-kit itself prints on boxes and openings, in every label set, so a document
it exported (or one written to the same pattern) maps back to the same directives."""

from __future__ import annotations

from functools import cache
from typing import Any

from bimtek_kit.themes import load_theme


@cache
def label_sets() -> tuple[Any, ...]:
    return tuple(load_theme("default", None, language).labels for language in ("id", "en"))


@cache
def box_kinds() -> dict[str, str]:
    """Lowercased box label -> directive name."""
    kinds: dict[str, str] = {}
    for labels in label_sets():
        kinds.update({label.lower(): kind for kind, label in labels["activity"].items()})
        kinds.update({label.lower(): ("info" if kind == "box" else kind)
                      for kind, label in labels["callout"].items()})
        kinds[labels["summary"].lower()] = "rangkuman"
        kinds[labels["facilitator_notes"].lower()] = "catatan"
        kinds[labels["answer_key"].lower()] = "kunci"
        kinds[labels["discussion_pointers"].lower()] = "kunci"
    return kinds


def words(key: str) -> set[str]:
    """A label's text in every language, lowercased (`words("objectives")`)."""
    return {str(labels[key]).lower() for labels in label_sets()}

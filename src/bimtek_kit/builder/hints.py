"""Style and pedagogy hints (DESIGN §3): warnings, errors with `--strict`.

Each names the line to fix. They catch what a new author does by habit or leaves behind:
text outside any section, kramdown attribute lines, the `new-module` placeholder text, a bank
whose key is nearly always the longest option, an objective nothing in the module practises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bimtek_kit.errors import Diagnostics, Loc

SCAFFOLD_PHRASES = (
    "Tuliskan di sini",
    "Tuliskan uraian materi",
    "Poin kunci pertama",
    "Butir rangkuman pertama",
    "| Contoh situasi |",
    "Jawaban memuat …",
    "Contoh yang baik menyebutkan …",
    "Uraikan latar kasus",
    "Tuliskan narasi kasus di sini",
    "Pokok bahasan yang perlu muncul: …",
    "Tuliskan satu paragraf deskripsi singkat modul",
    "menjelaskan konsep utama materi ini",
)
"""Placeholder text that `bimtek new-module` writes (commands/scaffold.py); a test keeps the two
in step."""

KRAMDOWN_ATTRIBUTES = re.compile(r"^\s*\{:[^}]*\}\s*$")
MIN_OBJECTIVES, MAX_OBJECTIVES = 3, 5
LONGEST_KEY_SHARE = 0.4
"""Warn when the key is the (unique) longest option in more than this share of a bank's
multiple-choice items: test-wise participants pick the longest answer."""


def scaffold_leftovers(text: str, loc: Loc, diagnostics: Diagnostics) -> None:
    """One warning per file, at the first placeholder line `new-module` left in it."""
    hits = [
        (number, phrase)
        for number, line in enumerate(text.split("\n"), start=1)
        for phrase in SCAFFOLD_PHRASES
        if phrase in line
    ]
    if not hits:
        return
    line, phrase = hits[0]
    more = f" ({len(hits) - 1} more below)" if len(hits) > 1 else ""
    diagnostics.warning(
        loc.at(line),
        f"placeholder text from 'bimtek new-module' ('{phrase.strip('| ')}') is still here{more}: "
        "replace it with the module's own content",
    )


def objective_count(count: int, loc: Loc, diagnostics: Diagnostics) -> None:
    if MIN_OBJECTIVES <= count <= MAX_OBJECTIVES:
        return
    diagnostics.warning(
        loc,
        f"{count} objective{'s' if count != 1 else ''}: a module usually has "
        f"{MIN_OBJECTIVES} to {MAX_OBJECTIVES} (split the module or merge objectives)",
    )


def longest_option_is_key(options: list[tuple[list[str], str]]) -> int:
    """How many items' key is the one strictly longest option; items are (options, letter)."""
    count = 0
    for texts, letter in options:
        lengths = [len(t.strip()) for t in texts]
        index = ord(letter) - ord("A")
        if 0 <= index < len(lengths) and lengths.count(max(lengths)) == 1:
            count += lengths[index] == max(lengths)
    return count


_WORD = re.compile(r"[a-zA-ZÀ-ÿ]+")
_STOP_WORDS = (
    "yang dan untuk dengan dalam pada serta secara dari atau oleh bagi para ini itu tersebut "
    "akan dapat mampu peserta sesuai antara sebagai kepada terhadap melalui tentang setiap "
    "the and for with from into that this which their"
)
_STOP = frozenset(_STOP_WORDS.split())


def content_words(text: str) -> set[str]:
    """Words that carry meaning, cut to a 5-letter stem so 'komunikasi'/'komunikatif' meet."""
    words = (w.lower() for w in _WORD.findall(text))
    return {w[:5] for w in words if len(w) >= 4 and w not in _STOP}


def unpractised_objectives(
    objectives: Iterable[str], practised: Iterable[str]
) -> list[int]:
    """Indexes of objectives sharing no content word (past the leading verb) with any section,
    activity or question of the module."""
    seen = set().union(*(content_words(text) for text in practised))
    missing = []
    for index, objective in enumerate(objectives):
        words = content_words(" ".join(objective.split()[1:]))
        if words and not words & seen:
            missing.append(index)
    return missing

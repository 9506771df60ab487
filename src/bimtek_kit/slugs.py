"""Safe identifiers and file names made from titles (DESIGN §7)."""

from __future__ import annotations

import re
import unicodedata

_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}
MAX_SLUG = 60


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """Return lowercase ASCII words joined by `-`: diacritics stripped, nothing else kept.

    The result never contains `/`, `..`, NUL or a Windows reserved name, so it is always a
    safe file name; it may be empty when `text` has no Latin letters or digits.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = "-".join(words)
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    if slug in _RESERVED:
        slug = f"{slug}-1"
    return slug


def is_safe_id(text: str) -> bool:
    """True when `text` is already a slug (what `slugify` would return unchanged)."""
    return bool(text) and slugify(text) == text

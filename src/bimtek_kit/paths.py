"""Where the built-in themes, default course and starter course live.

In an installed wheel they are package data (`bimtek_kit/data/…`, force-included by hatch); in
a source checkout they are the top-level `themes/`, `content/` and `starter/` folders.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def _data_root() -> Path:
    packaged = _PACKAGE / "data"
    return packaged if (packaged / "themes").is_dir() else _PACKAGE.parents[1]


def builtin_themes_dir() -> Path:
    return _data_root() / "themes"


def starter_course_dir() -> Path:
    return _data_root() / "starter"


def default_course_dir() -> Path:
    """The bundled default course (the repository root in a checkout)."""
    root = _data_root()
    return root / "course" if (root / "course").is_dir() else root

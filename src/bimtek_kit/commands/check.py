"""`bimtek check`: load and validate every source, write nothing."""

from __future__ import annotations

from pathlib import Path

from bimtek_kit.errors import ContentError, Diagnostics
from bimtek_kit.loader import load_course
from bimtek_kit.model import Course


def check(root: Path) -> tuple[Course | None, Diagnostics]:
    """Return the course (None when it has errors) and every diagnostic found."""
    diagnostics = Diagnostics()
    try:
        course = load_course(root, diagnostics)
    except ContentError:
        return None, diagnostics
    return course, diagnostics

"""The one resolver for every file a build reads besides the sources (DESIGN §7).

Images, logos and theme assets are accepted only when they resolve, after symlinks and `..`, to a
file inside one of the allowed roots (the project folder and the theme folders). URLs with any
scheme (`http:`, `file:`, `data:` …) and absolute paths are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class ResourceError(ValueError):
    """A reference that must not or cannot be loaded; the message is for the user."""


def resolve_resource(reference: str, base_dir: Path, roots: Iterable[Path]) -> Path:
    """Return the real path of `reference` (relative to `base_dir`) inside one of `roots`."""
    ref = reference.strip()
    if not ref:
        raise ResourceError("empty file reference")
    if _SCHEME.match(ref) or ref.startswith("//"):
        raise ResourceError(
            f"'{_short(ref)}' is a URL; only files inside the project are allowed "
            "(no network access during a build)"
        )
    if ref.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", ref):
        raise ResourceError(f"'{_short(ref)}' is an absolute path; use a path relative to the file")
    candidate = (base_dir / ref).resolve()
    real_roots = [root.resolve() for root in roots]
    if not any(candidate.is_relative_to(root) for root in real_roots):
        raise ResourceError(f"'{_short(ref)}' points outside the project folder")
    if not candidate.is_file():
        raise ResourceError(f"'{_short(ref)}' not found")
    return candidate


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")
"""Formats every output can embed (PDF and PPTX)."""
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
"""Larger images are refused: a decompression bomb must not exhaust memory (DESIGN §7)."""


def check_image(path: Path) -> None:
    """Refuse images of an unsupported format, too large a file or too many pixels."""
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise ResourceError(f"'{path.name}' is not a PNG, JPEG or GIF image")
    size = path.stat().st_size
    if size == 0:
        raise ResourceError(f"'{path.name}' is an empty file (0 bytes)")
    if size > MAX_IMAGE_BYTES:
        raise ResourceError(
            f"'{path.name}' is {size // 1024 // 1024} MB; images may be at most "
            f"{MAX_IMAGE_BYTES // 1024 // 1024} MB"
        )
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:  # reads the header only
            width, height = image.size
    except (UnidentifiedImageError, OSError) as exc:
        raise ResourceError(f"'{path.name}' cannot be read as an image ({exc})") from None
    if width * height > MAX_IMAGE_PIXELS:
        raise ResourceError(
            f"'{path.name}' has {width}×{height} pixels; at most "
            f"{MAX_IMAGE_PIXELS // 1_000_000} million are allowed"
        )


def is_inside(path: Path, roots: Iterable[Path]) -> bool:
    """True when `path` (after resolving symlinks) lies inside one of `roots`."""
    real = path.resolve()
    return any(real.is_relative_to(root.resolve()) for root in roots)


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."

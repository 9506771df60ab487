"""The one resolver for every file a build reads besides the sources (DESIGN §7).

Images, logos and theme assets are accepted only when they resolve, after symlinks and `..`, to a
file inside one of the allowed roots (the project folder and the theme folders). URLs with any
scheme (`http:`, `file:`, `data:` …) and absolute paths are refused.
"""

from __future__ import annotations

import os
import re
import stat
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
    if not path.is_file():
        raise ResourceError(f"'{path.name}' is not a regular file")
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        raise ResourceError(
            f"'{path.name}' is {size // 1024 // 1024} MB; images may be at most "
            f"{MAX_IMAGE_BYTES // 1024 // 1024} MB"
        )
    from PIL import Image, UnidentifiedImageError

    try:
        width, height = _header_size(path)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ResourceError(f"'{path.name}' cannot be read as an image ({exc})") from None
    if width * height > MAX_IMAGE_PIXELS:
        raise ResourceError(
            f"'{path.name}' has {width}×{height} pixels; at most "
            f"{MAX_IMAGE_PIXELS // 1_000_000} million are allowed"
        )


def _header_size(path: Path) -> tuple[int, int]:
    """Width and height from the image header, without decoding a single pixel.

    Pillow's own bomb guard is lifted for this header-only read so that a 20000×20000 PNG
    gets the same clear message (with its size) as a 9000×9000 one.
    """
    import warnings

    from PIL import Image

    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return image.size
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def read_regular_file(path: Path, limit: int) -> bytes:
    """Read at most `limit` bytes of a regular file; refuse devices, FIFOs and larger files.

    `st_size` is 0 for `/dev/zero` and a FIFO would block, so the file is opened without
    blocking, checked with `fstat` on the open descriptor, and read with a bound.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ResourceError(f"'{path.name}' is not a regular file (a device, FIFO or folder)")
        if info.st_size > limit:
            raise ResourceError(_too_big(path, info.st_size, limit))
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > limit:
        raise ResourceError(_too_big(path, total, limit))
    return b"".join(chunks)


def _too_big(path: Path, size: int, limit: int) -> str:
    return (
        f"'{path.name}' is larger than {limit // 1024 // 1024} MB "
        f"({size // 1024 // 1024} MB or more); the limit is {limit // 1024 // 1024} MB per file"
    )


def is_inside(path: Path, roots: Iterable[Path]) -> bool:
    """True when `path` (after resolving symlinks) lies inside one of `roots`."""
    real = path.resolve()
    return any(real.is_relative_to(root.resolve()) for root in roots)


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."

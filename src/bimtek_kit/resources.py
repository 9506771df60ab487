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
from urllib.parse import unquote

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class ResourceError(ValueError):
    """A reference that must not or cannot be loaded; the message is for the user."""


def resolve_resource(reference: str, base_dir: Path, roots: Iterable[Path]) -> Path:
    """Return the real path of `reference` (relative to `base_dir`) inside one of `roots`.

    Markdown percent-encodes link targets (`<images/foto rapat.png>` arrives as
    `images/foto%20rapat.png`), so the decoded name is tried when the name as written is not a
    file; both go through the same checks.
    """
    ref = reference.strip()
    if not ref:
        raise ResourceError("empty file reference")
    real_roots = [root.resolve() for root in roots]
    for attempt in dict.fromkeys([ref, unquote(ref)]):
        candidate = _checked_candidate(attempt, base_dir, real_roots)
        if candidate.is_file():
            return candidate
    raise ResourceError(f"'{_short(ref)}' not found")


def _checked_candidate(ref: str, base_dir: Path, real_roots: list[Path]) -> Path:
    if _SCHEME.match(ref) or ref.startswith("//"):
        raise ResourceError(
            f"'{_short(ref)}' is a URL; only files inside the project are allowed "
            "(no network access during a build)"
        )
    if ref.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", ref) or "\x00" in ref:
        raise ResourceError(f"'{_short(ref)}' is an absolute path; use a path relative to the file")
    candidate = (base_dir / ref).resolve()
    if not any(candidate.is_relative_to(root) for root in real_roots):
        raise ResourceError(f"'{_short(ref)}' points outside the project folder")
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
    if size == 0:
        raise ResourceError(f"'{path.name}' is an empty file (0 bytes)")
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


_RAW_TAGS_REFUSED = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "meta", "base",
    "form", "link", "style", "svg", "math", "template", "portal", "noscript",
})
_RAW_LOADS = frozenset({"src", "srcset", "poster", "data", "background", "xlink:href"})
_RAW_LINKS = frozenset({"href", "action", "formaction", "cite", "longdesc", "ping"})
_SAFE_LINK = re.compile(r"^(https?:|mailto:|#|[^:]*$)", re.IGNORECASE)


def raw_html_problems(html: str, base_dir: Path, roots: Iterable[Path]) -> list[str]:
    """What in a raw HTML block (`allow_html: true`) would act beyond showing text.

    Found at load time so the message names the module's line, not the stylesheet WeasyPrint
    was reading when it refused a fetch. Refused: active or navigating elements (`<script>`,
    `<meta http-equiv=refresh>`, `<base>`, `<form>` …), event handlers, inline CSS that loads,
    links with a script scheme, and any resource outside the project.
    """
    from html.parser import HTMLParser

    problems: list[str] = []
    roots = tuple(roots)

    class Scanner(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in _RAW_TAGS_REFUSED:
                problems.append(f"raw HTML: <{tag}> is not allowed (only text markup)")
            for name, value in attrs:
                _check_attribute(tag, name, value or "", base_dir, roots, problems)

    scanner = Scanner(convert_charrefs=True)
    scanner.feed(html)
    scanner.close()
    return list(dict.fromkeys(problems))


def _check_attribute(
    tag: str, name: str, value: str, base_dir: Path, roots: tuple[Path, ...], problems: list[str]
) -> None:
    value = value.strip()
    if name.startswith("on"):
        problems.append(f"raw HTML: <{tag} {name}=…> runs script and is not allowed")
    elif name == "style" and re.search(r"url\s*\(|@import|expression\s*\(", value, re.I):
        problems.append(f"raw HTML: <{tag} style=…> must not load anything (url(), @import)")
    elif name in _RAW_LINKS and value and not _SAFE_LINK.match(value):
        problems.append(f"raw HTML: <{tag} {name}='{_short(value)}'> is not a web or mail link")
    elif name in _RAW_LOADS and value:
        for reference in (value.split(",") if name == "srcset" else [value]):
            target = reference.strip().split(" ")[0]
            try:
                resolve_resource(unquote(target), base_dir, roots)
            except ResourceError as exc:
                problems.append(f"raw HTML: <{tag} {name}=…> {exc}")

"""Text measurement for slides: widths from real font metrics, line breaks like PowerPoint's.

A slide deck is only presentable when no text runs out of its box, and neither python-pptx nor
the .pptx format computes text extents: we must predict them. The slides font is Arial; this
machine has Liberation Sans (metric-compatible, so advance widths are identical) or DejaVu Sans
(wider, so a safe over-estimate). Widths are measured once per word and style at a large pixel size
with Pillow, stored in em units (size-independent), and cached; wrapping a paragraph is then a
cheap greedy pass over cached word widths, the same greedy algorithm PowerPoint and LibreOffice use.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bimtek_kit.model import Inline, Span

LINE_HEIGHT = 1.2
"""Line pitch in em at 100 % line spacing (PowerPoint's Arial: ~1.2; LibreOffice's: ~1.15)."""
WIDTH_SAFETY = 1.05
"""Measured widths are inflated by this factor: renderers differ in kerning and hinting."""
HEIGHT_SAFETY = 1.03
"""Measured heights are inflated by this factor, on top of the generous `LINE_HEIGHT`."""
FALLBACK_EM = 0.62
"""Average advance per character when no font file is found: wider than Arial, so safe."""

_REF_PX = 1000
_SANS_OK = ("liberation sans", "arimo", "arial", "dejavu sans")
_MONO_OK = ("liberation mono", "cousine", "courier new", "dejavu sans mono")
_WORD = re.compile(r"[^\s]+")

Style = tuple[bool, bool, bool]
"""(bold, italic, code): the properties of a run that change its width."""


@dataclass(frozen=True)
class Token:
    """A word (possibly spanning runs) with its width in em and what follows it."""

    width: float
    space: float
    """Width in em of the space after the word (0 at a hard break or paragraph end)."""
    hard_break: bool
    start: int
    end: int
    """Character offsets of the word in the paragraph's plain text."""


class FontMetrics:
    """Advance widths in em for the four sans styles and monospace, cached per word."""

    def __init__(self, sans_family: str = "Arial", mono_family: str = "Courier New") -> None:
        self._fonts: dict[Style, object | None] = {}
        for bold in (False, True):
            for italic in (False, True):
                self._fonts[(bold, italic, False)] = _load(sans_family, bold, italic, _SANS_OK)
                self._fonts[(bold, italic, True)] = _load(mono_family, bold, False, _MONO_OK)
        self._cache: dict[tuple[str, Style], float] = {}

    @property
    def exact(self) -> bool:
        """True when real font files were found (otherwise a per-character estimate is used)."""
        return self._fonts[(False, False, False)] is not None

    def em(self, text: str, style: Style) -> float:
        """Width of `text` in em (font size 1), inflated by `WIDTH_SAFETY`."""
        key = (text, style)
        width = self._cache.get(key)
        if width is None:
            font = self._fonts[style]
            if font is None:
                width = len(text) * FALLBACK_EM * WIDTH_SAFETY
            else:
                width = font.getlength(text) / _REF_PX * WIDTH_SAFETY  # type: ignore[attr-defined]
            self._cache[key] = width
        return width


def _load(family: str, bold: bool, italic: bool, accepted: tuple[str, ...]) -> object | None:
    """Find a metric-compatible (or wider) font file for `family` and open it with Pillow."""
    path = _shipped_file(family, bold, italic, accepted) or _font_file(family, bold, italic,
                                                                      accepted)
    if path is None:
        return None
    from PIL import ImageFont

    try:
        return ImageFont.truetype(str(path), _REF_PX)
    except OSError:
        return None


_SHIPPED = {"liberation sans": "LiberationSans", "liberation mono": "LiberationMono"}
"""Families the built-in theme ships in `themes/default/fonts/` (css/fonts.css): file stems."""


def _shipped_file(family: str, bold: bool, italic: bool,
                  accepted: tuple[str, ...]) -> Path | None:
    """The built-in theme's file for `family` or its metric twin (Arial -> Liberation Sans):
    the file the slide PDFs are drawn with (`pdf.fonts.theme_family`), so a slide wraps the
    same on every machine, with or without Liberation installed (issue #15); None for a family
    the theme does not ship (a template's Calibri is measured as before)."""
    from bimtek_kit.paths import builtin_themes_dir
    from bimtek_kit.render.pdf.fonts import METRIC_TWINS

    name = family.strip().lower()
    stem = _SHIPPED.get(METRIC_TWINS.get(name, name).lower())
    if stem is None or METRIC_TWINS.get(name, name).lower() not in accepted:
        return None
    style = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
             (True, True): "BoldItalic"}[(bold, italic)]
    path = builtin_themes_dir() / "default" / "fonts" / f"{stem}-{style}.ttf"
    return path if path.is_file() else None


@lru_cache(maxsize=32)
def _font_file(family: str, bold: bool, italic: bool, accepted: tuple[str, ...]) -> Path | None:
    """Ask fontconfig for `family`; accept it only if it is one whose widths we can trust."""
    if shutil.which("fc-match") is None:
        return None
    style = ":".join(s for s, on in (("bold", bold), ("italic", italic)) if on)
    for candidate in (family, *[a.title() for a in accepted]):
        pattern = f"{candidate}:{style}" if style else candidate
        try:
            result = subprocess.run(
                ["fc-match", "-f", "%{file}\n%{family}", pattern],
                capture_output=True, text=True, timeout=10, check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        file, _, families = result.stdout.partition("\n")
        names = [name.strip().lower() for name in families.split(",")]
        trusted = (*accepted, family.lower())
        if file and Path(file).is_file() and any(name in trusted for name in names):
            return Path(file)
    return None


@lru_cache(maxsize=4)
def metrics(sans_family: str = "Arial", mono_family: str = "Courier New") -> FontMetrics:
    """One shared `FontMetrics` per process and font pair (fonts are slow to open)."""
    return FontMetrics(sans_family, mono_family)


def style_of(span: Span, bold: bool = False, italic: bool = False) -> Style:
    return (span.bold or bold, span.italic or italic, span.code)


def tokens(fm: FontMetrics, spans: Inline, bold: bool = False, italic: bool = False,
           code: bool = False) -> tuple[Token, ...]:
    """Split `spans` into words with widths; a word may continue across differently styled runs."""
    return _tokens(fm, spans, bold, italic, code)


@lru_cache(maxsize=65536)
def _tokens(fm: FontMetrics, spans: Inline, bold: bool, italic: bool,
            code: bool) -> tuple[Token, ...]:
    pieces: list[tuple[int, int, Style]] = []
    text_parts: list[str] = []
    offset = 0
    for span in spans:
        style = (span.bold or bold, span.italic or italic, span.code or code)
        pieces.append((offset, offset + len(span.text), style))
        text_parts.append(span.text)
        offset += len(span.text)
    text = "".join(text_parts)
    if pieces and _one_style(pieces, text):
        return _one_style_tokens(fm, text, pieces[0][2])
    result: list[Token] = []
    for line_start, line in _hard_lines(text):
        words = list(_WORD.finditer(line))
        for index, match in enumerate(words):
            start, end = line_start + match.start(), line_start + match.end()
            width = sum(fm.em(text[a:b], style) for a, b, style in _overlaps(pieces, start, end))
            last = index == len(words) - 1
            space = 0.0 if last else fm.em(" ", _style_at(pieces, end))
            result.append(Token(width, space, last, start, end))
    return tuple(result)


def _one_style(pieces: list[tuple[int, int, Style]], text: str) -> bool:
    """All runs in one style and no word across two runs: each word is measured whole, as
    `_tokens` would (it sums the widths of a word's parts in each run)."""
    style = pieces[0][2]
    for start, _end, piece_style in pieces[1:]:
        if piece_style != style:
            return False
        if 0 < start < len(text) and not (text[start - 1].isspace() or text[start].isspace()):
            return False
    return True


def _one_style_tokens(fm: FontMetrics, text: str, style: Style) -> tuple[Token, ...]:
    """`_tokens` for text in one style (most paragraphs): the same widths, without looking up
    which runs each word overlaps."""
    em = fm.em
    space = em(" ", style)
    result: list[Token] = []
    for line_start, line in _hard_lines(text):
        words = list(_WORD.finditer(line))
        last = len(words) - 1
        for index, match in enumerate(words):
            start, end = line_start + match.start(), line_start + match.end()
            result.append(Token(em(match.group(), style), 0.0 if index == last else space,
                                index == last, start, end))
    return tuple(result)


def _hard_lines(text: str) -> list[tuple[int, str]]:
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    return lines


def _overlaps(pieces: list[tuple[int, int, Style]], start: int, end: int):
    for a, b, style in pieces:
        if b > start and a < end:
            yield max(a, start), min(b, end), style


def _style_at(pieces: list[tuple[int, int, Style]], position: int) -> Style:
    for a, b, style in pieces:
        if a <= position < b:
            return style
    return pieces[-1][2] if pieces else (False, False, False)


def break_lines(toks: tuple[Token, ...], width_em: float) -> list[tuple[int, int]]:
    """Greedy line breaking: (first, last+1) token indexes per line, as PowerPoint wraps.

    A word wider than the line is broken by characters, so it takes ceil(width / line) lines.
    An empty paragraph still occupies one line.
    """
    if not toks:
        return [(0, 0)]
    width_em = max(width_em, 0.5)
    lines: list[tuple[int, int]] = []
    first, used = 0, 0.0
    for index, tok in enumerate(toks):
        if index > first:
            gap = toks[index - 1].space
            if used + gap + tok.width > width_em:
                lines.append((first, index))
                first, used = index, 0.0
            else:
                used += gap
        if tok.width > width_em and used == 0.0:
            extra = int(tok.width // width_em)
            lines.extend([(index, index)] * extra)
            used = tok.width - extra * width_em
        else:
            used += tok.width
        if tok.hard_break and index < len(toks) - 1:
            lines.append((first, index + 1))
            first, used = index + 1, 0.0
    lines.append((first, len(toks)))
    return lines


def wrapper(fm: FontMetrics):
    """A `wrap(text, size, width, bold) -> lines` function on these metrics (for diagrams)."""

    def wrap(text: str, size: float, width: float, bold: bool) -> list[str]:
        if not text:
            return []
        toks = tokens(fm, (Span(text),), bold)
        return [text[toks[a].start:toks[b - 1].end] if b > a else ""
                for a, b in break_lines(toks, width / size)]

    def width(text: str, size: float, bold: bool) -> float:
        return fm.em(text, (bold, False, False)) * size

    wrap.width = width  # type: ignore[attr-defined]
    return wrap


def count_lines(toks: tuple[Token, ...], width_em: float) -> int:
    return len(break_lines(toks, width_em))


def text_height(lines: int, size: float) -> float:
    """Height in points of `lines` lines at `size` points, with the safety margin."""
    return lines * size * LINE_HEIGHT * HEIGHT_SAFETY


def slice_spans(spans: Inline, start: int, end: int) -> Inline:
    """The runs covering plain-text characters [start, end), formatting kept."""
    out: list[Span] = []
    offset = 0
    for span in spans:
        a, b = offset, offset + len(span.text)
        offset = b
        if b <= start or a >= end:
            continue
        text = span.text[max(start - a, 0): min(end, b) - a]
        if text:
            out.append(Span(text, span.bold, span.italic, span.code, span.strike, span.href))
    return tuple(out)


def strip_spans(spans: Inline) -> Inline:
    """Remove leading and trailing whitespace from a run sequence."""
    items = [s for s in spans if s.text]
    while items and not items[0].text.strip():
        items.pop(0)
    while items and not items[-1].text.strip():
        items.pop()
    if not items:
        return ()
    first, last = items[0], items[-1]
    items[0] = Span(first.text.lstrip(), first.bold, first.italic, first.code, first.strike,
                    first.href)
    last = items[-1]
    items[-1] = Span(last.text.rstrip(), last.bold, last.italic, last.code, last.strike, last.href)
    return tuple(items)

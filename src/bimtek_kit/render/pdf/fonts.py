"""The theme's shipped fonts as `@font-face` rules every PDF is laid out with (DESIGN §7).

A theme keeps its font files in `fonts/` and declares them in `css/fonts.css` with URLs
relative to that file, as any stylesheet would. The print stacks pass their CSS to WeasyPrint
as strings, so those URLs are rewritten here to `bimtek-root:` URLs: they load through the
local-only fetcher, and the PDF's bytes do not depend on where the theme is installed.

A document that must print with the theme's files and nothing else (the slide PDFs: issues
#15, #17) gets the faces under private families instead (`theme_family`), names no installed
font can have: WeasyPrint adds `@font-face` files beside the machine's fonts without masking
them, so a font installed under the same name (Liberation from fonts-liberation, Arial from
the MS core fonts) may otherwise win fontconfig's match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from bimtek_kit.render.pdf.stack import font_stack, root_url
from bimtek_kit.themes import Theme

FONT_CSS = "css/fonts.css"
PRIVATE_PREFIX = "bimtek-theme "
"""Prefix of the private family of a shipped face (`theme_family`)."""

METRIC_TWINS = {
    "arial": "Liberation Sans", "helvetica": "Liberation Sans", "arimo": "Liberation Sans",
    "times new roman": "Liberation Serif", "times": "Liberation Serif",
    "tinos": "Liberation Serif",
    "courier new": "Liberation Mono", "courier": "Liberation Mono", "cousine": "Liberation Mono",
}
"""Fonts a PPTX names (and the slide measure accepts, `slides/measure.py`) -> the open family
with the same advance widths, which a theme may ship in their place."""

_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_FAMILY = re.compile(r"""font-family\s*:\s*(['"]?)([^;'"}]+)\1""")


def font_face_css(theme: Theme, roots: Sequence[Path], private: bool = False) -> str:
    """The theme's `css/fonts.css` (project theme first) with URLs the fetcher serves; with
    `private`, only its faces, each under its private family; "" when the theme ships no
    fonts (then the machine's fonts are used, as before).

    Never both: every `@font-face` costs WeasyPrint a font file written and scanned per
    document (about 2 ms each)."""
    path = theme.find(FONT_CSS)
    if path is None:
        return ""
    css = _rebase(_read(path), path.parent, roots)
    if not private:
        return css
    return "\n".join(_FAMILY.sub(lambda m: f'font-family: "{PRIVATE_PREFIX}{m.group(2).strip()}"',
                                 face, count=1) for face in _FACE.findall(css))


def shipped_families(theme: Theme) -> tuple[str, ...]:
    """The families the theme's `css/fonts.css` declares, in order."""
    path = theme.find(FONT_CSS)
    if path is None:
        return ()
    found = (match.group(2).strip() for face in _FACE.findall(_read(path))
             for match in _FAMILY.finditer(face))
    return tuple(dict.fromkeys(found))


def theme_family(theme: Theme, name: str) -> str | None:
    """The private family that prints `name` with the theme's own files: `name` itself when
    the theme ships it, else its metric twin when the theme ships that (Arial -> Liberation
    Sans, the font the slide measure accepts for Arial); None when the theme ships neither."""
    shipped = {family.lower(): family for family in shipped_families(theme)}
    key = name.strip().lower()
    family = shipped.get(key) or shipped.get(METRIC_TWINS.get(key, "").lower())
    return f"{PRIVATE_PREFIX}{family}" if family else None


def theme_font_variables(theme: Theme) -> str:
    """`--font-heading`, `--font-body`, `--font-mono` with the private family of the first
    shipped font of each role in front, on `:root` and `@page` (the margin boxes): laid out
    after the page's own variables, a document's text and footers print only with the theme's
    files, and a slide drawn in the private family is not embedded a second time."""
    variables = []
    for role in ("heading", "body", "mono"):
        names = theme.fonts(role)
        private = [family for family in (theme_family(theme, name) for name in names) if family]
        variables.append(f"--font-{role}: {font_stack([*private[:1], *names])};")
    body = " ".join(variables)
    return f":root {{ {body} }}\n@page {{ {body} }}\n"


def _read(path: Path) -> str:
    """Read afresh each time: a project theme may change while `bimtek serve` runs."""
    return path.read_text(encoding="utf-8")


def _rebase(css: str, folder: Path, roots: Sequence[Path]) -> str:
    def replace(match: re.Match[str]) -> str:
        target = match.group(2).strip()
        if ":" in target:  # already absolute: left for the fetcher to allow or refuse
            return match.group(0)
        url = root_url(folder / target, roots)
        return f'url("{url}")' if url else match.group(0)

    return _URL.sub(replace, css)

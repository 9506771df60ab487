"""The theme's shipped fonts as `@font-face` rules every PDF is laid out with (DESIGN §7).

A theme keeps its font files in `fonts/` and declares them in `css/fonts.css` with URLs
relative to that file, as any stylesheet would. The print stacks pass their CSS to WeasyPrint
as strings, so those URLs are rewritten here to `bimtek-root:` URLs: they load through the
local-only fetcher, and the PDF's bytes do not depend on where the theme is installed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from bimtek_kit.render.pdf.stack import root_url
from bimtek_kit.themes import Theme

FONT_CSS = "css/fonts.css"

_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def font_face_css(theme: Theme, roots: Sequence[Path]) -> str:
    """The theme's `css/fonts.css` (project theme first) with URLs the fetcher serves; "" when
    the theme ships no fonts (then the machine's fonts are used, as before)."""
    path = theme.find(FONT_CSS)
    if path is None:
        return ""
    return _rebase(path.read_text(encoding="utf-8"), path.parent, roots)


def _rebase(css: str, folder: Path, roots: Sequence[Path]) -> str:
    def replace(match: re.Match[str]) -> str:
        target = match.group(2).strip()
        if ":" in target:  # already absolute: left for the fetcher to allow or refuse
            return match.group(0)
        url = root_url(folder / target, roots)
        return f'url("{url}")' if url else match.group(0)

    return _URL.sub(replace, css)

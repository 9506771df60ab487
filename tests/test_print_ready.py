"""Every PDF of the default course can go to the printer as it is (issue #15).

One build of the bundled course (slow) is read back: PDF syntax, fonts, what stays inside the
page's text area, what participants must not see.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


FRESH_MACHINE_FONTS = Path("/usr/share/fonts/truetype/dejavu")
"""A machine without Liberation: fontconfig sees only DejaVu (what a fresh Debian has)."""

THEME_FONT = re.compile(r"^(?:[A-Z]{6}\+)?Liberation-(?:Sans|Serif|Mono)(?:-Bold)?(?:-Italic)?$")
"""An embedded font from the theme's fonts/ (`@font-face` families are written with dashes)."""


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """The default course built once, on a machine that has DejaVu but no Liberation fonts
    when this one has DejaVu; the course folder inside the output."""
    out = tmp_path_factory.mktemp("print-dist")
    env = dict(os.environ)
    if FRESH_MACHINE_FONTS.is_dir():
        config = out.parent / "fonts.conf"
        config.write_text(f"<?xml version='1.0'?><fontconfig><dir>{FRESH_MACHINE_FONTS}</dir>"
                          f"<cachedir>{out.parent / 'fc-cache'}</cachedir></fontconfig>")
        env["FONTCONFIG_FILE"] = str(config)
    subprocess.run([sys.executable, "-m", "bimtek_kit", "build", str(REPO), "-o", str(out), "-q"],
                   check=True, capture_output=True, text=True, env=env)
    return next(path for path in out.iterdir() if path.is_dir())


def pdfs(folder: Path) -> list[Path]:
    """Every PDF the build handed out (the hidden `.parts/` cache included: it is joined)."""
    found = sorted(folder.rglob("*.pdf"))
    assert found, folder
    return found


def test_every_pdf_is_valid_and_readers_agree_on_its_pages(package):
    import pdfplumber
    import pikepdf
    from pypdf import PdfReader

    for path in pdfs(package):
        with pikepdf.open(path) as document:
            assert document.check_pdf_syntax() == [], path
            pages = len(document.pages)
        with pdfplumber.open(path) as document:
            assert len(document.pages) == pages, path
        assert len(PdfReader(path).pages) == pages, path


def embedded_fonts(path: Path) -> set[str]:
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(path).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/"))
    return names


def test_every_pdf_uses_only_the_fonts_the_theme_ships(package):
    for path in pdfs(package):
        fonts = embedded_fonts(path)
        assert fonts, path
        assert [name for name in fonts if not THEME_FONT.match(name)] == [], path

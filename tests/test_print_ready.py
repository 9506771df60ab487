"""Every PDF of the default course can go to the printer as it is (issue #15).

One build of the bundled course (slow) is read back: PDF syntax, fonts, what stays inside the
page's text area, what participants must not see.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """The default course built once; the course folder inside the output."""
    out = tmp_path_factory.mktemp("print-dist")
    subprocess.run([sys.executable, "-m", "bimtek_kit", "build", str(REPO), "-o", str(out), "-q"],
                   check=True, capture_output=True, text=True)
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

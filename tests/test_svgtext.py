"""The slide PDFs' whole-run SVG text (render/slides/svgtext.py) draws what WeasyPrint's own
letter-by-letter drawing draws, at the same place, and is active only inside its block."""

from __future__ import annotations

import io

import pdfplumber
import weasyprint.svg as weasy_svg
from weasyprint import HTML

from bimtek_kit.render.slides.svgtext import runs_as_whole

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="400pt" height="100pt" '
       'viewBox="0 0 400 100" font-family="Liberation Sans"><text x="20" y="40" font-size="18">'
       '<tspan>Kebijakan </tspan><tspan font-weight="bold">pelayanan publik</tspan></text>'
       '<text x="380" y="80" font-size="10" text-anchor="end">12</text></svg>')


def _words(pdf: bytes) -> list[tuple[str, float, float]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [(w["text"], w["x0"], w["top"]) for w in document.pages[0].extract_words()]


def test_whole_runs_land_where_letters_did_and_only_inside_the_block() -> None:
    html = f"<html><body style='margin:0'>{SVG}</body></html>"
    letters = _words(HTML(string=html).write_pdf())
    original = weasy_svg.text
    with runs_as_whole():
        assert weasy_svg.TAGS["tspan"] is not original
        whole = _words(HTML(string=html).write_pdf())
    assert weasy_svg.text is original and weasy_svg.TAGS["tspan"] is original
    assert [w[0] for w in whole] == [w[0] for w in letters] == [
        "Kebijakan", "pelayanan", "publik", "12"]
    for (_, x1, top1), (_, x2, top2) in zip(whole, letters, strict=True):
        assert abs(x1 - x2) < 1 and abs(top1 - top2) < 1

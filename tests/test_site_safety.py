"""Raw HTML, the site's CSP and image names (issue #13): refusals name the module's line, the
site cannot be re-based or post a form, and images with spaces or accents resolve."""

from __future__ import annotations

import io

import pytest
from PIL import Image as PILImage
from typer.testing import CliRunner

from bimtek_kit.cli import app
from bimtek_kit.loader import load_course
from bimtek_kit.model import Image
from conftest import MINIMAL_CONFIG, render_all, render_context

MODULE = "---\ntitle: Modul Uji\nduration_jp: 1\nobjectives: [menjelaskan]\n---\n\n## A\n\n{body}\n"


def png(width: int = 6, height: int = 4) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def check(project) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["check", str(project)])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ('<meta http-equiv="refresh" content="0;url=http://127.0.0.1:8000/">',
         "raw HTML: <meta> is not allowed"),
        ('<base href="http://127.0.0.1/">', "raw HTML: <base> is not allowed"),
        ('<form action="http://127.0.0.1/"><input></form>', "raw HTML: <form> is not allowed"),
        ("<script>alert(1)</script>", "raw HTML: <script> is not allowed"),
        ('<img src="http://127.0.0.1:9/x.png" alt="x">',
         "raw HTML: <img src=…> 'http://127.0.0.1:9/x.png' is a URL"),
        ('<img src="../../../etc/passwd" alt="x">',
         "raw HTML: <img src=…> '../../../etc/passwd' points outside the project folder"),
        ('<div style="background: url(http://127.0.0.1/x)">x</div>',
         "raw HTML: <div style=…> must not load anything"),
        ('<a href="javascript:alert(1)">\nklik</a>',
         "raw HTML: <a href='javascript:alert(1)'> is not a web or mail link"),
        ('<p onclick="alert(1)">x</p>', "raw HTML: <p onclick=…> runs script"),
    ],
)
def test_raw_html_refusals_name_the_module_line(make_project, html, message):
    config = MINIMAL_CONFIG + "allow_html: true\n"
    project = make_project({"content/modules/01-a.md": MODULE.format(body=html)}, config=config)
    code, output = check(project)
    assert code == 1
    assert f"content/modules/01-a.md:9: {message}" in output
    assert "handbook.css" not in output


def test_harmless_raw_html_still_passes(make_project):
    config = MINIMAL_CONFIG + "allow_html: true\n"
    body = '<div class="kotak"><b>Tebal</b> dan <a href="https://example.org">tautan</a></div>'
    project = make_project({"content/modules/01-a.md": MODULE.format(body=body)}, config=config)
    code, output = check(project)
    assert code == 0, output


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("<images/foto rapat.png>", "foto rapat.png"),
        ("images/foto%20rapat.png", "foto rapat.png"),
        ("<images/rapat-pemkab-ü.png>", "rapat-pemkab-ü.png"),
        ("images/rapat-pemkab-%C3%BC.png", "rapat-pemkab-ü.png"),
    ],
)
def test_images_with_spaces_and_accents_resolve(make_project, written, name):
    project = make_project({
        "content/modules/01-a.md": MODULE.format(body=f"![Foto rapat]({written})"),
        f"content/modules/images/{name}": png(),
    })
    course = load_course(project)
    image = next(b for b in course.modules[0].all_blocks if isinstance(b, Image))
    assert image.path == (project / "content/modules/images" / name).resolve()


def test_an_encoded_traversal_is_still_refused(make_project):
    escape = "images/" + "%2e%2e/" * 6 + "etc/x.png"
    project = make_project({"content/modules/01-a.md": MODULE.format(body=f"![x]({escape})")})
    code, output = check(project)
    assert code == 1 and "points outside the project folder" in output


def test_the_site_forbids_base_and_form_targets(make_project):
    project = make_project({
        "content/modules/01-a.md": MODULE.format(body="![Foto rapat](<images/foto rapat.png>)"),
        "content/modules/images/foto rapat.png": png(),
    })
    artifacts = render_all(render_context(load_course(project)), "handbook")
    pages = {p: a.data.decode("utf-8") for p, a in artifacts.items() if p.endswith(".html")}
    assert pages
    for text in pages.values():
        assert "base-uri 'none'; form-action 'none'" in text
        assert "default-src 'none'" in text
    assert any(p.endswith(".png") and "/assets/" in p for p in artifacts)

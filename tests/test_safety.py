"""Hostile and broken input (issue #8): nothing evaluated, nothing fetched, nothing lost."""

from __future__ import annotations

import io
import os
import time

import pytest
from PIL import Image as PILImage
from typer.testing import CliRunner

from bimtek_kit.cli import app
from bimtek_kit.errors import ContentError, Diagnostics
from bimtek_kit.loader import load_course
from bimtek_kit.model import Image, ListBlock, Paragraph, plain
from bimtek_kit.slugs import slugify

FRONT = "---\ntitle: Modul {title}\nduration_jp: 2\nobjectives: [menjelaskan sesuatu]\n---\n"


def module(body: str, title: str = "Uji") -> str:
    return FRONT.format(title=title) + "\n## Bagian\n\n" + body


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def check(project) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["check", str(project)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("../../../../etc/passwd", "points outside the project folder"),
        ("https://example.org/logo.png", "is a URL"),
        ("file:///etc/passwd", "is a URL"),
        ("//evil.example/x.png", "is a URL"),
        ("/etc/passwd", "is an absolute path"),
        ("images/tidak-ada.png", "not found"),
    ],
)
def test_forbidden_images_are_path_line_errors(make_project, reference, message):
    project = make_project({"content/modules/01-a.md": module(f"![gambar]({reference})\n")})
    code, output = check(project)
    assert code == 1
    assert f"content/modules/01-a.md:9: image '{reference}'" in output
    assert message in output


def test_symlink_out_of_the_project_is_refused(make_project, tmp_path):
    secret = tmp_path / "rahasia.png"
    secret.write_bytes(png_bytes())
    project = make_project({"content/modules/01-a.md": module("![x](images/link.png)\n")})
    (project / "content/modules/images").mkdir()
    os.symlink(secret, project / "content/modules/images/link.png")
    code, output = check(project)
    assert code == 1 and "points outside the project folder" in output


def test_an_image_inside_the_project_resolves(make_project):
    project = make_project({
        "content/modules/01-a.md": module("![Diagram alur](images/alur.png)\n"),
        "content/modules/images/alur.png": png_bytes(),
    })
    course = load_course(project)
    image = next(b for b in course.modules[0].all_blocks if isinstance(b, Image))
    assert image.path == (project / "content/modules/images/alur.png").resolve()
    assert image.alt == "Diagram alur"


def test_decompression_bomb_is_refused(make_project):
    project = make_project({
        "content/modules/01-a.md": module("![bom](images/bom.png)\n"),
        "content/modules/images/bom.png": png_bytes(9000, 9000),
    })
    code, output = check(project)
    assert code == 1 and "9000×9000 pixels" in output


@pytest.mark.parametrize("href", ["javascript:alert(1)", "data:text/html,<b>x</b>", "vbscript:x"])
def test_dangerous_links_are_dropped_with_a_warning(make_project, href):
    project = make_project({"content/modules/01-a.md": module(f"Klik [di sini]({href}).\n")})
    diagnostics = Diagnostics()
    course = load_course(project, diagnostics)
    paragraph = course.modules[0].sections[0].blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert all(span.href is None for span in paragraph.spans)
    assert plain(paragraph.spans) == "Klik di sini."
    assert any("content/modules/01-a.md:9" in str(d) and "removed" in str(d) for d in diagnostics)


def test_template_syntax_in_content_stays_literal(make_project):
    body = "Nilai {{ 7*7 }} dan {% for x in y %} serta {{ self.__init__.__globals__ }}.\n"
    project = make_project({"content/modules/01-a.md": module(body, title="{{ 7*7 }}")})
    course = load_course(project)
    assert course.modules[0].title == "Modul {{ 7*7 }}"
    assert "{{ 7*7 }}" in plain(course.modules[0].sections[0].blocks[0].spans)


def test_raw_html_is_text_unless_allowed(make_project):
    project = make_project({"content/modules/01-a.md": module("<script>alert(1)</script>\n")})
    block = load_course(project).modules[0].sections[0].blocks[0]
    assert isinstance(block, Paragraph) and "<script>" in plain(block.spans)


@pytest.mark.parametrize(
    "text",
    [
        "Senyum 😀 dan salam 🙏 untuk warga.",
        "ꦱꦸꦒꦼꦁꦫꦮꦸꦃ aksara Jawa di papan layanan.",
        "مرحبا بكم tulisan Arab dalam pengumuman.",
        "Teks\u200bdengan\u200dkarakter\u200clebar-nol.",
        "Tab\tdi\ttengah\tkalimat.",
        "Baris sangat panjang " + "kata " * 4000,
    ],
)
def test_unusual_text_loads(make_project, text):
    project = make_project({"content/modules/01-a.md": module(text + "\n")})
    course = load_course(project)
    assert text.split()[0] in plain(course.modules[0].sections[0].blocks[0].spans)


def test_a_module_near_the_size_cap_loads(make_project):
    paragraph = "Pelayanan publik yang baik dimulai dari komunikasi yang jelas. " * 20 + "\n\n"
    body = paragraph * (250 * 1024 // len(paragraph))
    project = make_project({"content/modules/01-a.md": module(body)})
    course = load_course(project)
    assert len(course.modules[0].sections[0].blocks) > 150


def test_two_thousand_bullets_load_in_linear_time(make_project):
    def load(n: int) -> float:
        bullets = "".join(f"- Butir nomor {i} tentang pelayanan\n" for i in range(n))
        project = make_project({"content/modules/01-a.md": module(bullets)}, name=f"p{n}")
        started = time.perf_counter()
        course = load_course(project)
        elapsed = time.perf_counter() - started
        block = course.modules[0].sections[0].blocks[0]
        assert isinstance(block, ListBlock) and len(block.items) == n
        return elapsed

    small, large = load(500), load(2000)
    assert large < max(small, 0.05) * 12  # 4x the items: nowhere near 16x (quadratic)


def test_too_large_module_is_refused(make_project):
    project = make_project({"content/modules/01-a.md": module("x" * (9 * 1024 * 1024))})
    with pytest.raises(ContentError) as info:
        load_course(project)
    assert "limit is 8 MB" in str(info.value.diagnostics.errors[0])


@pytest.mark.parametrize("title", ["../../etc/passwd", "CON", "a/b\\c", "nul\x00byte", "…"])
def test_ids_from_titles_are_safe_file_names(title):
    slug = slugify(title)
    assert "/" not in slug and "\\" not in slug and ".." not in slug and "\x00" not in slug
    assert slug.lower() not in {"con", "nul", "prn", "aux"}


def test_two_thousand_bullets_render_as_slides_in_linear_time(make_project):
    """The slide splitter handles a huge list without quadratic blow-up."""
    from bimtek_kit.render import get_renderer
    from bimtek_kit.render.base import RenderContext
    from bimtek_kit.themes import load_theme

    def render(n: int) -> tuple[float, int]:
        bullets = "".join(f"- Butir nomor {i} tentang pelayanan\n" for i in range(n))
        project = make_project({"content/modules/01-a.md": module(bullets)}, name=f"s{n}")
        course = load_course(project)
        ctx = RenderContext(course, load_theme("default", project, "id"), 0)
        renderer = get_renderer("slides")
        started = time.perf_counter()
        (artifact,) = renderer.run(renderer.jobs(ctx)[0], ctx)
        elapsed = time.perf_counter() - started
        from pptx import Presentation

        return elapsed, len(Presentation(io.BytesIO(artifact.data)).slides)

    small, small_slides = render(250)
    large, large_slides = render(1000)
    assert large_slides > 3 * small_slides
    assert large < max(small, 0.2) * 10  # 4x the bullets: not 16x the time

"""Reads stay inside the project and its theme (issue #13): no symlink out, no theme path, no
device or FIFO, and user or environment errors that used to exit 3 are located messages."""

from __future__ import annotations

import os
import signal
import struct
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bimtek_kit.cli import app
from bimtek_kit.themes import ThemeError, load_theme

MODULE = "---\ntitle: Modul Uji\nduration_jp: 1\nobjectives: [menjelaskan]\n---\n\n## A\n\n{body}\n"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


@contextmanager
def deadline(seconds: int):
    """Fail instead of hanging (a FIFO read would block forever)."""

    def expired(signum, frame):
        raise AssertionError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares `width`×`height` pixels (what a decompression bomb looks like)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "rahasia" / "kata-sandi.md"
    path.parent.mkdir()
    path.write_text(MODULE.format(body="RAHASIASERVER root:x:0:0"), encoding="utf-8")
    return path


# --- sources ---------------------------------------------------------------------------------


def test_a_module_symlinked_out_of_the_project_is_refused(make_project, secret):
    project = make_project({"content/modules/01-a.md": MODULE.format(body="Teks.")})
    os.symlink(secret, project / "content/modules/02-luar.md")
    code, output = run("check", str(project))
    assert code == 1
    assert (f"content/modules/02-luar.md: is a symlink to {secret}, outside the project folder"
            in output)


def test_content_itself_symlinked_out_is_refused(make_project, secret):
    project = make_project({})
    os.symlink(secret.parent.parent, project / "content")
    (secret.parent.parent / "modules").mkdir()
    os.symlink(secret, secret.parent.parent / "modules" / "01-a.md")
    code, output = run("check", str(project))
    assert code == 1 and "content/modules/01-a.md: is a symlink to" in output


def test_a_glossary_symlinked_out_is_refused(make_project, tmp_path):
    outside = tmp_path / "glos.yml"
    outside.write_text("Rahasia: isi luar\n", encoding="utf-8")
    project = make_project({"content/modules/01-a.md": MODULE.format(body="Teks.")})
    os.symlink(outside, project / "content/glosarium.yml")
    code, output = run("check", str(project))
    assert code == 1 and "content/glosarium.yml: is a symlink to" in output


def test_a_symlink_inside_the_project_is_fine(make_project):
    project = make_project({"naskah/01-a.md": MODULE.format(body="Teks dalam.")})
    (project / "content/modules").mkdir(parents=True)
    os.symlink(project / "naskah/01-a.md", project / "content/modules/01-a.md")
    code, output = run("check", str(project))
    assert code == 0, output


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_module_linked_to_dev_zero_is_an_error_not_a_flood(make_project):
    project = make_project({"content/modules/01-a.md": MODULE.format(body="Teks.")})
    (project / "dev").mkdir()
    os.symlink("/dev/zero", project / "content/modules/02-nol.md")
    with deadline(20):
        code, output = run("check", str(project))
    assert code == 1
    assert "content/modules/02-nol.md: is a symlink to /dev/zero, outside the project" in output


def test_a_device_or_fifo_inside_the_project_is_refused_without_hanging(make_project):
    project = make_project({"content/modules/01-a.md": MODULE.format(body="Teks.")})
    os.mkfifo(project / "content/modules/02-pipa.md")
    os.mkfifo(project / "content/glosarium.yml")
    with deadline(20):
        code, output = run("check", str(project))
    assert code == 1
    assert "content/modules/02-pipa.md: not a regular file (a device, FIFO or folder)" in output
    assert "content/glosarium.yml: not a regular file" in output


# --- themes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["/etc", "../..", "default/../../..", "C:evil"])
def test_a_theme_that_is_a_path_is_a_located_error(make_project, name):
    config = f"title: Uji\ntheme: '{name}'\n"
    project = make_project({"content/modules/01-a.md": MODULE.format(body="Teks.")},
                           config=config)
    code, output = run("check", str(project))
    assert code == 1
    assert f"bimtek.yml:2: theme: {name!r} is not a theme name" in output
    with pytest.raises(ThemeError, match="is a path"):
        load_theme("../..", project)


def project_with_linked_site_css(make_project, tmp_path) -> Path:
    """A project whose theme's `css/site.css` is a symlink to a "passwd" outside it."""
    outside = tmp_path / "passwd"
    outside.write_text("root:x:0:0:RAHASIA\n")
    project = make_project({"content/modules/01-a.md": MODULE.format(body="Teks.")})
    (project / "themes/default/css").mkdir(parents=True)
    os.symlink(outside, project / "themes/default/css/site.css")
    return project


def test_theme_files_symlinked_out_are_refused(make_project, tmp_path):
    theme = load_theme("default", project_with_linked_site_css(make_project, tmp_path))
    with pytest.raises(ThemeError, match="site.css: theme file is a symlink to a file outside"):
        theme.find("css/site.css")
    with pytest.raises(ThemeError, match="outside the theme folder"):
        _ = theme.fingerprint


def test_a_template_include_of_a_symlinked_file_is_refused(make_project, tmp_path):
    outside = tmp_path / "passwd"
    outside.write_text("root:x:0:0:RAHASIA\n")
    project = make_project({
        "content/modules/01-a.md": MODULE.format(body="Teks."),
        "themes/default/templates/sisipan.html": "{% include 'bocor.txt' %}",
    })
    os.symlink(outside, project / "themes/default/templates/bocor.txt")
    with pytest.raises(ThemeError) as raised:
        load_theme("default", project)
    assert [str(d) for d in raised.value.diagnostics] == [
        "themes/default/templates/bocor.txt: theme file is a symlink to a file outside the "
        "theme folder; copy the file into the theme instead"]
    code, output = run("check", str(project))
    assert code == 1 and "themes/default/templates/bocor.txt: theme file is a symlink" in output
    assert "RAHASIA" not in output


def test_a_theme_folder_symlinked_out_is_refused(make_project, tmp_path):
    (tmp_path / "tema-luar").mkdir()
    (tmp_path / "tema-luar/theme.yml").write_text("colors: {primary: '#000000'}\n")
    project = make_project({"content/modules/01-a.md": MODULE.format(body="Teks.")})
    (project / "themes").mkdir()
    os.symlink(tmp_path / "tema-luar", project / "themes/default")
    with pytest.raises(ThemeError, match="symlink to a folder outside the project"):
        load_theme("default", project)


def test_a_theme_file_symlinked_out_fails_the_build_cleanly(make_project, tmp_path):
    project = project_with_linked_site_css(make_project, tmp_path)
    code, output = run("build", str(project), "--only", "schedule", "-j", "1")
    assert code == 1 and "theme file is a symlink to a file outside the theme folder" in output
    assert not list((project / "dist").rglob("*.html")) if (project / "dist").exists() else True


# --- images and logos ------------------------------------------------------------------------


def test_a_twenty_thousand_pixel_square_png_is_a_located_error(make_project):
    project = make_project({
        "content/modules/01-a.md": MODULE.format(body="![bom](images/bom.png)"),
        "content/modules/images/bom.png": png_header(20000, 20000),
    })
    code, output = run("check", str(project))
    assert code == 1
    assert ("content/modules/01-a.md:9: image 'bom.png' has 20000×20000 pixels; "
            "at most 40 million are allowed") in output


@pytest.mark.parametrize("side", [9000, 15000])
def test_a_logo_over_forty_megapixels_is_found_at_check(make_project, side):
    config = "title: Uji\nlogo: logo.png\n"
    project = make_project({"content/modules/01-a.md": MODULE.format(body="Teks."),
                            "logo.png": png_header(side, side)}, config=config)
    code, output = run("check", str(project))
    assert code == 1
    assert f"bimtek.yml:2: logo 'logo.png' has {side}×{side} pixels; at most 40 million" in output


def test_a_symlinked_logo_is_refused_by_check(make_project, tmp_path):
    (tmp_path / "logo.png").write_bytes(png_header(4, 4))
    project = make_project({"content/modules/01-a.md": MODULE.format(body="Teks.")},
                           config="title: Uji\nlogo: logo.png\n")
    os.symlink(tmp_path / "logo.png", project / "logo.png")
    code, output = run("check", str(project))
    assert code == 1 and "bimtek.yml:2: logo 'logo.png' points outside the project" in output


# --- init and titles -------------------------------------------------------------------------


def test_init_into_a_bad_path_is_a_clear_error(tmp_path):
    afile = tmp_path / "berkas"
    afile.write_text("x")
    code, output = run("init", str(afile / "kursus"))
    assert code == 1 and "cannot create the project in" in output
    if Path("/sys/kernel").is_dir():
        code, output = run("init", "/sys/kursus-baru")
        assert code == 1 and "cannot create the project in /sys/kursus-baru" in output


def test_list_strips_control_characters_from_titles(make_project):
    project = make_project(
        {"content/modules/01-a.md": MODULE.replace("Modul Uji", '"Modul \\e[31mMerah\\a"')
         .format(body="Teks.")},
        config='title: "Kursus \\e]0;judul\\a"\n',
    )
    code, output = run("list", str(project))
    assert code == 0, output
    assert "\x1b" not in output and "\x07" not in output
    assert "Modul  [31mMerah" in output


@pytest.mark.parametrize("title", ["Judul\nKedua", "Judul\x1b[2J", "Tab\tdi judul"])
def test_new_module_refuses_a_title_with_control_characters(tmp_path, title):
    run("init", str(tmp_path / "k"))
    before = sorted((tmp_path / "k/content/modules").glob("*.md"))
    code, output = run("new-module", title, "-C", str(tmp_path / "k"))
    assert code == 1 and "must be one line without control characters" in output
    assert sorted((tmp_path / "k/content/modules").glob("*.md")) == before


def test_an_emoji_only_title_suggests_an_id(tmp_path):
    run("init", str(tmp_path / "k"))
    code, output = run("new-module", "🎉🎉", "-C", str(tmp_path / "k"))
    assert code == 1 and "give one with --id" in output
    code, output = run("new-module", "🎉🎉", "-C", str(tmp_path / "k"), "--id", "perayaan")
    assert code == 0, output
    text = next((tmp_path / "k/content/modules").glob("*-perayaan.md")).read_text("utf-8")
    assert 'title: "🎉🎉"' in text

"""A course of hostile modules built end to end (issue #8): template syntax prints literally,
raw HTML never runs, and nothing is fetched from the network."""

from __future__ import annotations

import io
import socket
import threading
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader
from typer.testing import CliRunner

from bimtek_kit.cli import app

TEMPLATE = "{{ 7*7 }}"
CONFIG = f"""\
title: "Bimtek {TEMPLATE} Uji"
short_title: "Uji {{% for x in y %}}"
organizer: "{{{{ self.__init__.__globals__ }}}}"
foreword: "Kata pengantar {TEMPLATE} <script>alert(1)</script>"
schedule:
  start_date: 2026-12-07
"""
MODULE = f"""\
---
title: "Judul {TEMPLATE}"
duration_jp: 2
objectives: ["menjelaskan {TEMPLATE}"]
description: "Deskripsi {{% for x in y %}}{{% endfor %}}"
---

## Bagian {TEMPLATE}

Paragraf {TEMPLATE} dan {{{{ self.__init__.__globals__ }}}}.

<script>alert('xss')</script>

<img src=x onerror=alert(1)> <iframe src="https://evil.example"></iframe>

Tautan [berbahaya](javascript:alert(1)) dan [data](data:text/html,hai).

- Butir {TEMPLATE}

:::: latihan Latihan {TEMPLATE} {{waktu=10}}
1. Soal {TEMPLATE}?

::: kunci
Jawaban rahasia.
:::
::::
"""


def outputs_text(folder: Path) -> dict[str, str]:
    """Text of every output: PDF text, slide text (shapes and notes), HTML source."""
    texts = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or ".parts" in path.parts:
            continue
        if path.suffix == ".pdf":
            reader = PdfReader(io.BytesIO(path.read_bytes()))
            texts[path.name] = "\n".join(page.extract_text() or "" for page in reader.pages)
        elif path.suffix == ".pptx":
            deck = Presentation(str(path))
            texts[path.name] = "\n".join(
                shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                if shape.has_text_frame)
        elif path.suffix == ".html":
            texts[str(path.relative_to(folder))] = path.read_text(encoding="utf-8")
    return texts


class ActiveContent(HTMLParser):
    """Collects script elements and event-handler attributes: what a browser would run."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "bimtek.yml").write_text(CONFIG, encoding="utf-8")
    (root / "content/modules").mkdir(parents=True)
    (root / "content/modules/01-jahil.md").write_text(MODULE, encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(root), "-j", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    return next((root / "dist").iterdir())


def test_template_syntax_prints_literally_everywhere(hostile_build):
    texts = outputs_text(hostile_build)
    expected = ["buku-peserta.pdf", "01-jahil.pptx", "01-jahil.pdf", "panduan-fasilitator.pdf",
                "jadwal.pdf", "peserta/buku-peserta/index.html",
                "peserta/buku-peserta/01-jahil.html"]
    for name in expected:
        flat = " ".join(texts[name].split())
        assert "{{ 7*7 }}" in flat or "{{ 7*7 }}" in flat.replace("&#123;", "{"), name
        assert "Judul 49" not in flat and "Bagian 49" not in flat, name


def test_raw_html_is_shown_as_text_never_run(hostile_build):
    pages = {name: text for name, text in outputs_text(hostile_build).items()
             if name.endswith(".html")}
    assert pages
    for name, html in pages.items():
        parser = ActiveContent()
        parser.feed(html)
        assert parser.found == [], name
        assert 'http-equiv="Content-Security-Policy"' in html
    module = pages["peserta/buku-peserta/01-jahil.html"]
    assert "&lt;script&gt;alert(" in module and "&lt;/script&gt;" in module  # shown, quotes curled


def test_slides_are_plain_text_too(hostile_build):
    deck = next(hostile_build.rglob("*.pptx"))
    with zipfile.ZipFile(deck) as archive:
        xml = "".join(archive.read(n).decode("utf-8") for n in archive.namelist()
                      if n.endswith(".xml"))
    assert "javascript:" not in xml
    assert "{{ 7*7 }}" in xml


class Listener:
    """A local TCP server that counts connections: a build must never make one."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(5)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> int:
        self.stop.set()
        self.thread.join()
        self.server.close()
        return self.connections


def test_nothing_is_fetched_from_the_network(make_project):
    listener = Listener()
    url = f"http://127.0.0.1:{listener.port}"
    css = (f'@import url("{url}/tema.css");\n'
           f'@font-face {{ font-family: X; src: url("{url}/f.ttf"); }}\n')
    module = MODULE.replace("## Bagian", f"![logo]({url}/logo.png)\n\n## Bagian")
    project = make_project({"content/modules/01-a.md": module})
    image_run = CliRunner().invoke(app, ["build", str(project), "-j", "1"])
    assert image_run.exit_code == 1
    assert f"content/modules/01-a.md:8: image '{url}/logo.png' is a URL" in image_run.output

    project2 = make_project({"content/modules/01-a.md": MODULE,
                             "themes/default/css/handbook.css": css}, name="tema")
    theme_run = CliRunner().invoke(app, ["build", str(project2), "--only", "handbook", "-j", "1"])
    assert theme_run.exit_code == 1
    assert "refused to load" in theme_run.output and "Traceback" not in theme_run.output
    assert not (project2 / "dist").exists()
    assert listener.close() == 0

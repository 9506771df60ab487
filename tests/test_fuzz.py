"""Property-based robustness: random Markdown, front matter and YAML give success or a reported
content error, never another exception. `make fuzz` runs many more examples."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bimtek_kit.errors import ContentError
from bimtek_kit.loader import load_course

EXAMPLES = int(os.environ.get("BIMTEK_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

NAMES = ["latihan", "kunci", "catatan", "studi-kasus", "simulasi", "diskusi", "rangkuman",
         "penting", "tips", "info", "hanya-slide", "hanya-buku", "latihn", "", "exercise"]
words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
fences = st.sampled_from([":::", "::::", ":::::", "::"])
fragment = st.one_of(
    words,
    st.builds(lambda w: f"## {w}", words),
    st.builds(lambda w: f"#### Peran {w}", words),
    st.builds(lambda f, n, w: f"{f} {n} {w}", fences, st.sampled_from(NAMES), words),
    st.builds(lambda f, n, k, v: f"{f} {n} {{{k}={v}}}", fences, st.sampled_from(NAMES),
              st.sampled_from(["waktu", "baris", "x", "waktu=", ""]), words),
    fences,
    st.builds(lambda w: f"- {w}", words),
    st.builds(lambda w: f"1. {w}", words),
    st.builds(lambda w: f"| {w} | b |\n|---|---|\n| 1 | 2 |", words),
    st.builds(lambda w: f"![{w}]({w})", words),
    st.builds(lambda w: f"[{w}](javascript:{w})", words),
    st.just("{{ 7*7 }} {% raw %}"),
)
markdown = st.lists(fragment, max_size=25).map("\n\n".join)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 100), words)
front_value = st.one_of(scalars, st.lists(scalars, max_size=4))
front_keys = st.sampled_from(["title", "duration_jp", "objectives", "id", "code", "methods",
                              "tittle", "description", "media"])
front = st.dictionaries(front_keys, front_value, max_size=8)


def load(files: dict[str, str | bytes]) -> None:
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        for relative, content in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content if isinstance(content, bytes) else content.encode("utf-8", "replace")
            path.write_bytes(data)
        with contextlib.suppress(ContentError):  # a reported content error is a fine outcome
            load_course(root)
    finally:
        shutil.rmtree(root)


def module_text(meta: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body


@FUZZ
@given(body=markdown)
def test_random_markdown_body(body):
    meta = {"title": "Modul", "duration_jp": 2, "objectives": ["menjelaskan"]}
    load({"bimtek.yml": "title: Uji\n", "content/modules/01-a.md": module_text(meta, body)})


@FUZZ
@given(meta=front, body=markdown)
def test_random_front_matter(meta, body):
    load({"bimtek.yml": "title: Uji\n", "content/modules/01-a.md": module_text(meta, body)})


@FUZZ
@given(raw=st.binary(max_size=400), config=st.text(max_size=200))
def test_random_bytes_and_config(raw, config):
    load({"bimtek.yml": config, "content/modules/01-a.md": raw,
          "content/evaluasi/pre-test.yml": raw, "content/glosarium.yml": raw})


bank_question = st.dictionaries(
    st.sampled_from(["question", "type", "options", "answer", "module", "explanation", "x"]),
    front_value, max_size=6)


@FUZZ
@given(questions=st.lists(bank_question, max_size=5), title=scalars)
def test_random_question_bank(questions, title):
    meta = {"title": "Modul", "duration_jp": 2, "objectives": ["menjelaskan"]}
    bank = yaml.safe_dump({"title": title, "questions": questions}, allow_unicode=True)
    load({"bimtek.yml": "title: Uji\n", "content/modules/01-a.md": module_text(meta, "## A\n"),
          "content/evaluasi/pre-test.yml": bank})


RENDER = settings(max_examples=max(4, EXAMPLES // 8), deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])


@RENDER
@given(body=markdown)
def test_renderers_take_random_content(body):
    """Slides, a handbook chapter and a worksheet from random Markdown: rendered, or a
    reported error, never another exception."""
    from bimtek_kit.errors import BimtekError
    from bimtek_kit.render import get_renderer
    from bimtek_kit.render.base import RenderContext
    from bimtek_kit.themes import load_theme

    meta = {"title": "Modul", "duration_jp": 2, "objectives": ["menjelaskan"]}
    root = Path(tempfile.mkdtemp(prefix="fuzz-render-"))
    try:
        (root / "content/modules").mkdir(parents=True)
        (root / "bimtek.yml").write_text("title: Uji\n", encoding="utf-8")
        (root / "content/modules/01-a.md").write_text(module_text(meta, body), encoding="utf-8")
        try:
            course = load_course(root)
        except ContentError:
            return
        ctx = RenderContext(course, load_theme("default", root, "id"), 0)
        for kind in ("slides", "handbook", "worksheets"):
            renderer = get_renderer(kind)
            for job in renderer.jobs(ctx):
                per_module = job.modules == ("a",) and not job.parts
                if per_module and dict(job.options).get("part") in (None, "chapter"):
                    with contextlib.suppress(BimtekError):
                        renderer.run(job, ctx)
    finally:
        shutil.rmtree(root)

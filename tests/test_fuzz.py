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


# --- the file system around the sources (issue #13) ------------------------------------------

alias_yaml = st.builds(
    lambda depth, fan, where: (
        "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}' if i else 'x'] * fan)}]\n"
                for i in range(depth)) + f"{where}: *l{depth - 1}\n"),
    st.integers(1, 3), st.integers(1, 3), st.sampled_from(["title", "objectives", "x", "modules"]),
)
oddities = st.sampled_from([
    "symlink-in", "symlink-out", "symlink-dangling", "dev-null", "dev-zero", "fifo", "folder",
    "theme-symlink-out", "theme-name-path", "template-include", "theme-yml-garbage",
])


def _plant(root: Path, oddity: str, outside: Path) -> None:
    """Put one hostile or odd file-system object into a project."""
    modules = root / "content/modules"
    target = modules / "02-b.md"
    theme = root / "themes/default"
    if oddity == "symlink-in":
        target.symlink_to(modules / "01-a.md")
    elif oddity == "symlink-out":
        target.symlink_to(outside)
    elif oddity == "symlink-dangling":
        target.symlink_to(root / "tidak-ada.md")
    elif oddity in ("dev-null", "dev-zero"):
        target.symlink_to(f"/dev/{oddity[4:]}")
    elif oddity == "fifo":
        os.mkfifo(target)
    elif oddity == "folder":
        target.mkdir()
    elif oddity == "theme-symlink-out":
        (theme / "css").mkdir(parents=True)
        (theme / "css/site.css").symlink_to(outside)
    elif oddity == "theme-name-path":
        (root / "bimtek.yml").write_text("title: Uji\ntheme: ../../etc\n", encoding="utf-8")
    elif oddity == "template-include":
        (theme / "templates").mkdir(parents=True)
        (theme / "templates/bocor.txt").symlink_to(outside)
    elif oddity == "theme-yml-garbage":
        theme.mkdir(parents=True)
        (theme / "theme.yml").write_bytes(b"\xff\xfe: [")


@FUZZ
@given(config_tail=alias_yaml, front_tail=alias_yaml)
def test_yaml_aliases_are_reported_or_loaded(config_tail, front_tail):
    text = "---\ntitle: Modul\nduration_jp: 2\nobjectives: [menjelaskan]\n" + front_tail + "---\n"
    load({"bimtek.yml": "title: Uji\n" + config_tail, "content/modules/01-a.md": text + "## A\n"})


@RENDER
@given(oddity=oddities, body=markdown)
def test_odd_files_in_the_project_are_reported_never_followed(oddity, body):
    from bimtek_kit.errors import BimtekError
    from bimtek_kit.themes import load_theme

    meta = {"title": "Modul", "duration_jp": 2, "objectives": ["menjelaskan"]}
    root = Path(tempfile.mkdtemp(prefix="fuzz-fs-"))
    outside = root.parent / f"{root.name}-luar.md"
    outside.write_text(module_text(meta, "RAHASIALUAR"), encoding="utf-8")
    try:
        (root / "content/modules").mkdir(parents=True)
        (root / "bimtek.yml").write_text("title: Uji\n", encoding="utf-8")
        (root / "content/modules/01-a.md").write_text(module_text(meta, body), encoding="utf-8")
        _plant(root, oddity, outside)
        with contextlib.suppress(BimtekError):
            course = load_course(root)
            assert all("RAHASIALUAR" not in str(m) for m in course.modules)
            theme = load_theme(course.config.theme, root, "id")
            assert theme.fingerprint
            theme.environment().get_template("bocor.txt") if oddity == "template-include" else None
    finally:
        shutil.rmtree(root)
        outside.unlink()


package_file = st.tuples(
    st.sampled_from(["a.txt", "peserta/x.pdf", ".hidden", "sub/dir/y", "manifest.json",
                     ".parts/old.part", ".bimtek-model-cache/k.pickle", "../lepas.txt"]),
    st.binary(max_size=40),
)
manifest_paths = st.lists(st.sampled_from(
    ["a.txt", "../../etc/passwd", "/abs", "peserta/x.pdf", "", "a/../../b", 7, None]), max_size=5)


@RENDER
@given(files=st.lists(package_file, max_size=5), listed=manifest_paths,
       force=st.booleans(), clean=st.booleans(), zipped=st.booleans())
def test_a_pre_existing_output_folder_never_loses_foreign_files(files, listed, force, clean,
                                                                 zipped):
    """Write, manifest and zip phase against whatever is already in the folder: a build
    succeeds or refuses clearly, never deletes a file it did not list, never writes outside."""
    import json

    from bimtek_kit.commands.build import BuildOptions, build
    from bimtek_kit.errors import BimtekError

    meta = {"title": "Modul", "duration_jp": 2, "objectives": ["menjelaskan"]}
    base = Path(tempfile.mkdtemp(prefix="fuzz-out-"))
    root, package = base / "proyek", base / "dist" / "uji"
    try:
        (root / "content/modules").mkdir(parents=True)
        (root / "bimtek.yml").write_text("title: Uji\n", encoding="utf-8")
        (root / "content/modules/01-a.md").write_text(module_text(meta, "## A\n\nTeks.\n"),
                                                      encoding="utf-8")
        package.mkdir(parents=True)
        planted = {}
        for relative, data in files:
            path = package / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_dir():
                path.write_bytes(data)
                planted[path] = data
        entries = [{"path": p, "sha256": "0", "size": 0} for p in listed]
        if listed:
            (package / "manifest.json").write_text(
                json.dumps({"generator": "bimtek-kit", "files": entries}), encoding="utf-8")
        before = {p for p in base.rglob("*")}
        with contextlib.suppress(BimtekError):
            build(BuildOptions(root, out_dir=base / "dist", jobs=1, only=["schedule"],
                               force=force, clean=clean, zip=zipped))
        listed_ok = {package / p for p in listed if isinstance(p, str) and p
                     and ".." not in p and not p.startswith("/")}
        for path, data in planted.items():
            if path not in listed_ok and path.name != "manifest.json" and \
                    ".parts" not in path.parts and ".bimtek-model-cache" not in path.parts:
                assert path.read_bytes() == data, path
        outside = {p for p in base.rglob("*")} - before
        assert all(p.is_relative_to(base / "dist") or p.is_relative_to(root) for p in outside)
    finally:
        shutil.rmtree(base)

"""Every exception type `build` can raise from user input is found by `check` first (issue #14).

`RAISED_FROM_SOURCES` lists each `BimtekError` subclass a renderer raises for a bad source or
theme: an input that triggers it, a witness showing the render-level code really raises that
type for that input, and the located line `check` prints for it. Types that never come from the
sources are listed with the reason; `FOREIGN` does the same for the library exceptions (YAML,
pydantic, Jinja, decoding, resources) the loader turns into located messages. A new `BimtekError`
subclass without an entry fails `test_every_error_type_has_an_entry`: decide which table it
belongs to and add it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bimtek_kit
from bimtek_kit.cli import app
from bimtek_kit.errors import BimtekError, Loc

FRONT = (
    "---\ntitle: Modul Uji\nduration_jp: 2\n"
    "objectives: [menjelaskan pelayanan, menerapkan pelayanan, menilai pelayanan]\n---\n"
    "\n## Pelayanan\n\nTeks pelayanan.\n"
)
CONFIG = "title: Bimtek Uji\n"


@dataclass
class Case:
    files: dict[str, str | bytes]
    expected: str
    """The line `check` prints (exit 1)."""
    witness: Callable[[Path], object]
    """Calls the render-level code that raised this type for the input, given the project."""
    config: str = CONFIG


def _content_witness(project: Path) -> object:
    from bimtek_kit.loader import load_course

    return load_course(project)


def _theme_witness(project: Path) -> object:
    from bimtek_kit.themes import load_theme

    return load_theme("tidak-ada", project)


def _slide_witness(project: Path) -> object:
    from bimtek_kit.model import Image
    from bimtek_kit.render.slides.renderer import _pixel_size

    path = project / "content/modules/rusak.png"
    return _pixel_size(Image("rusak.png", path, "Rusak", "", Loc("x.md", 1)))


def _template_witness(project: Path) -> object:
    from bimtek_kit.render.slides.template import open_base, palette

    pal = palette({"primary": "#112233"}, None)
    return open_base(project / "themes/default/template.pptx", {}, pal, "Arial")


def _render_witness(project: Path) -> object:
    """The schedule renderer given a course whose modules do not fit its days (which the
    loader refuses, so the course is loaded without `days` and given them afterwards)."""
    import dataclasses
    import shutil

    from bimtek_kit.loader import load_course
    from bimtek_kit.render import get_renderer
    from conftest import render_context

    copy = shutil.copytree(project, project.with_name(project.name + "-ohne-days"))
    config_file = copy / "bimtek.yml"
    config_file.write_text(config_file.read_text("utf-8").replace("  days: 1\n", ""), "utf-8")
    course = load_course(copy)
    schedule = course.config.schedule.model_copy(update={"days": 1})
    course = dataclasses.replace(course, config=course.config.model_copy(
        update={"schedule": schedule}))
    ctx = render_context(course)
    renderer = get_renderer("schedule")
    return [renderer.run(job, ctx) for job in renderer.jobs(ctx)]


RAISED_FROM_SOURCES: dict[str, Case] = {
    "ContentError": Case(
        {"content/modules/01-a.md": FRONT.replace("duration_jp: 2", "duration_jp: dua")},
        "content/modules/01-a.md:3: duration_jp: expected a whole number, got 'dua'",
        _content_witness,
    ),
    "ThemeError": Case(
        {"content/modules/01-a.md": FRONT},
        "bimtek.yml:2: theme 'tidak-ada' not found (available: default)",
        _theme_witness,
        config=CONFIG + "theme: tidak-ada\n",
    ),
    "SlideError": Case(
        {"content/modules/01-a.md": FRONT + "\n![Rusak](rusak.png)\n",
         "content/modules/rusak.png": b"bukan gambar"},
        "content/modules/01-a.md:11: image 'rusak.png' cannot be read as an image",
        _slide_witness,
    ),
    "TemplateError": Case(
        {"content/modules/01-a.md": FRONT, "themes/default/template.pptx": b""},
        "themes/default/template.pptx: not a PowerPoint file (.pptx): save the template from "
        "PowerPoint or LibreOffice Impress as .pptx, or remove it",
        _template_witness,
    ),
    "RenderError": Case(
        {"content/modules/01-a.md": FRONT.replace("duration_jp: 2", "duration_jp: 20")},
        "bimtek.yml:4: schedule: the modules need 20 JP",
        _render_witness,
        config=CONFIG + "schedule:\n  start_date: 2026-12-07\n  days: 1\n",
    ),
}

def _yaml_witness(project: Path) -> object:
    import yaml

    return yaml.safe_load((project / "bimtek.yml").read_text(encoding="utf-8"))


def _validation_witness(project: Path) -> object:
    from bimtek_kit.config import FrontMatter

    return FrontMatter.model_validate({"title": "A", "duration_jp": "dua", "objectives": ["x"]})


def _resource_witness(project: Path) -> object:
    from bimtek_kit.resources import resolve_resource

    return resolve_resource("hilang.png", project / "content/modules", (project,))


def _jinja_witness(project: Path) -> object:
    import jinja2

    return jinja2.Environment().parse("{% for x in %}")


def _decode_witness(project: Path) -> object:
    return (project / "bimtek.yml").read_bytes().decode("utf-8")


FOREIGN: dict[str, Case] = {
    # Library exceptions the loader turns into located messages; `build` never sees them raw.
    "yaml.MarkedYAMLError": Case(
        {"content/modules/01-a.md": FRONT},
        "bimtek.yml:2: YAML syntax error: mapping values are not allowed here",
        _yaml_witness, config="title: Kursus\nplace: Kota: Bandung\n",
    ),
    "pydantic.ValidationError": Case(
        {"content/modules/01-a.md": FRONT.replace("duration_jp: 2", "duration_jp: dua")},
        "content/modules/01-a.md:3: duration_jp: expected a whole number, got 'dua'",
        _validation_witness,
    ),
    "resources.ResourceError": Case(
        {"content/modules/01-a.md": FRONT + "\n![Hilang](hilang.png)\n"},
        "content/modules/01-a.md:11: image 'hilang.png' not found",
        _resource_witness,
    ),
    "jinja2.TemplateSyntaxError": Case(
        {"content/modules/01-a.md": FRONT, "themes/default/templates/print/test.html":
         "{% for x in %}\n"},
        "themes/default/templates/print/test.html:1: template syntax error",
        _jinja_witness,
    ),
    "UnicodeDecodeError": Case(
        {"content/modules/01-a.md": FRONT},
        "bimtek.yml:1: file is not valid UTF-8 (byte 0xe9); save it as UTF-8",
        _decode_witness, config="title: Caf\xe9\n",
    ),
}


NOT_FROM_SOURCES = {
    "UsageError": "a command-line mistake (exit 2), e.g. build --only nope",
    "ScaffoldError": "raised by new-module and init only, never by build",
    "OutputError": "the output folder, not the sources (a path escaping it is a bug guard)",
}


def _error_types() -> set[str]:
    for module in pkgutil.walk_packages(bimtek_kit.__path__, "bimtek_kit."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: set[str] = set()
    pending = [BimtekError]
    while pending:
        for sub in pending.pop().__subclasses__():
            found.add(sub.__name__)
            pending.append(sub)
    return found


def test_every_error_type_has_an_entry():
    missing = _error_types() - set(RAISED_FROM_SOURCES) - set(NOT_FROM_SOURCES)
    assert not missing, f"add these to RAISED_FROM_SOURCES or NOT_FROM_SOURCES: {missing}"
    assert not set(RAISED_FROM_SOURCES) & set(NOT_FROM_SOURCES)


@pytest.mark.parametrize("name", [*RAISED_FROM_SOURCES, *FOREIGN])
def test_check_reports_it_first(make_project, tmp_path, name):
    case = RAISED_FROM_SOURCES.get(name) or FOREIGN[name]
    files = dict(case.files)
    project = make_project(files, config=None)
    config = case.config.encode("latin-1") if name == "UnicodeDecodeError" else case.config
    (project / "bimtek.yml").write_bytes(config if isinstance(config, bytes) else config.encode())
    with pytest.raises(Exception) as raised:  # noqa: PT011 - the type is the point, checked below
        case.witness(project)
    assert name.rsplit(".", 1)[-1] in {cls.__name__ for cls in type(raised.value).__mro__}
    checked = CliRunner().invoke(app, ["check", "-C", str(project)])
    assert checked.exit_code == 1
    assert any(line.startswith(case.expected) for line in checked.output.splitlines()), (
        checked.output
    )
    built = CliRunner().invoke(app, ["build", "-C", str(project), "-o", str(tmp_path / "out")])
    assert built.exit_code == 1 and "Traceback" not in built.output
    assert any(line.startswith(case.expected) for line in built.output.splitlines())
    assert not (tmp_path / "out").exists()


def test_a_usage_error_exits_2(feature_project, tmp_path):
    result = CliRunner().invoke(
        app, ["build", "-C", str(feature_project), "-o", str(tmp_path / "o"), "--only", "nope"]
    )
    assert result.exit_code == 2

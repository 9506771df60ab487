"""The command line: help, exit codes, scaffolding that never overwrites."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bimtek_kit.cli import app
from conftest import REPO

COMMANDS = ["build", "new-module", "init", "check", "list"]


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_help_lists_every_command():
    result = run("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_help_does_not_import_renderers():
    """`bimtek --help` must stay fast: no WeasyPrint, python-pptx or pydantic on that path."""
    code = (
        "import sys; from bimtek_kit.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "names = ('weasyprint', 'pptx', 'pydantic', 'markdown_it')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


@pytest.mark.slow
def test_noop_build_of_the_default_course_loads_no_renderer_library(tmp_path):
    """A build with nothing to do must not pay for WeasyPrint, pypdf, python-pptx or pydantic.

    #12; pydantic since typer 0.29 imported it to convert every option (+300 ms, #23)."""
    out = tmp_path / "dist"
    first = CliRunner().invoke(app, ["build", str(REPO), "-o", str(out), "--quiet"])
    assert first.exit_code == 0, first.output
    code = (
        "import sys; from bimtek_kit.cli import app\n"
        f"try:\n    app(['build', {str(REPO)!r}, '-o', {str(out)!r}])\n"
        "except SystemExit as exc:\n    print('EXIT', exc.code)\n"
        "names = ('weasyprint', 'pptx', 'pypdf', 'fontTools', 'pydantic')\n"
        "print('HEAVY', [m for m in names if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert "EXIT 0" in result.stdout
    assert "HEAVY []" in result.stdout, result.stdout


def test_init_creates_a_course_that_checks_clean(tmp_path):
    target = tmp_path / "kursus"
    result = run("init", str(target))
    assert result.exit_code == 0, result.output
    assert (target / "bimtek.yml").is_file()
    assert len(list((target / "content" / "modules").glob("*.md"))) == 2
    assert (target / "content" / "evaluasi" / "pre-test.yml").is_file()
    assert (target / "content" / "glosarium.yml").is_file()
    assert run("check", str(target), "--strict").exit_code == 0


def test_init_refuses_a_non_empty_folder(tmp_path):
    target = tmp_path / "ada-isi"
    target.mkdir()
    (target / "catatan.txt").write_text("jangan dihapus", encoding="utf-8")
    result = run("init", str(target))
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert [p.name for p in target.iterdir()] == ["catatan.txt"]


def test_new_module_scaffolds_the_next_number_and_checks_clean(tmp_path):
    target = tmp_path / "kursus"
    run("init", str(target))
    result = run("new-module", "Étika Pelayanan: Dasar & Praktik", "-C", str(target), "--jp", "3")
    assert result.exit_code == 0, result.output
    created = target / "content" / "modules" / "03-etika-pelayanan-dasar-praktik.md"
    assert created.is_file()
    text = created.read_text(encoding="utf-8")
    assert "duration_jp: 3" in text and ":::: latihan" in text and "::: kunci" in text
    assert "::: rangkuman" in text and text.count("\n## ") == 2
    checked = run("check", str(target))  # placeholders are a hint until the author replaces them
    assert checked.exit_code == 0
    assert (
        "content/modules/03-etika-pelayanan-dasar-praktik.md:7: warning: placeholder text from "
        "'bimtek new-module' ('menjelaskan konsep utama materi ini') is still here (8 more "
        "below): replace it with the module's own content"
    ) in checked.output.splitlines()
    case = run("new-module", "Kasus Loket", "-C", str(target), "--kind", "studi-kasus")
    assert case.exit_code == 0
    assert ":::: studi-kasus" in (target / "content/modules/04-kasus-loket.md").read_text("utf-8")


def test_new_module_never_overwrites(tmp_path):
    target = tmp_path / "kursus"
    run("init", str(target))
    first = run("new-module", "Modul Baru", "-C", str(target))
    path = target / "content/modules/03-modul-baru.md"
    path.write_text(path.read_text("utf-8") + "\nTambahan penulis.\n", encoding="utf-8")
    before = path.read_bytes()
    again = run("new-module", "Modul Baru", "-C", str(target))
    assert first.exit_code == 0 and again.exit_code == 1
    assert "already exists" in again.output
    assert path.read_bytes() == before
    assert not (target / "content/modules/04-modul-baru.md").exists()


def test_new_module_rejects_an_unsafe_id(tmp_path):
    target = tmp_path / "kursus"
    run("init", str(target))
    result = run("new-module", "Judul", "-C", str(target), "--id", "../../etc")
    assert result.exit_code == 1
    assert "not safe" in result.output


def test_build_writes_a_manifest_and_reports_output_kinds(feature_project):
    result = run("build", str(feature_project), "--quiet")
    assert result.exit_code == 0, result.output
    manifest = feature_project / "dist" / "bimtek-uji" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert data["generator"] == "bimtek-kit"
    for entry in data["files"]:
        file = manifest.parent / entry["path"]
        assert file.stat().st_size == entry["size"]


def test_unknown_output_kind_is_a_usage_error(feature_project):
    result = run("build", str(feature_project), "--only", "sildes")
    assert result.exit_code == 2
    assert "unknown output kind 'sildes'" in result.output


def test_unknown_module_filter_is_a_usage_error(feature_project):
    result = run("build", str(feature_project), "--module", "fitur-lengkp")
    assert result.exit_code == 2
    assert "did you mean 'fitur-lengkap'?" in result.output


def test_list_shows_modules_and_totals(feature_project):
    result = run("list", str(feature_project))
    assert result.exit_code == 0
    assert "fitur-lengkap" in result.output and "kedua" in result.output
    total = [line for line in result.output.splitlines() if "total" in line][0]
    assert " 6 " in total and " 270 " in total
    schedule = result.output.splitlines()[-1]
    assert schedule.startswith("schedule: ") and schedule.endswith(" JP")
    per_day = schedule.rsplit(", ", 1)[1].removesuffix(" JP").split(" + ")
    assert sum(map(int, per_day)) == 6  # every JP lands on a day


def test_python_dash_m_runs_the_cli():
    out = subprocess.run(
        [sys.executable, "-m", "bimtek_kit", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,
    )
    assert "new-module" in out.stdout

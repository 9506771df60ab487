"""The no-op short cut (issue #12): a build that would change nothing says so from file stats,
without the loader or any renderer, and anything that differs takes the normal path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from bimtek_kit.buildstamp import STAMP
from bimtek_kit.cli import app

ONLY = ["--only", "lms,schedule"]
"""Two cheap outputs (one PDF): what is measured here is the path around the renderers."""


def settle(root: Path) -> None:
    """Date the project's files two minutes back (files written moments ago leave no stamp)."""
    past = time.time() - 120
    for path in [root, *root.rglob("*")]:
        os.utime(path, (past, past))


def summary(output: str) -> str:
    """The line `N rendered (M changed), K reused, …` of a build's output."""
    return next(line for line in output.splitlines() if " rendered (" in line)


def warning_lines(output: str) -> list[str]:
    return [line for line in output.splitlines()
            if ": warning:" in line or line.endswith(" warnings")]


def build(root: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["build", "-C", str(root), *ONLY, *extra])
    return result.exit_code, result.output


def test_a_second_build_replays_the_first_without_loading_the_course(feature_project):
    settle(feature_project)
    code, first = build(feature_project)
    assert code == 0, first
    assert (feature_project / ".bimtek" / STAMP).is_file()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    second = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bimtek_kit", "build", "-C",
         str(feature_project), *ONLY], capture_output=True, text=True, env=env, check=True)
    imported = {line.rsplit("|", 1)[-1].strip() for line in second.stderr.splitlines()}
    assert "bimtek_kit.buildstamp" in imported
    for heavy in ("bimtek_kit.loader", "bimtek_kit.render.base", "weasyprint", "pptx", "yaml"):
        assert heavy not in imported, heavy
    rendered = summary(first).split(" rendered")[0]
    assert int(rendered) > 0
    line = summary(second.stdout)
    assert line.startswith(f"0 rendered (0 changed), {rendered} reused, 0 removed")


def test_an_edited_module_takes_the_normal_path(feature_project):
    settle(feature_project)
    assert build(feature_project)[0] == 0
    module = feature_project / "content" / "modules" / "02-kedua.md"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("title: Modul Kedua", "title: Modul Kedua Baru"), "utf-8")
    code, output = build(feature_project)
    assert code == 0, output
    assert summary(output).startswith("1 rendered (1 changed)"), output  # the jadwal


def test_a_touched_source_is_checked_again_and_changes_nothing(feature_project):
    settle(feature_project)
    assert build(feature_project)[0] == 0
    stamp = feature_project / ".bimtek" / STAMP
    module = feature_project / "content" / "modules" / "02-kedua.md"
    os.utime(module, (time.time() - 60, time.time() - 60))
    before = stamp.stat().st_mtime_ns
    code, output = build(feature_project)
    assert code == 0, output
    assert summary(output).startswith("0 rendered (0 changed)")
    assert stamp.stat().st_mtime_ns != before  # the normal path ran and stamped anew


def test_a_deleted_output_is_written_again(feature_project):
    settle(feature_project)
    assert build(feature_project)[0] == 0
    manifest = json.loads(next((feature_project / "dist").glob("*/manifest.json")).read_text())
    victim = next((feature_project / "dist").glob("*")) / manifest["files"][0]["path"]
    victim.unlink()
    code, output = build(feature_project)
    assert code == 0, output
    assert victim.is_file()


def test_a_stranger_in_the_package_is_still_refused(feature_project):
    settle(feature_project)
    assert build(feature_project)[0] == 0
    package = next((feature_project / "dist").glob("*"))
    (package / "catatan-saya.txt").write_text("milik orang lain", encoding="utf-8")
    code, output = build(feature_project)
    assert code == 2
    assert "holds files bimtek did not write (catatan-saya.txt)" in output


def test_warnings_are_printed_again(feature_project):
    root = feature_project  # its modules have too few objectives: three warnings
    settle(root)
    code, first = build(root)
    assert code == 0, first
    warnings = warning_lines(first)
    assert warnings, first
    code, second = build(root)
    assert code == 0
    assert warning_lines(second) == warnings
    assert summary(second).startswith("0 rendered")
    assert "reused" not in second.replace(summary(second), "")  # replayed, not re-run


def test_other_options_take_the_normal_path(feature_project):
    settle(feature_project)
    assert build(feature_project)[0] == 0
    code, output = build(feature_project, "--variants", "2")
    assert code == 0, output
    assert not summary(output).startswith("0 rendered"), output  # the keys include variants


def test_a_garbage_or_hostile_stamp_is_ignored(feature_project):
    settle(feature_project)
    assert build(feature_project)[0] == 0
    stamp = feature_project / ".bimtek" / STAMP
    good = json.loads(stamp.read_text(encoding="utf-8"))
    hostile = {**good, "diagnostics": [["x", "not a line", {"a": 1}, "error"]]}
    for text in ("\x00garbage", json.dumps(hostile), json.dumps([1, 2]), "{}"):
        stamp.write_text(text, encoding="utf-8")
        code, output = build(feature_project)
        assert code == 0, output
        assert summary(output).startswith("0 rendered (0 changed)")
        assert json.loads(stamp.read_text(encoding="utf-8"))["version"] == good["version"]


def test_a_source_edited_while_building_leaves_no_stamp(feature_project, monkeypatch):
    from bimtek_kit import buildstamp

    settle(feature_project)
    real = buildstamp.input_lines
    calls = []

    def moving(options):  # the second look (at the end of the build) sees another file
        calls.append(1)
        lines = real(options)
        return lines + ["content/modules/03-baru.md 10 1"] if len(calls) > 1 else lines

    monkeypatch.setattr(buildstamp, "input_lines", moving)
    assert build(feature_project)[0] == 0
    assert not (feature_project / ".bimtek" / STAMP).exists()

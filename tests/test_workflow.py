"""The CI publishing workflow: in this repository and in every project `bimtek init` creates."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bimtek_kit.cli import app

REPO = Path(__file__).resolve().parents[1]


def steps_of(path: Path) -> tuple[dict, list[dict]]:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job.get("steps", [])]
    return workflow, steps


def assert_publishes_handouts(path: Path) -> None:
    workflow, steps = steps_of(path)
    runs = "\n".join(step.get("run", "") for step in steps)
    uses = [step.get("uses", "") for step in steps]
    assert "pip install" in runs
    assert "bimtek build --strict --zip" in runs
    assert "SOURCE_DATE_EPOCH" in runs
    assert any(u.startswith("actions/upload-artifact") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    assert workflow["permissions"]["pages"] == "write"


def test_repository_workflow_builds_and_publishes():
    assert_publishes_handouts(REPO / ".github" / "workflows" / "handouts.yml")


@pytest.mark.parametrize("example", [False, True])
def test_init_writes_the_workflow(tmp_path, example):
    target = tmp_path / "kursus"
    args = ["init", str(target)] + (["--example"] if example else [])
    assert CliRunner().invoke(app, args).exit_code == 0
    assert_publishes_handouts(target / ".github" / "workflows" / "handouts.yml")

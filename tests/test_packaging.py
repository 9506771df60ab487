"""The wheel carries themes, the default course and the starter: `pip install .` works anywhere."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(REPO),
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return next(out.glob("bimtek_kit-*.whl"))


def test_wheel_contains_themes_default_course_and_starter(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "bimtek_kit/data/themes/default/theme.yml" in names
    assert "bimtek_kit/data/themes/default/labels.yml" in names
    assert "bimtek_kit/data/course/bimtek.yml" in names
    assert any(n.startswith("bimtek_kit/data/course/content/modules/") for n in names)
    assert "bimtek_kit/data/starter/bimtek.yml" in names


@pytest.mark.slow
def test_installed_wheel_runs_init_and_build_outside_the_repo(wheel, tmp_path):
    """A fresh venv gets only the wheel; dependencies come from the test venv's site-packages."""
    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--quiet",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    fresh_site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (fresh_site / "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    bimtek = env_dir / "bin" / "bimtek"
    work = tmp_path / "work"
    work.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import bimtek_kit; print(bimtek_kit.__file__)"],
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(env_dir))
    for args in (
        ["init", "kursus"],
        ["build", "kursus"],
        ["init", "--example", "contoh"],
        ["check", "--strict", "contoh"],
    ):
        result = subprocess.run([str(bimtek), *args], cwd=work, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((work / "kursus/dist/bimtek-pelayanan-prima/manifest.json").read_text())
    assert manifest["generator"] == "bimtek-kit"
    assert len(list((work / "contoh/content/modules").glob("*.md"))) == 9  # BLC + M1-M8
    assert (work / "kursus/.github/workflows/handouts.yml").is_file()

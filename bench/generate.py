"""Generate a deterministic N-module course from the default course (for `make bench`).

Module i is a copy of default module (i mod 8) with its own id and title; question banks are
re-tagged to the copies so the course validates. The schedule has no fixed number of days, so
any N fits. The output is the same for the same N.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def generate(n: int, target: Path, source: Path = REPO) -> Path:
    """Write an N-module course project into `target` (emptied first) and return it."""
    if target.exists():
        shutil.rmtree(target)
    (target / "content" / "modules").mkdir(parents=True)
    # the eight mata pelatihan; the 1-JP opening session (00-bina-suasana) is not copied
    originals = sorted(p for p in (source / "content" / "modules").glob("*.md")
                       if not p.name.startswith("00-"))
    first_copy: dict[str, str] = {}
    for index in range(n):
        original = originals[index % len(originals)]
        base_id = re.sub(r"^\d+-", "", original.stem)
        new_id = f"m{index + 1:03d}-{base_id}"[:60]
        first_copy.setdefault(base_id, new_id)
        text = original.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^id: .*$", f"id: {new_id}", text, count=1)
        text = re.sub(r"(?m)^title: (.*)$", rf"title: \1 ({index + 1})", text, count=1)
        text = re.sub(r"(?m)^code: .*$", f"code: M{index + 1}", text, count=1)
        name = f"{index + 1:03d}-{new_id}.md"
        (target / "content" / "modules" / name).write_text(text, encoding="utf-8")
    config = yaml.safe_load((source / "bimtek.yml").read_text(encoding="utf-8"))
    config["schedule"].pop("days", None)
    config["slug"] = f"bench-{n}"
    _remap_narasumber(config, first_copy)
    (target / "bimtek.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    _copy_evaluations(source, target, first_copy)
    for name in ("glosarium.yml", "pustaka.yml"):
        if (source / "content" / name).is_file():
            shutil.copy2(source / "content" / name, target / "content" / name)
    return target


def _remap_narasumber(config: dict, first_copy: dict[str, str]) -> None:
    """Speakers teach the first copy of their modules; a speaker of a module that was not
    copied (the opening session, or N < 8) is left out, as the loader checks every id."""
    speakers = []
    for speaker in config.get("narasumber") or []:
        modules = [first_copy[m] for m in speaker.get("modul") or [] if m in first_copy]
        if modules:
            speakers.append({**speaker, "modul": modules})
    if "narasumber" in config:
        config["narasumber"] = speakers


def _copy_evaluations(source: Path, target: Path, first_copy: dict[str, str]) -> None:
    folder = target / "content" / "evaluasi"
    folder.mkdir(parents=True)
    for path in sorted((source / "content" / "evaluasi").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for question in data.get("questions", []) if isinstance(data, dict) else []:
            if question.get("module") in first_copy:
                question["module"] = first_copy[question["module"]]
        (folder / path.name).write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    print(generate(args.n, args.target))


if __name__ == "__main__":
    main()

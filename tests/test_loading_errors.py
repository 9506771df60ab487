"""Bad input from issue #2: each gives `path:line: message`, exit 1, no traceback, no output."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bimtek_kit.cli import app

GOOD_FRONT = (
    "---\ntitle: Modul Baik\nduration_jp: 2\n"
    "objectives: [menjelaskan bagian, menerapkan bagian, menilai bagian]\n---\n"
)
BODY = "\n## Bagian\n\nTeks.\n"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def check_lines(project: Path, *extra: str) -> tuple[int, list[str]]:
    result = run("check", str(project), *extra)
    assert "Traceback" not in result.output
    return result.exit_code, result.output.splitlines()


def module(front: str = GOOD_FRONT, body: str = BODY) -> str:
    return front + body


CASES = {
    "yaml syntax in bimtek.yml": (
        {"bimtek.yml": "title: Kursus\nschedule:\n  days: [1, 2\n"},
        "bimtek.yml:4: YAML syntax error",
    ),
    "yaml syntax in front matter": (
        {"content/modules/01-a.md": "---\ntitle: A\nobjectives: [x\nduration_jp: 2\n---\n"},
        "content/modules/01-a.md:4: YAML syntax error",
    ),
    "undefined variable in a project template": (
        {"content/modules/01-a.md": module(),
         "themes/default/templates/print/schedule.html":
             '{% extends "print/base.html" %}{{ tittle }}\n'},
        "themes/default/templates/print/schedule.html:1: template uses undefined variable "
        "'tittle'",
    ),
    "yaml alias in a question bank": (
        {"content/modules/01-a.md": module(),
         "content/evaluasi/pre-test.yml": "title: &t Pre-test\nkind: pre\nquestions: *t\n"},
        "content/evaluasi/pre-test.yml:3: YAML syntax error: alias '*t' is not allowed",
    ),
    "no front matter": (
        {"content/modules/01-a.md": "## Bagian\n\nTeks.\n"},
        "content/modules/01-a.md:1: module has no front matter",
    ),
    "unterminated front matter": (
        {"content/modules/01-a.md": "---\ntitle: A\nduration_jp: 2\n\n## Bagian\n"},
        "content/modules/01-a.md:1: front matter is never closed",
    ),
    "misspelt key": (
        {
            "content/modules/01-a.md": "---\ntittle: A\ntitle: A\nduration_jp: 2\n"
            "objectives: [x]\n---\n"
        },
        "content/modules/01-a.md:2: unknown key 'tittle' (did you mean 'title'?)",
    ),
    "wrong type": (
        {"content/modules/01-a.md": "---\ntitle: A\nduration_jp: tiga\nobjectives: [x]\n---\n"},
        "content/modules/01-a.md:3: duration_jp: expected a whole number, got 'tiga'",
    ),
    "empty objectives": (
        {"content/modules/01-a.md": "---\ntitle: A\nduration_jp: 2\nobjectives: []\n---\n"},
        "content/modules/01-a.md:4: objectives: must not be empty",
    ),
    "duplicate ids": (
        {
            "content/modules/01-a.md": "---\nid: sama\n" + GOOD_FRONT[4:] + BODY,
            "content/modules/02-b.md": "---\nid: sama\n" + GOOD_FRONT[4:] + BODY,
        },
        "content/modules/02-b.md:2: duplicate module id 'sama' (already used by "
        "content/modules/01-a.md:2)",
    ),
    "unclosed container": (
        {"content/modules/01-a.md": module(body="\n## B\n\n::: penting\nTeks.\n")},
        "content/modules/01-a.md:9: directive 'penting' is never closed",
    ),
    "kunci outside an activity": (
        {"content/modules/01-a.md": module(body="\n## B\n\n::: kunci\nJawaban.\n:::\n")},
        "content/modules/01-a.md:9: 'kunci' (answer key) is only allowed inside latihan",
    ),
    "non-UTF-8 file": (
        {
            "content/modules/01-a.md": (GOOD_FRONT + "\n## B\n\nPelayanan \xe9 baik.\n").encode(
                "latin-1"
            )
        },
        "content/modules/01-a.md:9: file is not valid UTF-8",
    ),
    "listed module missing": (
        {
            "bimtek.yml": "title: Kursus\nmodules:\n  - modul-a\n  - modul-hilang\n",
            "content/modules/01-modul-a.md": module(),
        },
        "bimtek.yml:4: module 'modul-hilang' is listed in modules but no module file has that id",
    ),
    "answer not among options": (
        {
            "content/modules/01-a.md": module(),
            "content/evaluasi/pre-test.yml": "title: Pre-test\nquestions:\n  - question: Soal?\n"
            "    options: [satu, dua]\n    answer: D\n",
        },
        "content/evaluasi/pre-test.yml:3: questions.0: answer 'D' is not among the options",
    ),
    "reference without a title": (
        {"content/modules/01-a.md": module(),
         "content/pustaka.yml": "- title: Buku A\n  year: 2020\n- author: Penulis\n  yeer: 2021\n"},
        "content/pustaka.yml:4: unknown key 'yeer' (did you mean 'year'?)",
    ),
    "stray closing fence": (
        {"content/modules/01-a.md": module(body="\n## B\n\nTeks.\n\n:::\n")},
        "content/modules/01-a.md:11: ':::' closes no open directive",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_reported_at_its_line(make_project, case):
    files, expected = CASES[case]
    files = dict(files)
    config = files.pop("bimtek.yml", "title: Kursus Uji\n")
    project = make_project(files, config=config)
    code, lines = check_lines(project)
    assert code == 1
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)


def test_build_with_errors_writes_nothing(make_project):
    project = make_project({"content/modules/01-a.md": "---\ntitle: A\n---\n"})
    result = run("build", str(project))
    assert result.exit_code == 1
    assert "content/modules/01-a.md:2: missing required key 'duration_jp'" in result.output
    assert not (project / "dist").exists()


def test_all_problems_of_a_run_are_reported_together(make_project):
    project = make_project(
        {
            "content/modules/01-a.md": "---\ntittle: A\nduration_jp: tiga\nobjectives: []\n---\n",
            "content/modules/02-b.md": module(body="\n## B\n\n::: kunci\nx\n:::\n"),
        }
    )
    code, lines = check_lines(project)
    problems = [line for line in lines if line.startswith("content/") and "warning:" not in line]
    assert code == 1
    assert len(problems) >= 4, lines
    assert lines[-1].startswith(f"{len(problems)} errors")


def test_unknown_directive_is_an_error_with_did_you_mean(make_project):
    project = make_project(
        {"content/modules/01-a.md": module(body="\n## B\n\n::: latihn\nx\n:::\n")}
    )
    code, lines = check_lines(project)
    assert code == 1
    assert (
        "content/modules/01-a.md:9: unknown directive 'latihn' (did you mean 'latihan'?); "
        "its content is left out everywhere" in lines
    )


def test_unknown_option_is_an_error(make_project):
    body = "\n## B\n\n:::: latihan X {waktu=10 bariss=3}\n1. Soal?\n::::\n"
    project = make_project({"content/modules/01-a.md": module(body=body)})
    code, lines = check_lines(project)
    assert code == 1
    assert (
        "content/modules/01-a.md:9: unknown option 'bariss' for 'latihan' "
        "(did you mean 'baris'?)" in lines
    )


def test_bom_and_crlf_simply_work(make_project):
    text = module(body="\n## Bagian\n\n:::: latihan X\n1. Soal?\n\n::: kunci\nJawab.\n:::\n::::\n")
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    project = make_project({"content/modules/01-a.md": data})
    code, lines = check_lines(project, "--strict")
    assert code == 0, lines


def test_missing_project_folder_is_a_clear_error(tmp_path):
    code, lines = check_lines(tmp_path / "tidak-ada")
    assert code == 1
    assert "no bimtek.yml" in lines[0]

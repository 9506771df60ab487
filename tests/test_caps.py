"""Input caps (issue #13, README "Security model"): what would make a renderer superlinear is
refused at load as `path:line: message`, fast."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

from bimtek_kit import caps
from bimtek_kit.cli import app

FRONT = "---\ntitle: Modul Uji\nduration_jp: 1\nobjectives: [menjelaskan]\n---\n\n## A\n\n"


def check(make_project, body: str, name: str = "proyek") -> tuple[int, str, float]:
    project = make_project({"content/modules/01-a.md": FRONT + body}, name=name)
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["check", str(project)])
    elapsed = time.perf_counter() - started
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output, elapsed


def test_a_seven_megabyte_module_is_refused_at_check_quickly(make_project):
    paragraph = "Pelayanan publik yang baik dimulai dari komunikasi yang jelas. " * 20 + "\n\n"
    code, output, elapsed = check(make_project, paragraph * (7 * 1024 * 1024 // len(paragraph)))
    assert code == 1
    assert "content/modules/01-a.md:1: module is 7167 KB; the limit is 256 KB" in output
    assert elapsed < 10


@pytest.mark.parametrize("unit", ["[", "[*<", "[x "])
@pytest.mark.parametrize(
    ("kilobytes", "message"),
    [
        (596, "content/modules/01-a.md:1: module is 596 KB; the limit is 256 KB"),
        (200, "content/modules/01-a.md:9: more than 5,000 '[' characters in one module"),
    ],
)
def test_hundreds_of_kilobytes_of_brackets_are_refused_quickly(make_project, unit, kilobytes,
                                                                message):
    code, output, elapsed = check(make_project, unit * (kilobytes * 1024 // len(unit)))
    assert code == 1
    assert message in output
    assert elapsed < 10


def test_brackets_under_the_cap_parse_in_linear_time(make_project):
    def timed(n: int) -> float:
        return check(make_project, "[*< " * n, name=f"p{n}")[2]

    small = timed(1000)
    large = timed(4000)
    assert large < max(small, 0.1) * 10  # 4x the input, nowhere near 16x


def test_lists_over_the_cap_are_a_located_error(make_project):
    bullets = "".join(f"- butir {i}\n" for i in range(caps.MAX_LIST_ITEMS + 1))
    code, output, _ = check(make_project, "Pengantar.\n\n" + bullets)
    assert code == 1
    assert "content/modules/01-a.md:11: list has 2,001 items; the limit is 2,000" in output


def test_tables_over_the_caps_are_located_errors(make_project):
    wide = "|" + "|".join(f"k{i}" for i in range(31)) + "|\n|" + "---|" * 31 + "\n"
    long_rows = "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * (caps.MAX_TABLE_ROWS + 1)
    code, output, _ = check(make_project, wide + "\n\nTeks.\n\n" + long_rows)
    assert code == 1
    assert "content/modules/01-a.md:9: table has 31 columns; the limit is 30" in output
    assert "content/modules/01-a.md:15: table has 1,001 rows; the limit is 1,000" in output


def test_a_huge_paragraph_is_a_located_error(make_project):
    code, output, _ = check(make_project, "kata " * (caps.MAX_PARAGRAPH_CHARS // 5 + 1))
    assert code == 1
    limit = caps.MAX_PARAGRAPH_CHARS
    assert (f"content/modules/01-a.md:9: paragraph has {limit + 4:,} characters; the limit is "
            f"{limit:,} per paragraph") in output


def test_a_huge_table_cell_and_code_line_are_located_errors(make_project):
    cell = "kata " * (caps.MAX_CELL_CHARS // 5 + 1)
    table = f"| a | b |\n|---|---|\n| pendek | {cell} |\n"
    code_block = "```\n" + "x = 1\n" + "y" * (caps.MAX_PARAGRAPH_CHARS + 1) + "\n```\n"
    code, output, _ = check(make_project, table + "\nTeks.\n\n" + code_block)
    assert code == 1
    cells, lines = caps.MAX_CELL_CHARS, caps.MAX_PARAGRAPH_CHARS
    assert (f"content/modules/01-a.md:9: a table cell has {cells + 4:,} characters; the limit "
            f"is {cells:,} per cell") in output
    assert (f"content/modules/01-a.md:15: a code line has {lines + 1:,} characters; the limit "
            f"is {lines:,} per line") in output


def test_a_module_at_the_caps_loads(make_project):
    bullets = "".join(f"- butir {i}\n" for i in range(caps.MAX_LIST_ITEMS))
    table = "|" + "|".join(f"k{i}" for i in range(30)) + "|\n|" + "---|" * 30 + "\n"
    table += "|" + "|".join(["x" * caps.MAX_CELL_CHARS] * 30) + "|\n"
    paragraph = "kata " * (caps.MAX_PARAGRAPH_CHARS // 5)
    brackets = "[a] " * 2000 + "\n\n" + "[a] " * 2000
    code, output, _ = check(make_project, bullets + "\n\n" + table + "\n\n" + brackets
                            + "\n\n" + paragraph)
    assert code == 0, output

"""Property-based: random `theme.yml` values and broken template overrides end in exit 0 or 1,
never exit 3 ("this is a bug"), for `check` and for `build` (issue #14).

Values are drawn near and beyond the schema's bounds and from junk of every YAML type; template
overrides are built-in templates with a random mistake spliced in. `BIMTEK_FUZZ_EXAMPLES` runs
more examples (`make fuzz`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bimtek_kit.cli import app
from bimtek_kit.paths import builtin_themes_dir

EXAMPLES = int(os.environ.get("BIMTEK_FUZZ_EXAMPLES", "25"))
CONFIG = "title: Bimtek Uji Tema\nschedule:\n  start_date: 2026-12-07\n"
MODULE = """\
---
title: Pelayanan Publik
duration_jp: 2
objectives: [menjelaskan pelayanan, menerapkan pelayanan, menilai pelayanan]
---

## Pelayanan Publik

Teks pelayanan dengan **tebal** dan daftar:

- butir satu yang cukup panjang untuk membungkus baris pada slide
- butir dua

| Kolom | Nilai |
|---|---|
| a | b |

:::: latihan Latihan Pelayanan {waktu=10 baris=3}
1. Soal pelayanan?

::: kunci
Jawaban.
:::
::::
"""
BANK = """\
title: Pre-test
questions:
  - question: Soal satu?
    options: [a, bb, ccc]
    answer: B
  - question: Soal dua?
    type: isian
    answer: jawaban
"""

junk = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.lists(st.integers(-3, 3), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)
sizes = st.floats(min_value=0, max_value=120, allow_nan=False)
lengths = st.builds(lambda n, unit: f"{n:g}{unit}", st.floats(0, 100, allow_nan=False),
                    st.sampled_from(["pt", "mm", "cm", "in", "px", "", "em"]))
colors = st.one_of(st.from_regex(r"#[0-9A-Fa-f]{6}", fullmatch=True),
                   st.sampled_from(["primary", "accent", "white", "merah", "#fff", "red;}"]))

SLIDE_KEYS = ["title_size", "title_min_size", "cover_title_size", "cover_title_min_size",
              "subtitle_size", "body_size", "body_min_size", "min_size", "table_size",
              "table_min_size", "code_size", "footer_size", "max_bullets", "max_words",
              "max_table_rows", "activity_word_weight", "margin_in"]
PRINT_LENGTHS = ["body_size", "small_size", "write_line_gap", "margin", "binding_margin",
                 "footer_gap", "card_gap"]
PRINT_COUNTS = ["isian_lines", "comment_lines", "answer_sheet_columns"]


def section(keys: list[str], values: st.SearchStrategy) -> st.SearchStrategy:
    return st.dictionaries(st.sampled_from(keys), st.one_of(values, values, junk), max_size=4)


theme_values = st.fixed_dictionaries(
    {},
    optional={
        "slides": st.one_of(
            section(SLIDE_KEYS, st.one_of(sizes, st.integers(0, 40))),
            st.fixed_dictionaries({"colors": st.dictionaries(
                st.sampled_from(["title_bar", "bullet", "nope"]), colors, max_size=2)}),
        ),
        "handbook": section(["body_size", "margin", "inner_margin"], lengths)
        | section(["line_height", "keep_lines"], sizes),
        "print": section(PRINT_LENGTHS, lengths) | section(PRINT_COUNTS, st.integers(-1, 30))
        | section(["write_line_color"], colors),
        "colors": st.dictionaries(st.sampled_from(["primary", "accent", "text", "Neu"]), colors,
                                  max_size=3),
        "fonts": st.dictionaries(st.sampled_from(["heading", "body", "slides"]),
                                 st.one_of(st.text(max_size=10), junk), max_size=2),
        "logo": st.one_of(st.sampled_from(["logo.png", "../x.png", ""]), junk),
    },
)

TEMPLATES = ["print/test.html", "print/answer_sheet.html", "handbook/chapter.html.j2"]
MISTAKES = ["{{ ", "{% endif %}", "{{ nope }}", "{{ theme.nope.x }}", "{{ labels.nope }}",
            "{{ 1 / 0 }}", "{{ 'a' + 1 }}", "{% include 'nope.html' %}", "{{ x.y(",
            "{{ ''.__class__.__mro__ }}", "{% for i in 5 %}{% endfor %}", "{{ theme|int }}",
            "{% block extra %}{% endblock %}", ""]
override = st.tuples(st.sampled_from(TEMPLATES), st.sampled_from(MISTAKES),
                     st.floats(0, 1, allow_nan=False))


def _write_project(root: Path, theme: dict, template: tuple[str, str, float] | None) -> None:
    files = {
        "bimtek.yml": CONFIG,
        "content/modules/01-pelayanan.md": MODULE,
        "content/evaluasi/pre-test.yml": BANK,
        "themes/default/theme.yml": yaml.safe_dump(theme, allow_unicode=True),
    }
    if template is not None:
        name, mistake, where = template
        lines = (builtin_themes_dir() / "default/templates" / name).read_text().split("\n")
        index = int(where * (len(lines) - 1))
        lines[index] = lines[index] + mistake
        files[f"themes/default/templates/{name}"] = "\n".join(lines)
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _exit_code(*args: str) -> int:
    result = CliRunner().invoke(app, list(args))
    assert "internal error" not in result.output, result.output
    assert result.exit_code in (0, 1), result.output
    return result.exit_code


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(theme=theme_values, template=st.one_of(st.none(), override))
def test_check_never_crashes_on_a_theme(theme, template):
    root = Path(tempfile.mkdtemp(prefix="theme-fuzz-"))
    try:
        _write_project(root, theme, template)
        _exit_code("check", "-C", str(root))
    finally:
        shutil.rmtree(root, ignore_errors=True)


SLIDE_BOUNDS = {
    "title_size": (16, 60), "title_min_size": (12, 60), "cover_title_size": (20, 80),
    "cover_title_min_size": (16, 80), "subtitle_size": (12, 40), "body_size": (12, 40),
    "body_min_size": (10, 40), "min_size": (8, 32), "table_size": (10, 32),
    "table_min_size": (8, 32), "code_size": (10, 32), "footer_size": (6, 20),
    "max_bullets": (1, 12), "max_words": (10, 200), "max_table_rows": (1, 20),
    "activity_word_weight": (0.2, 1.0), "margin_in": (0.2, 1.5),
}
"""The schema's bounds (themes.SlideSettings): builds are tried at and between the extremes."""


def bounded(low: float, high: float) -> st.SearchStrategy:
    whole = isinstance(low, int) and isinstance(high, int)
    between = st.integers(low, high) if whole else st.floats(low, high, allow_nan=False)
    return st.one_of(st.sampled_from([low, high]), between)


valid_theme = st.fixed_dictionaries(
    {},
    optional={
        "slides": st.fixed_dictionaries({}, optional={
            key: bounded(*bounds) for key, bounds in SLIDE_BOUNDS.items()}),
        "handbook": st.fixed_dictionaries({}, optional={
            "body_size": st.sampled_from(["7pt", "11pt", "24pt"]),
            "margin": st.sampled_from(["5mm", "60mm"]),
            "inner_margin": st.sampled_from(["5mm", "6cm"]),
            "line_height": bounded(1.0, 3.0), "keep_lines": bounded(1, 200)}),
        "print": st.fixed_dictionaries({}, optional={
            "body_size": st.sampled_from(["7pt", "24pt"]),
            "small_size": st.sampled_from(["6pt", "19pt"]),
            "write_line_gap": st.sampled_from(["4mm", "20mm"]),
            "margin": st.sampled_from([5, "50mm"]), "binding_margin": st.sampled_from([5, "5cm"]),
            "footer_gap": st.sampled_from(["3mm", "30mm"]),
            "isian_lines": bounded(1, 20), "comment_lines": bounded(1, 20),
            "answer_sheet_columns": bounded(1, 6), "card_gap": st.sampled_from([0, "40mm"])}),
    },
)
RUNTIME_MISTAKES = ["{{ theme.nope.x }}", "{{ 1 / 0 }}", "{{ 'a' + 1 }}",
                    "{% include 'nope.html' %}", "{% for i in 5 %}{% endfor %}", ""]
runtime_override = st.tuples(st.sampled_from(TEMPLATES), st.sampled_from(RUNTIME_MISTAKES),
                             st.floats(0, 1, allow_nan=False))


@pytest.mark.slow
@settings(max_examples=max(EXAMPLES // 3, 5), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(theme=valid_theme, template=st.one_of(st.none(), runtime_override))
def test_build_never_exits_3_on_a_theme(theme, template):
    """Themes the schema accepts, at their extremes, with mistakes only rendering can find:
    check passes, build passes or reports a located error (exit 1)."""
    root = Path(tempfile.mkdtemp(prefix="theme-fuzz-"))
    try:
        _write_project(root, theme, template)
        assert _exit_code("check", "-C", str(root)) == 0
        _exit_code("build", "-C", str(root), "-o", str(root / "dist"), "-j", "1", "-q",
                   "--only", "slides,handbook,tests")
    finally:
        shutil.rmtree(root, ignore_errors=True)

"""Issue #14: `check` finds everything `build` would refuse, all in one run, as exact
`path:line: message` lines, and a misspelt directive never leaks a key, note or role brief."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bimtek_kit.builder.directives import ALIASES, DIRECTIVES
from bimtek_kit.cli import app
from bimtek_kit.errors import ContentError
from conftest import CATATAN_MARKER, FEATURE_MODULE, KUNCI_MARKER, MINIMAL_CONFIG

FRONT = (
    "---\ntitle: Modul Uji\nduration_jp: 2\n"
    "objectives: [menjelaskan pelayanan, menerapkan pelayanan, menilai pelayanan]\n---\n"
)
"""Five lines: a body starts at line 6."""
BODY = "\n## Pelayanan\n\nTeks pelayanan.\n"


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def problems(project: Path, *extra: str) -> tuple[int, list[str]]:
    """Exit code of `bimtek check` and its `path:line: message` lines (the summary dropped)."""
    result = run("check", "-C", str(project), *extra)
    lines = [line for line in result.output.splitlines() if ": " in line and line[:4] != "ok: "]
    return result.exit_code, lines


def misspell(name: str) -> str:
    return name + name[-1]


# --- a misspelt directive is an error and nothing is written --------------------------------

SECRET = {
    "catatan": CATATAN_MARKER,
    "notes": CATATAN_MARKER,
    "kunci": KUNCI_MARKER,
    "answer": KUNCI_MARKER,
}


@pytest.mark.parametrize("name", [*DIRECTIVES, *ALIASES])
def test_every_misspelt_directive_stops_the_build(make_project, tmp_path, name):
    wrong = misspell(name)
    text = SECRET.get(name, "RAHASIAPERAN")
    fence = f"::: {name}\n" if name not in ("kunci", "answer") else "::: kunci\n"
    module = FEATURE_MODULE.replace(fence, f"::: {wrong}\n", 1) if fence in FEATURE_MODULE else (
        FEATURE_MODULE + f"\n::: {wrong}\n{text}\n:::\n"
    )
    if name in ("kunci", "answer"):
        assert module.count(f"::: {wrong}") == 1
    project = make_project({"content/modules/01-fitur.md": module})
    line = next(i for i, t in enumerate(module.split("\n"), 1) if t.startswith(f"::: {wrong}"))
    out = tmp_path / "dist"
    result = run("build", "-C", str(project), "-o", str(out))
    assert result.exit_code == 1
    assert (
        f"content/modules/01-fitur.md:{line}: unknown directive '{wrong}' (did you mean "
        f"'{name}'?); its content is left out everywhere" in result.output
    )
    assert not out.exists()  # no participant file at all, so none with the secret text


def test_an_unknown_directive_inside_an_activity_never_reaches_a_worksheet(make_project):
    """Even model-level: the content of an unknown directive is not in any block."""
    from bimtek_kit.loader import load_course

    module = FEATURE_MODULE.replace("::: kunci\n", "::: kuncii\n")
    project = make_project({"content/modules/01-fitur.md": module})
    with pytest.raises(ContentError) as raised:
        load_course(project)
    assert any("kuncii" in str(d) for d in raised.value.diagnostics)


# --- front matter does not hide the body ------------------------------------------------------


def test_front_matter_errors_do_not_hide_body_errors(make_project):
    body = (
        "\n## Bagian\n\n::: kuncii\nx\n:::\n\n::: kunci\nJawaban.\n:::\n\n"
        ":::: latihan Soal {waktu=lima}\n1. Pertanyaan?\n"
    )
    front = "---\ntitle: A\nduration_jp: tiga\nobjectives: []\n---\n"
    project = make_project({"content/modules/01-a.md": front + body})
    code, lines = problems(project)
    assert code == 1
    assert lines == [
        "content/modules/01-a.md:3: duration_jp: expected a whole number, got 'tiga'",
        "content/modules/01-a.md:4: objectives: must not be empty",
        "content/modules/01-a.md:9: unknown directive 'kuncii' (did you mean 'kunci'?); "
        "its content is left out everywhere",
        "content/modules/01-a.md:13: 'kunci' (answer key) is only allowed inside latihan, "
        "studi-kasus, simulasi or diskusi; put it inside the activity it answers",
        "content/modules/01-a.md:17: directive 'latihan' is never closed: the file ends at "
        "line 18 without a closing line '::::'",
        "content/modules/01-a.md:17: option 'waktu' must be a positive whole number, got 'lima'",
    ]


# --- the fence really left open is blamed -----------------------------------------------------


def test_a_forgotten_close_is_blamed_on_its_own_fence(make_project):
    body = (
        "\n## Bagian\n\n::: penting\nPerhatikan ini.\n\n::: hanya-slide\nSlide saja.\n:::\n\n"
        "Teks biasa.\n"
    )
    project = make_project({"content/modules/01-a.md": FRONT + body})
    code, lines = problems(project)
    assert code == 1
    assert lines == [
        "content/modules/01-a.md:9: directive 'penting' is never closed: the file ends at line 16 "
        "without a closing line ':::'",
    ]


def test_a_missing_outer_fence_is_blamed_on_the_activity_not_the_next_one(make_project):
    body = (
        "\n## Bagian\n\n:::: latihan Satu\n1. Soal?\n\n::: kunci\nJawab.\n:::\n\n"
        ":::: studi-kasus Dua\n1. Soal kasus?\n::::\n"
    )
    project = make_project({"content/modules/01-a.md": FRONT + body})
    code, lines = problems(project)
    assert code == 1
    assert lines == [
        "content/modules/01-a.md:9: directive 'latihan' is never closed: the file ends at line 18 "
        "without a closing line '::::'",
    ]


def test_a_nested_fence_left_open_names_where_its_parent_ended(make_project):
    body = "\n## Bagian\n\n:::: latihan Satu\n1. Soal?\n\n::: kunci\nJawab.\n::::\n\nLagi.\n"
    project = make_project({"content/modules/01-a.md": FRONT + body})
    code, lines = problems(project)
    assert code == 1
    assert lines == [
        "content/modules/01-a.md:12: directive 'kunci' is never closed: its parent 'latihan' "
        "ends at line 13 without a closing line ':::'",
    ]


def test_same_length_nesting_keeps_the_key_inside_its_activity(make_project):
    from bimtek_kit.loader import load_course

    body = "\n## Bagian\n\n::: latihan Satu\n1. Soal?\n\n::: kunci\nJawab.\n:::\n:::\n"
    project = make_project({"content/modules/01-a.md": FRONT + body})
    course = load_course(project)
    (activity,) = course.modules[0].activities
    assert len(activity.questions) == 1 and activity.key


# --- YAML: duplicate keys, merged items, aliases, hints -----------------------------------------

DUPLICATES = {
    "bimtek.yml": (
        {"bimtek.yml": "title: Satu\nplace: Kota\ntitle: Dua\n"},
        "bimtek.yml:3: duplicate key 'title' (already set at line 1); the second one would "
        "silently replace the first: keep one",
    ),
    "front matter": (
        {
            "content/modules/01-a.md": "---\ntitle: A\nduration_jp: 2\nobjectives: [satu]\n"
            "objectives: [dua]\n---\n" + BODY
        },
        "content/modules/01-a.md:5: duplicate key 'objectives' (already set at line 4); the "
        "second one would silently replace the first: keep one",
    ),
    "bank": (
        {
            "content/evaluasi/pre-test.yml": "title: Pre\nquestions:\n  - question: Soal?\n"
            "    type: isian\n    answer: x\n    answer: y\n"
        },
        "content/evaluasi/pre-test.yml:6: duplicate key 'answer' (already set at line 5); the "
        "second one would silently replace the first: keep one",
    ),
    "form": (
        {
            "content/evaluasi/evaluasi.yml": "kind: form\ntitle: E\ntitle: F\nsections:\n"
            "  - title: S\n    items: [a]\n"
        },
        "content/evaluasi/evaluasi.yml:3: duplicate key 'title' (already set at line 2); the "
        "second one would silently replace the first: keep one",
    ),
    "glosarium": (
        {"content/glosarium.yml": "Empati: satu\nSOP: dua\nEmpati: tiga\n"},
        "content/glosarium.yml:3: duplicate key 'Empati' (already set at line 1); the second "
        "one would silently replace the first: keep one",
    ),
    "pustaka": (
        {"content/pustaka.yml": "- title: Buku\n  year: 2020\n  year: 2021\n"},
        "content/pustaka.yml:3: duplicate key 'year' (already set at line 2); the second one "
        "would silently replace the first: keep one",
    ),
    "theme.yml": (
        {"themes/default/theme.yml": "colors:\n  primary: '#112233'\n  primary: '#445566'\n"},
        "themes/default/theme.yml:3: duplicate key 'primary' (already set at line 2); the second "
        "one would silently replace the first: keep one",
    ),
}


@pytest.mark.parametrize("kind", list(DUPLICATES))
def test_duplicate_keys_are_errors_in_every_yaml_file(make_project, kind):
    files, expected = DUPLICATES[kind]
    files = {"content/modules/01-a.md": FRONT + BODY, **files}
    config = files.pop("bimtek.yml", MINIMAL_CONFIG)
    code, lines = problems(make_project(files, config=config))
    assert code == 1
    assert expected in lines, lines


def test_a_list_item_indented_too_far_is_not_merged(make_project):
    front = (
        "---\ntitle: A\nduration_jp: 2\nobjectives:\n  - menjelaskan pelayanan publik\n"
        "    - menerapkan standar pelayanan\n  - menyusun maklumat\n  - menilai pelayanan\n---\n"
    )
    code, lines = problems(make_project({"content/modules/01-a.md": front + BODY}))
    assert code == 1
    assert lines == [
        "content/modules/01-a.md:6: '- menerapkan standar pelayanan' is indented too far: YAML "
        "joins it to the item above (line 5) instead of starting a new one; put its '-' in the "
        "same column as the other items' '-'",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bom: &a [*a]\n", "bimtek.yml:1: YAML syntax error: alias '*a' is not allowed: write "
         "the value out in full"),
        ("title: K\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "bimtek.yml:3: YAML syntax "
         "error: alias '*a' is not allowed: write the value out in full"),
    ],
)
def test_yaml_aliases_are_refused(make_project, text, expected):
    code, lines = problems(make_project({}, config=text))
    assert code == 1
    assert lines == [expected]


def test_an_alias_bomb_in_front_matter_and_a_bank_is_refused(make_project):
    front = "---\ntitle: A\nduration_jp: 2\nobjectives: &o [x, y, z]\nmethods: *o\n---\n"
    bank = "title: T\nq: &q {question: Soal, type: isian, answer: x}\nquestions: [*q, *q]\n"
    project = make_project(
        {"content/modules/01-a.md": front + BODY, "content/evaluasi/pre-test.yml": bank}
    )
    code, lines = problems(project)
    assert code == 1
    assert lines == [
        "content/evaluasi/pre-test.yml:3: YAML syntax error: alias '*q' is not allowed: write "
        "the value out in full",
        "content/modules/01-a.md:5: YAML syntax error: alias '*o' is not allowed: write the "
        "value out in full",
    ]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("title: K\nschedule:\n\tdays: 2\n", "bimtek.yml:3: YAML syntax error: found character "
         "'\\t' that cannot start any token (indent with spaces, not tabs)"),
        ("title: Etika: Dasar\n", "bimtek.yml:1: YAML syntax error: mapping values are not "
         "allowed here (a value that contains ': ' must be put in quotes, e.g. title: "
         "\"Etika: Dasar\")"),
        ("title: K\nplace: \"Kota\n", "bimtek.yml:3: YAML syntax error: found unexpected end of "
         "stream (a quote is never closed)"),
    ],
)
def test_yaml_syntax_errors_say_what_to_do(make_project, config, expected):
    code, lines = problems(make_project({}, config=config))
    assert code == 1
    assert lines == [expected]


# --- bad input it must survive ------------------------------------------------------------------


def test_a_bom_in_a_bank_simply_works(make_project):
    bank = "\ufefftitle: Pre\nquestions:\n  - question: Soal?\n    type: isian\n    answer: x\n"
    project = make_project(
        {"content/modules/01-a.md": FRONT + BODY, "content/evaluasi/pre-test.yml": bank}
    )
    code, lines = problems(project, "--strict")
    assert code == 0, lines


def test_a_windows_1252_config_gets_a_clear_message(make_project):
    config = "title: Pelatihan\norganizer: Dinas Pariwisata \u2013 Caf\u00e9\n".encode("cp1252")
    project = make_project({"content/modules/01-a.md": FRONT + BODY}, config=None)
    (project / "bimtek.yml").write_bytes(config)
    code, lines = problems(project)
    assert code == 1
    assert lines == ["bimtek.yml:2: file is not valid UTF-8 (byte 0x96); save it as UTF-8"]


def test_a_theme_yml_that_is_a_list(make_project):
    project = make_project(
        {"content/modules/01-a.md": FRONT + BODY, "themes/default/theme.yml": "- a\n- b\n"}
    )
    code, lines = problems(project)
    assert code == 1
    assert lines == [
        "themes/default/theme.yml:1: theme.yml must be a mapping of keys (key: value), not a list"
    ]


def test_an_empty_template_pptx(make_project):
    project = make_project(
        {"content/modules/01-a.md": FRONT + BODY, "themes/default/template.pptx": b""}
    )
    code, lines = problems(project)
    assert code == 1
    assert lines == [
        "themes/default/template.pptx: not a PowerPoint file (.pptx): save the template from "
        "PowerPoint or LibreOffice Impress as .pptx, or remove it"
    ]


def test_a_zero_byte_image(make_project):
    body = BODY + "\n![Alur pelaporan](images/alur.png)\n"
    project = make_project(
        {"content/modules/01-a.md": FRONT + body, "content/modules/images/alur.png": b""}
    )
    code, lines = problems(project)
    assert code == 1
    assert lines == ["content/modules/01-a.md:11: image 'alur.png' is an empty file "
                     "(0 bytes)"]


def test_an_image_path_with_the_wrong_case(make_project, png):
    body = BODY + "\n![Alur pelaporan](images/Alur-Lapor.PNG)\n"
    project = make_project(
        {"content/modules/01-a.md": FRONT + body, "content/modules/images/alur-lapor.png": png}
    )
    code, lines = problems(project)
    assert code == 1
    assert lines == [
        "content/modules/01-a.md:11: image 'images/Alur-Lapor.PNG' not found; did you mean "
        "`images/alur-lapor.png`? (names are case-sensitive)"
    ]


@pytest.fixture
def png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, "PNG")
    return buffer.getvalue()


# --- `check` finds what `build` used to refuse halfway ------------------------------------------


def test_a_missing_image_in_the_foreword(make_project):
    config = MINIMAL_CONFIG + "foreword: |\n  Selamat datang.\n\n  ![Peta](peta.png)\n"
    project = make_project({"content/modules/01-a.md": FRONT + BODY}, config=config)
    code, lines = problems(project)
    assert code == 1
    assert lines == ["bimtek.yml:14: image 'peta.png' not found"]


def test_a_missing_logo_is_one_message(make_project, tmp_path):
    project = make_project({"content/modules/01-a.md": FRONT + BODY},
                           config=MINIMAL_CONFIG + "logo: nope.png\n")
    code, lines = problems(project)
    assert code == 1
    assert lines == ["bimtek.yml:11: logo 'nope.png' not found"]
    result = run("build", "-C", str(project), "-o", str(tmp_path / "out"), "--only", "slides")
    assert result.exit_code == 1
    assert result.output.splitlines()[:-1] == ["bimtek.yml:11: logo 'nope.png' not found"]


def test_broken_default_forms_are_found_at_load(make_project):
    form = "kind: form\ntitle: Evaluasi\nsections:\n  - title: A\n    itemz: [x]\n"
    project = make_project(
        {
            "content/modules/01-a.md": FRONT + BODY,
            "themes/default/forms/id/evaluasi-penyelenggaraan.yml": form,
        }
    )
    code, lines = problems(project)
    assert code == 1
    assert lines == [
        "themes/default/forms/id/evaluasi-penyelenggaraan.yml:4: missing required key "
        "'sections.0.items'",
        "themes/default/forms/id/evaluasi-penyelenggaraan.yml:5: unknown key 'itemz' "
        "(did you mean 'items'?)",
    ]


def test_theme_values_are_validated_by_a_schema(make_project, tmp_path):
    theme = "slides:\n  body_size: besar\n  max_bullets: 0\nhandbook:\n  margin: 2km\n"
    project = make_project(
        {"content/modules/01-a.md": FRONT + BODY, "themes/default/theme.yml": theme}
    )
    expected = [
        "themes/default/theme.yml:2: slides.body_size: expected a number, got 'besar'",
        "themes/default/theme.yml:3: slides.max_bullets: 0 is too far out: it should be "
        "greater than or equal to 1",
        "themes/default/theme.yml:5: handbook.margin: expected a length such as "
        "12mm or 11pt, got '2km'",
    ]
    code, lines = problems(project)
    assert (code, lines) == (1, expected)
    result = run("build", "-C", str(project), "-o", str(tmp_path / "out"), "--only", "slides")
    assert result.exit_code == 1
    assert result.output.splitlines()[:-1] == expected


def test_template_override_errors_name_the_template_line(make_project):
    broken = "{% extends \"print/base.html\" %}\n{% block content %}\n{% for x in %}\n"
    undefined = "{% extends \"print/base.html\" %}\n{% block content %}\n\n{{ judul_modul }}\n" \
                "{% endblock %}\n"
    project = make_project(
        {
            "content/modules/01-a.md": FRONT + BODY,
            "themes/default/templates/print/test.html": broken,
            "themes/default/templates/print/form.html": undefined,
        }
    )
    code, lines = problems(project)
    assert code == 1
    assert lines == [
        "themes/default/templates/print/form.html:4: template uses undefined variable "
        "'judul_modul'",
        "themes/default/templates/print/test.html:3: template syntax error: Expected an "
        "expression, got 'end of statement block'",
    ]


def test_a_runtime_template_error_is_located_and_exits_1(make_project, tmp_path):
    from bimtek_kit.paths import builtin_themes_dir

    original = (builtin_themes_dir() / "default/templates/print/schedule.html").read_text()
    override = original.replace("{% block content %}", "{% block content %}{{ theme.nope.x }}", 1)
    assert override != original
    project = make_project(
        {"content/modules/01-a.md": FRONT + BODY,
         "themes/default/templates/print/schedule.html": override}
    )
    assert problems(project)[0] == 0  # an attribute of a known variable: only rendering tells
    line = next(i for i, t in enumerate(override.split("\n"), 1) if "theme.nope" in t)
    result = run("build", "-C", str(project), "-o", str(tmp_path / "out"), "--only", "schedule")
    assert result.exit_code == 1
    assert (
        f"themes/default/templates/print/schedule.html:{line}: template error: 'dict object' "
        "has no attribute 'nope'" in result.output
    )


# --- hints ----------------------------------------------------------------------------------


def test_hints_are_warnings_and_errors_with_strict(make_project):
    front = (
        "---\ntitle: A\nduration_jp: 2\nobjectives:\n  - menjelaskan pelayanan publik\n"
        "  - menghitung anggaran perjalanan dinas\n---\n"
    )
    body = (
        "Pengantar sebelum bagian.\n\n## Pelayanan Publik\n\nTeks.\n{: .callout}\n\n"
        ":::: latihan Pelayanan\nBaca saja.\n::::\n\n![](gambar.png)\n\n"
        "Tuliskan di sini uraian materi bagian pertama.\n"
    )
    project = make_project(
        {"content/modules/01-a.md": front + body, "content/modules/gambar.png": _png()}
    )
    warnings = [
        "content/modules/01-a.md:4: warning: 2 objectives: a module usually has 3 to 5 (split "
        "the module or merge objectives)",
        "content/modules/01-a.md:6: warning: objective 'menghitung anggaran perjalanan dinas' "
        "is not mentioned by any section, activity or test question of this module: practise "
        "or assess it, or drop it",
        "content/modules/01-a.md:8: warning: text before the first '## ' section: it has no "
        "slide and no sub-chapter; put it under a '## ' heading",
        "content/modules/01-a.md:13: warning: '{: .callout}' is a kramdown attribute line and "
        "would be printed as text; use a directive instead (e.g. '::: penting' … ':::')",
        "content/modules/01-a.md:15: warning: latihan has no question: add a numbered list "
        "(1. …) for the worksheet",
        "content/modules/01-a.md:19: warning: image 'gambar.png' has no alt text (write "
        "![description](...))",
        "content/modules/01-a.md:21: warning: placeholder text from 'bimtek new-module' "
        "('Tuliskan di sini') is still here: replace it with the module's own content",
    ]
    assert problems(project) == (0, warnings)
    assert problems(project, "--strict") == (1, warnings)


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_bank_keyed_on_the_longest_option(make_project):
    items = "".join(
        f"  - question: Soal {i}?\n    options: [pendek, singkat, jawaban yang paling panjang]\n"
        f"    answer: C\n"
        for i in range(4)
    ) + "  - question: Soal 9?\n    options: [jawaban yang paling panjang, pendek]\n    answer: B\n"
    project = make_project(
        {"content/modules/01-a.md": FRONT + BODY,
         "content/evaluasi/pre-test.yml": "title: Pre\nquestions:\n" + items}
    )
    assert problems(project) == (0, [
        "content/evaluasi/pre-test.yml:2: warning: the key is the longest option in 4 of 5 "
        "multiple-choice items; participants learn to pick the longest answer: vary which "
        "option is longest",
    ])


def test_every_scaffold_placeholder_is_known_to_the_hint(tmp_path):
    from bimtek_kit.builder.hints import SCAFFOLD_PHRASES
    from bimtek_kit.commands import scaffold

    texts = scaffold._module_text("X", "x", 1, 2, "materi") + scaffold._CASE_ID
    for phrase in SCAFFOLD_PHRASES:
        assert phrase in texts, phrase


def test_a_new_module_is_flagged_until_its_placeholders_are_replaced(tmp_path):
    target = tmp_path / "kursus"
    assert run("init", str(target)).exit_code == 0
    assert run("new-module", "Etika Digital", "-C", str(target)).exit_code == 0
    code, lines = problems(target)
    assert code == 0
    assert any("placeholder text from 'bimtek new-module'" in line for line in lines), lines
    assert problems(target, "--strict")[0] == 1


# --- command line ------------------------------------------------------------------------------


def _commands() -> list[str]:
    import typer

    return sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_version_and_short_help():
    from bimtek_kit import __version__

    assert run("--version").output.strip() == f"bimtek {__version__}"
    assert {"build", "check", "list", "new-module", "init"} <= set(_commands())
    for command in ([], *([name] for name in _commands())):
        result = run(*command, "-h")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_only_lists_its_kinds_in_help():
    from bimtek_kit.render import available

    text = " ".join(run("build", "-h").output.split())
    assert f"Output kinds, comma-separated: {', '.join(available())}." in text


def test_every_command_takes_dash_c():
    for command in _commands():
        assert "-C, --project" in run(command, "-h").output, command


def test_dash_c_and_a_different_positional_folder_conflict(feature_project, tmp_path):
    result = run("check", str(tmp_path), "-C", str(feature_project))
    assert result.exit_code == 2
    assert "two project folders given" in result.output
    assert run("list", "-C", str(feature_project)).exit_code == 0


# --- one run reports every mistake of a faulty course ----------------------------------------

FAULT_CONFIG = """\
title: Bimtek Penuh Kesalahan
langauge: id
paper: A5
logo: logo-dinas.png
schedule:
  day_start: "08.00"
  jp_minutes: 45
  jp_minutes: 50
"""

FAULT_MODULE_1 = """\
---
title: Modul Satu
duration_jp: dua
objectives:
  - menjelaskan pelayanan publik
---

## Pelayanan

::: catatn
Catatan rahasia untuk fasilitator.
:::

![Alur](images/Alur.png)
"""

FAULT_MODULE_2 = """\
---
title: Modul Dua
duration_jp: 2
objectives:
  - menjelaskan etika pelayanan
  - menerapkan kode etik
  - menyusun maklumat layanan
---

## Kode Etik {menit=10}

Teks tentang kode etik dan maklumat layanan.

## Etika Pelayanan

:::: latihan Etika {waktu=20 barsi=4}
1. Apa itu etika?

::: kunci
Jawaban.
:::
"""

FAULT_BANK = """\
title: Pre-test
questions:
  - module: modul-tiga
    question: Soal satu?
    options: [A satu, B dua]
    answer: C
"""


def test_a_fault_corpus_is_reported_completely_in_one_run(make_project, png):
    project = make_project(
        {
            "content/modules/01-satu.md": FAULT_MODULE_1,
            "content/modules/02-dua.md": FAULT_MODULE_2,
            "content/modules/images/alur.png": png,
            "content/evaluasi/pre-test.yml": FAULT_BANK,
        },
        config=FAULT_CONFIG,
    )
    code, lines = problems(project)
    assert code == 1
    assert lines == [
        "bimtek.yml:2: unknown key 'langauge' (did you mean 'language'?)",
        "bimtek.yml:3: paper: got 'A5', expected 'A4', 'F4' or 'Letter'",
        "bimtek.yml:4: logo 'logo-dinas.png' not found",
        "bimtek.yml:8: duplicate key 'jp_minutes' (already set at line 7); the second one "
        "would silently replace the first: keep one",
        "content/evaluasi/pre-test.yml:3: question names module 'modul-tiga', which does not "
        "exist",
        "content/evaluasi/pre-test.yml:3: questions.0: answer 'C' is not among the options "
        "(A–B or the exact text of one option)",
        "content/modules/01-satu.md:3: duration_jp: expected a whole number, got 'dua'",
        "content/modules/01-satu.md:10: unknown directive 'catatn' (did you mean 'catatan'?); "
        "its content is left out everywhere",
        "content/modules/01-satu.md:14: image 'images/Alur.png' not found; did you mean "
        "`images/alur.png`? (names are case-sensitive)",
        "content/modules/02-dua.md:10: unknown option 'menit' for a section (only 'waktu')",
        "content/modules/02-dua.md:16: directive 'latihan' is never closed: the file ends at "
        "line 21 without a closing line '::::'",
        "content/modules/02-dua.md:16: unknown option 'barsi' for 'latihan' (did you mean "
        "'baris'?)",
    ]


def test_a_project_labels_file_may_only_replace_labels(make_project):
    labels = "id:\n  module: [Modul]\n  contnets: Isi\n  days: [Sen, Sel]\n  foreword: Prakata\n"
    project = make_project(
        {"content/modules/01-a.md": FRONT + BODY, "themes/default/labels.yml": labels}
    )
    code, lines = problems(project)
    assert code == 1
    assert lines == [
        "themes/default/labels.yml:2: label 'id.module' must be text, got ['Modul']",
        "themes/default/labels.yml:3: unknown label 'id.contnets' (did you mean 'contents'?)",
        "themes/default/labels.yml:4: label 'id.days' must be a list of 7 texts, got "
        "['Sen', 'Sel']",
    ]

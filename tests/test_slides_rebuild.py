"""Each module's slide files are rebuilt only when that module or the theme changes (issue #17).

A small course of three modules is built once with the four slide outputs (PPTX, bahan tayang,
handout, notes pages); the build report (`BuildReport.rendered` / `reused`) says which files
the next build laid out again.
"""

from __future__ import annotations

import pytest

from bimtek_kit.commands.build import BuildOptions, build

pytestmark = pytest.mark.slow

SLIDE_KINDS = ["slides", "bahan-tayang", "handout", "catatan-slide"]

MODULE = """\
---
id: modul-{n}
title: Modul Nomor {n}
code: M{n}
duration_jp: 1
objectives: [menjelaskan hal {n}]
---

## Bagian {n}

- Butir pertama modul {n}
- Butir kedua modul {n}

::: catatan
Catatan fasilitator modul {n}.
:::
"""


def slide_files(stem: str) -> list[str]:
    return sorted([f"fasilitator/slide/{stem}.pptx", f"peserta/bahan-tayang/{stem}.pdf",
                   f"peserta/handout/{stem}.pdf", f"fasilitator/catatan-slide/{stem}.pdf"])


@pytest.fixture
def course(make_project):
    return make_project({f"content/modules/0{n}-modul-{n}.md": MODULE.format(n=n)
                         for n in (1, 2, 3)})


def rebuild(root):
    return build(BuildOptions(root, only=SLIDE_KINDS, jobs=1))


def test_editing_one_module_rebuilds_only_its_slide_files(course):
    first = rebuild(course)
    assert sorted(first.rendered) == sorted(
        path for n in (1, 2, 3) for path in slide_files(f"0{n}-modul-{n}"))
    module = course / "content/modules/02-modul-2.md"
    module.write_text(module.read_text("utf-8").replace("Butir kedua", "Butir yang kedua"),
                      encoding="utf-8")
    second = rebuild(course)
    assert sorted(second.rendered) == slide_files("02-modul-2")
    assert sorted(second.reused) == sorted(
        path for n in (1, 3) for path in slide_files(f"0{n}-modul-{n}"))


def test_a_theme_colour_rebuilds_every_slide_file(course):
    first = rebuild(course)
    (course / "themes/default").mkdir(parents=True)
    (course / "themes/default/theme.yml").write_text("colors:\n  primary: '#224466'\n",
                                                     encoding="utf-8")
    second = rebuild(course)
    assert second.reused == []
    assert sorted(second.rendered) == sorted(first.rendered)
    assert len(second.rendered) == 12

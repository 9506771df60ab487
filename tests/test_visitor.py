"""One visitor over the model (DESIGN §6): a block kind no renderer handles fails loudly.

A dummy block kind is registered in `BLOCK_KINDS`; every concrete visitor class of every
renderer (found through `all_visitors()`, so a new renderer is covered without touching this
file) must then refuse both its class check and the dummy block.
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from bimtek_kit import model, render, visitor
from bimtek_kit.errors import Loc
from bimtek_kit.render.base import Renderer

LOC = Loc("content/modules/01-a.md", 1)
NOT_WALKING = {"tests", "forms", "schedule", "lms", "daftar-hadir", "sertifikat", "kelompok",
               "papan-nama", "kartu-peserta", "daftar-cetak"}
"""Renderers that never walk content blocks (questions, form items, timetable rows, the roster,
module titles and role names)."""


@dataclass(frozen=True)
class Dummy:
    """A block kind the model does not have yet (like a future `::: bagan`)."""

    text: str = "x"


def _import_renderers() -> dict[str, type[Renderer]]:
    classes = {}
    for name, spec in render.RENDERERS.items():
        module_name, _, class_name = spec.partition(":")
        module = importlib.import_module(f"bimtek_kit.render.{module_name}")
        classes[name] = getattr(module, class_name)
        classes[name]().visitors()  # a renderer may import its visitors' module only here
    return classes


RENDERER_CLASSES = _import_renderers()
VISITORS = visitor.all_visitors()


def test_the_renderers_define_visitors():
    names = {cls.__name__ for cls in VISITORS}
    assert {"HtmlBlocks", "FlowBuilder", "NotesLines", "PrintedLines", "TextLength"} <= names


@pytest.mark.parametrize("cls", VISITORS, ids=lambda cls: cls.__qualname__)
def test_every_visitor_fails_on_an_unknown_block_kind(cls, monkeypatch):
    visitor.check_complete(cls)  # complete for today's kinds
    monkeypatch.setattr(visitor, "BLOCK_KINDS", [*visitor.BLOCK_KINDS, Dummy])
    with pytest.raises(visitor.UnhandledBlockError, match=f"{cls.__qualname__}.*visit_dummy"):
        visitor.check_complete(cls)
    instance = cls.__new__(cls)  # no constructor arguments needed to reach the dispatch
    with pytest.raises(visitor.UnhandledBlockError, match="block kind Dummy"):
        instance.visit(Dummy())


def test_a_visitor_subclass_without_the_new_kind_cannot_be_defined(monkeypatch):
    monkeypatch.setattr(visitor, "BLOCK_KINDS", [*visitor.BLOCK_KINDS, Dummy])
    with pytest.raises(visitor.UnhandledBlockError, match="visit_dummy"):
        type("Later", (visitor.Children,), {})
    handles = type("Handles", (visitor.Children,), {"visit_dummy": lambda self, block: ()})
    assert handles().visit(Dummy()) == ()


@pytest.mark.parametrize("name", list(RENDERER_CLASSES))
def test_each_renderer_walks_blocks_through_visitors(name):
    cls = RENDERER_CLASSES[name]
    assert issubclass(cls, Renderer)
    if name in NOT_WALKING:
        assert cls().visitors() == ()
        return
    used_visitors = cls().visitors()
    assert used_visitors, f"{name} walks blocks but declares no visitor"
    for used in used_visitors:
        assert used in VISITORS, f"{name}: {used} is not a concrete BlockVisitor"


def _block_kind_names() -> set[str]:
    return {kind.__name__ for kind in visitor.BLOCK_KINDS}


def _isinstance_block_checks(function: ast.AST) -> int:
    """How many `isinstance(x, <block kind>...)` calls a function makes on model block kinds."""
    kinds = _block_kind_names()
    count = 0
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "isinstance":
            names = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
            count += bool(names & kinds)
    return count


NOT_A_WALK = {
    "caps.py _problems": "size limits of three kinds (lists, tables, paragraphs); no other kind "
                         "has a limit, so a new kind is rightly passed over",
}
"""Functions that test a few block kinds on purpose, with the reason (reviewed, not a walk)."""


def test_no_function_dispatches_on_block_kinds_with_isinstance():
    """Three `isinstance` checks on block kinds in one function make a chain: use a visitor."""
    source = Path(model.__file__).parent
    chains = []
    for path in sorted(source.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and _isinstance_block_checks(node) >= 3:
                name = f"{path.relative_to(source).as_posix()} {node.name}"
                if name not in NOT_A_WALK:
                    chains.append(f"{name} (line {node.lineno})")
    assert chains == []


def _para(text: str) -> model.Paragraph:
    return model.Paragraph((model.Span(text),), LOC)


def test_walk_reaches_every_nested_block_in_reading_order():
    inner, case, key, brief = _para("dalam"), _para("kasus"), _para("kunci"), _para("peran")
    listed = model.ListBlock((model.ListItem((model.Span("a"),), (inner,), LOC),), False, 1, LOC)
    role = model.Role("Warga", (brief,), LOC)
    activity = model.Activity("latihan", "", None, 3, (case,), (), (role,), (key,), LOC)
    callout = model.Callout("tip", "", (listed, activity), LOC)
    assert list(model.walk((callout,))) == [callout, listed, inner, activity, case, brief, key]
    assert visitor.children(callout) == (listed, activity)

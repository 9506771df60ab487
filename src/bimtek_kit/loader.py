"""Load & validate: `bimtek.yml` + `content/` -> `Course`, with every problem collected.

This is the first pipeline stage (DESIGN §6). Nothing here writes to disk.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bimtek_kit.builder.hints import scaffold_leftovers
from bimtek_kit.builder.modules import (
    ModuleSource,
    build_module,
    check_body,
    read_module_source,
)
from bimtek_kit.builder.records import build_bank_or_form, build_glossary, build_references
from bimtek_kit.caps import check_module_model, check_module_text
from bimtek_kit.config import CourseConfig, salvage, validate
from bimtek_kit.errors import ContentError, Diagnostics, Loc, did_you_mean, relative_to
from bimtek_kit.model import Course, EvaluationForm, Module, QuestionBank
from bimtek_kit.modelcache import ModelCache
from bimtek_kit.resources import is_inside
from bimtek_kit.roster import Roster, check_kit, find_roster, load_roster
from bimtek_kit.sources.text import read_source
from bimtek_kit.sources.yamlsource import LineMap, YamlDocument, parse_yaml
from bimtek_kit.validate import check_build_inputs, check_course

CONFIG_FILE = "bimtek.yml"
MODULES_DIR = Path("content") / "modules"
EVALUATION_DIR = Path("content") / "evaluasi"
GLOSSARY_FILE = Path("content") / "glosarium.yml"
REFERENCES_FILE = Path("content") / "pustaka.yml"
T = TypeVar("T")
MAX_COURSE_BYTES = 64 * 1024 * 1024
"""A cap on all sources together, so a runaway folder fails clearly instead of exhausting memory."""


class _Reader:
    """Reads files of one project, remembering their hashes and reporting problems."""

    def __init__(self, root: Path, diagnostics: Diagnostics) -> None:
        self.root = root
        self.diagnostics = diagnostics
        self.hashes: dict[str, str] = {}
        self.total_bytes = 0

    def loc(self, path: Path) -> Loc:
        if path.is_relative_to(self.root):  # the path as found, not where a symlink leads
            return Loc(path.relative_to(self.root).as_posix())
        return Loc(relative_to(path, self.root))

    def text(self, path: Path) -> str | None:
        loc = self.loc(path)
        if not is_inside(path, (self.root,)):
            self.diagnostics.error(
                loc,
                f"is a symlink to {path.resolve()}, outside the project folder; "
                "copy the file into the project instead",
            )
            return None
        with contextlib.suppress(OSError):  # an unreadable file is reported by read_source
            self.total_bytes += path.stat().st_size
        if self.total_bytes > MAX_COURSE_BYTES:
            self.diagnostics.error(
                loc,
                f"the course sources exceed {MAX_COURSE_BYTES >> 20} MB "
                "in total; this file and the rest are not read",
            )
            return None
        text = read_source(path, loc, self.diagnostics)
        if text is not None:
            self.hashes[loc.path] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return text

    def yaml(self, path: Path) -> YamlDocument | None:
        text = self.text(path)
        if text is None:
            return None
        return parse_yaml(text, self.loc(path), self.diagnostics)


def load_course(
    root: Path, diagnostics: Diagnostics | None = None, cache: ModelCache | None = None
) -> Course:
    """Read and validate a whole course project; raise `ContentError` listing every error.

    With a `cache`, unchanged modules are taken from it instead of being parsed again.
    """
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    root = root.resolve()
    reader = _Reader(root, diagnostics)
    config, config_lines = _load_config(root, reader)
    if cache is not None and config is not None:
        cache.bind(config.course_slug)
    allow_html = config.allow_html if config else False
    sources = _read_module_sources(root, reader, allow_html)
    ordered = _order_modules(sources, config, config_lines, reader)
    modules = tuple(
        _module(source, number, root, diagnostics, allow_html, cache)
        for number, source in enumerate(ordered, start=1)
    )
    module_ids = [m.id for m in modules] or [s.id for s in sources]
    banks, forms = _load_evaluations(root, reader, module_ids)
    glossary = _load_optional(root / GLOSSARY_FILE, reader, build_glossary)
    references = _load_optional(root / REFERENCES_FILE, reader, build_references)
    roster = _load_roster(root, reader)
    logo = None
    if config is not None:
        logo = check_build_inputs(config, root, config_lines, bool(forms), diagnostics)
    if config is None or diagnostics.errors:
        raise ContentError("the course has errors", diagnostics)
    modules = with_narasumber(modules, config.speaker_by_module)
    course = Course(
        root, config, modules, banks, forms, glossary, references, dict(reader.hashes), logo,
        roster,
    )
    objective_lines = {source.id: source.lines for source in ordered}
    check_course(course, Loc(CONFIG_FILE), config_lines, diagnostics, objective_lines)
    check_kit(course, Loc(CONFIG_FILE), config_lines, diagnostics)
    if diagnostics.errors:
        raise ContentError("the course has errors", diagnostics)
    return course


def _module(
    source: ModuleSource,
    number: int,
    root: Path,
    diagnostics: Diagnostics,
    allow_html: bool,
    cache: ModelCache | None,
) -> Module:
    if cache is None:
        module = build_module(source, number, (root,), diagnostics, allow_html)
        check_module_model(module, diagnostics)
        return module
    key = cache.key(source.text, number, allow_html, root)
    cached = cache.get(key)
    if cached is not None:
        module, found = cached
        diagnostics.extend(found)
        return module
    local = Diagnostics()
    module = build_module(source, number, (root,), local, allow_html)
    check_module_model(module, local)
    diagnostics.extend(local)
    cache.put(key, module, local.items)
    return module


def _load_config(root: Path, reader: _Reader) -> tuple[CourseConfig | None, LineMap]:
    path = root / CONFIG_FILE
    if not path.is_file():
        reader.diagnostics.error(
            Loc(CONFIG_FILE),
            f"no {CONFIG_FILE} in {root}: this is not a course project "
            "(create one with 'bimtek init DIR')",
        )
        return None, LineMap()
    document = reader.yaml(path)
    if document is None:
        return None, LineMap()
    loc = reader.loc(path)
    if not isinstance(document.data, dict):
        reader.diagnostics.error(
            loc.at(1), f"{CONFIG_FILE} must be a mapping of keys; 'title' is required"
        )
        return None, document.lines
    config = validate(CourseConfig, document.data, loc, document.lines, reader.diagnostics)
    if config is None:  # reported; keep checking everything else against the valid keys
        config = salvage(CourseConfig, document.data)
    return config, document.lines


def _read_module_sources(root: Path, reader: _Reader, allow_html: bool) -> list[ModuleSource]:
    folder = root / MODULES_DIR
    sources: list[ModuleSource] = []
    seen: dict[str, ModuleSource] = {}
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        text = reader.text(path)
        if text is None:
            continue
        if not check_module_text(text, reader.loc(path), reader.diagnostics):
            continue
        scaffold_leftovers(text, reader.loc(path), reader.diagnostics)
        source = read_module_source(path, text, reader.loc(path), reader.diagnostics)
        if source is None:
            check_body(path, text, reader.loc(path), (root,), reader.diagnostics, allow_html)
            continue
        if source.id in seen:
            first = seen[source.id].loc.at(seen[source.id].id_line)
            reader.diagnostics.error(
                source.loc.at(source.id_line),
                f"duplicate module id '{source.id}' (already used by {first})",
            )
            continue
        seen[source.id] = source
        sources.append(source)
    if not sources and not reader.diagnostics.errors:
        reader.diagnostics.warning(Loc(MODULES_DIR.as_posix()), "no modules found (*.md files)")
    return sources


def _order_modules(
    sources: list[ModuleSource], config: CourseConfig | None, lines: LineMap, reader: _Reader
) -> list[ModuleSource]:
    """File-name order, unless `bimtek.yml` lists `modules:` explicitly."""
    if config is None or not config.modules:
        return sources
    by_id = {s.id: s for s in sources}
    config_loc = Loc(CONFIG_FILE)
    ordered = []
    for index, module_id in enumerate(config.modules):
        line = lines.line_of(("modules", index))
        if module_id not in by_id:
            reader.diagnostics.error(
                config_loc.at(line),
                f"module '{module_id}' is listed in modules but no module file has that id"
                f"{did_you_mean(module_id, by_id)}",
            )
        else:
            ordered.append(by_id[module_id])
    for source in sources:
        if source.id not in config.modules:
            reader.diagnostics.warning(
                source.loc.at(1),
                f"module '{source.id}' is not listed in {CONFIG_FILE} modules; "
                "it is left out of the course",
            )
    return ordered


def _load_evaluations(
    root: Path, reader: _Reader, module_ids: list[str]
) -> tuple[tuple[QuestionBank, ...], tuple[EvaluationForm, ...]]:
    banks: list[QuestionBank] = []
    forms: list[EvaluationForm] = []
    folder = root / EVALUATION_DIR
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        document = reader.yaml(path)
        if document is None:
            continue
        built = build_bank_or_form(
            path.stem, document, reader.loc(path), module_ids, reader.diagnostics
        )
        if isinstance(built, QuestionBank):
            banks.append(built)
        elif isinstance(built, EvaluationForm):
            forms.append(built)
    return tuple(banks), tuple(forms)


def _load_roster(root: Path, reader: _Reader) -> Roster | None:
    """The optional roster (§9), kept out of `reader.hashes`: it is a source of the organisers'
    kit only, so the other outputs' job keys do not change with it."""
    path = find_roster(root, reader.diagnostics)
    if path is None:
        return None
    if not is_inside(path, (root,)):
        reader.diagnostics.error(reader.loc(path), "is a symlink outside the project folder; "
                                 "copy the roster into the project instead")
        return None
    return load_roster(path, reader.loc(path).path, reader.diagnostics)


def _load_optional(
    path: Path, reader: _Reader, build: Callable[..., tuple[T, ...]]
) -> tuple[T, ...]:
    if not path.exists():  # a FIFO or device is reported by the reader, not skipped
        return ()
    document = reader.yaml(path)
    if document is None:
        return ()
    return build(document, reader.loc(path), reader.diagnostics)


def with_narasumber(modules: tuple[Module, ...], names: dict[str, str]) -> tuple[Module, ...]:
    """Modules whose front matter names no narasumber take the one `bimtek.yml` assigns them
    (`narasumber: {module-id: name}`): the organisers know the speakers, not the authors."""
    import dataclasses

    return tuple(m if m.narasumber or m.id not in names
                 else dataclasses.replace(m, narasumber=names[m.id]) for m in modules)

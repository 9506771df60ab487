"""YAML records -> question banks, evaluation forms, glossary and references."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from bimtek_kit.builder.hints import LONGEST_KEY_SHARE, longest_option_is_key
from bimtek_kit.config import BankSpec, FormSpec, ReferenceSpec, validate
from bimtek_kit.errors import Diagnostics, Loc, did_you_mean, relative_to
from bimtek_kit.model import (
    EvaluationForm,
    FormSection,
    GlossaryEntry,
    Question,
    QuestionBank,
    Reference,
)
from bimtek_kit.sources.text import read_source
from bimtek_kit.sources.yamlsource import YamlDocument, parse_yaml


def build_bank_or_form(
    name: str,
    document: YamlDocument,
    loc: Loc,
    module_ids: Collection[str],
    diagnostics: Diagnostics,
) -> QuestionBank | EvaluationForm | None:
    """A file with `kind: form` is an evaluation form; anything else is a question bank."""
    data = document.data
    if not isinstance(data, dict):
        diagnostics.error(
            loc.at(document.lines.first_line),
            "expected a question bank (title, questions) or a form (kind: form)",
        )
        return None
    if data.get("kind") == "form":
        form = validate(FormSpec, data, loc, document.lines, diagnostics)
        if form is None:
            return None
        return EvaluationForm(
            name,
            form.title,
            form.instructions,
            tuple(form.scale),
            form.per_module,
            tuple(FormSection(s.title, tuple(s.items)) for s in form.sections),
            tuple(form.comments),
            loc.at(1),
        )
    _check_module_names(data.get("questions"), document, loc, module_ids, diagnostics)
    bank = validate(BankSpec, data, loc, document.lines, diagnostics)
    if bank is None:
        return None
    questions = []
    for index, spec in enumerate(bank.questions):
        q_loc = loc.at(document.lines.line_of(("questions", index)))
        questions.append(
            Question(
                index + 1,
                spec.type,
                spec.question,
                tuple(spec.options),  # type: ignore[arg-type]
                str(spec.answer),
                spec.explanation,
                spec.module,
                q_loc,
            )
        )
    _longest_key_hint(questions, loc.at(document.lines.line_of(("questions",))), diagnostics)
    return QuestionBank(name, bank.title, bank.instructions, tuple(questions), loc.at(1))


def _check_module_names(
    raw: object, document: YamlDocument, loc: Loc, module_ids: Collection[str],
    diagnostics: Diagnostics,
) -> None:
    """Before the schema: a wrong `module:` is reported even when the question has other
    errors too (one run shows everything)."""
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        module = item.get("module") if isinstance(item, dict) else None
        if isinstance(module, str) and module not in module_ids:
            diagnostics.error(
                loc.at(document.lines.line_of(("questions", index, "module"))),
                f"question names module '{module}', which does not exist"
                f"{did_you_mean(module, module_ids)}",
            )


def _longest_key_hint(questions: list[Question], loc: Loc, diagnostics: Diagnostics) -> None:
    items = [(list(q.options), q.answer) for q in questions if q.kind == "pilihan-ganda"]
    count = longest_option_is_key(items)
    if len(items) >= 3 and count > LONGEST_KEY_SHARE * len(items):
        diagnostics.warning(
            loc,
            f"the key is the longest option in {count} of {len(items)} multiple-choice items; "
            "participants learn to pick the longest answer: vary which option is longest",
        )


def build_glossary(
    document: YamlDocument, loc: Loc, diagnostics: Diagnostics
) -> tuple[GlossaryEntry, ...]:
    """`term: definition` pairs, sorted alphabetically (case-insensitive)."""
    data = document.data
    if data is None:
        return ()
    if not isinstance(data, dict):
        diagnostics.error(
            loc.at(document.lines.first_line),
            "glossary must be a mapping of 'term: definition' lines",
        )
        return ()
    entries = []
    for term, definition in data.items():
        line = document.lines.line_of((term,))
        if not isinstance(definition, str) or not definition.strip():
            diagnostics.error(loc.at(line), f"glossary term '{term}' needs a definition (text)")
            continue
        entries.append(GlossaryEntry(str(term), definition.strip(), loc.at(line)))
    return tuple(sorted(entries, key=lambda e: e.term.casefold()))


def build_references(
    document: YamlDocument, loc: Loc, diagnostics: Diagnostics
) -> tuple[Reference, ...]:
    data = document.data
    if data is None:
        return ()
    if not isinstance(data, list):
        diagnostics.error(
            loc.at(document.lines.first_line), "pustaka must be a list of references (- title: …)"
        )
        return ()
    references = []
    for index, item in enumerate(data):
        spec = validate(ReferenceSpec, item, loc, document.lines.item(index), diagnostics)
        if spec is not None:
            references.append(
                Reference(
                    spec.id,
                    spec.author,
                    spec.year,
                    spec.title,
                    spec.publisher,
                    spec.url,
                    loc.at(document.lines.line_of((index,))),
                )
            )
    return tuple(references)


def load_forms(
    dirs: tuple[Path, ...], language: str, root: Path, diagnostics: Diagnostics
) -> tuple[EvaluationForm, ...]:
    """The theme's default forms (`forms/<language>/*.yml`, the project's theme wins by name),
    used when a course has none; problems are reported at the form file's line."""
    found: dict[str, Path] = {}
    for folder in dirs:
        for path in sorted((folder / "forms" / language).glob("*.yml")):
            found.setdefault(path.stem, path)
    forms = []
    for name, path in sorted(found.items()):
        loc = Loc(relative_to(path, root))
        text = read_source(path, loc, diagnostics)
        document = parse_yaml(text, loc, diagnostics) if text is not None else None
        if document is None:
            continue
        form = build_bank_or_form(name, document, loc, (), diagnostics)
        if isinstance(form, QuestionBank):
            diagnostics.error(loc.at(1), "a theme's default form needs 'kind: form'")
        elif form is not None:
            forms.append(form)
    return tuple(forms)

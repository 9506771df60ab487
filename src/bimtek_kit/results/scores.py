"""Read `hasil/*.csv` (DESIGN §10): test answers or scores, and evaluation-form answers.

Every problem is located as `hasil/post-test.csv:7:nip: message` (row as a spreadsheet shows
it, then the column), all of them in one run. Messages never repeat a NIP or a name: results are
personal data and a terminal or CI log is not the place for them (DESIGN §7).

Test files come in two shapes: `nip,skor` (a score 0–100 typed by hand) or
`nip,paket,1,2,…` (the letter chosen per *printed* question number, `-` for none, as
`bimtek pindai` writes them). Letters are scored against the printed paper of that paket, then
mapped back to the bank's questions, so the item analysis is per bank question whichever paket
a participant had. Short-answer (isian) columns hold `1` or `0` once someone has marked them; a
column left empty for everybody is not scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bimtek_kit.errors import Diagnostics
from bimtek_kit.results.cells import CellLoc, Cells, header_columns, read_table
from bimtek_kit.results.evaluations import FormResults, course_forms, read_form

if TYPE_CHECKING:
    from bimtek_kit.model import Course, QuestionBank
    from bimtek_kit.render.paper.assessments import Paper
    from bimtek_kit.themes import Labels

RESULTS_DIR = "hasil"
NIP_DIGITS = 18
NO_ANSWER = "-"
UNREAD = "?"


@dataclass(frozen=True)
class TestRow:
    nip: str
    row: int
    score: float
    """0–100."""
    chosen: dict[int, str] = field(default_factory=dict)
    """Bank question number -> the bank's option letter (or `benar`/`salah`), `-` for none."""
    correct: dict[int, bool] = field(default_factory=dict)
    """Bank question number -> answered right (only scored questions)."""


@dataclass(frozen=True)
class TestResults:
    bank: QuestionBank
    path: str
    rows: tuple[TestRow, ...]
    scored: tuple[int, ...]
    """Bank question numbers that count towards the score (empty for a `nip,skor` file)."""

    def by_nip(self) -> dict[str, TestRow]:
        return {row.nip: row for row in self.rows}


@dataclass
class Results:
    tests: dict[str, TestResults] = field(default_factory=dict)
    """By bank name: `pre-test`, `post-test`."""
    forms: dict[str, FormResults] = field(default_factory=dict)


# --- reading ---------------------------------------------------------------------------------


def read_results(course: Course, labels: Labels, diagnostics: Diagnostics,
                 known: set[str] | None) -> Results:
    """Every `hasil/<bank>.csv` and `hasil/<form>.csv` of the course; `known` NIPs (from the
    roster) or None when there is no roster."""
    from bimtek_kit.render.paper.assessments import printed_banks

    results = Results()
    folder = course.root / RESULTS_DIR
    for bank in printed_banks(course):
        path = folder / f"{bank.name}.csv"
        if path.is_file():
            tests = _read_test(path, bank, course, labels, known, diagnostics)
            if tests is not None:
                results.tests[bank.name] = tests
    _check_post_has_pre(results, diagnostics)
    for form in course_forms(course):
        path = folder / f"{form.name}.csv"
        if path.is_file():
            found = read_form(path, form, course, diagnostics)
            if found is not None:
                results.forms[form.name] = found
    return results


def _read_test(path: Path, bank: QuestionBank, course: Course, labels: Labels,
               known: set[str] | None, diagnostics: Diagnostics) -> TestResults | None:
    relative = f"{RESULTS_DIR}/{path.name}"
    rows = read_table(path, relative, diagnostics)
    if rows is None:
        return None
    header = [cell.lower() for cell in rows[0]]
    if "skor" in header or "score" in header:
        score_column = "skor" if "skor" in header else "score"
        columns = header_columns(rows, relative, ["nip", score_column], set(), diagnostics)
        reader = _ScoreReader(score_column)
    else:
        numbers = [str(n) for n in range(1, len(bank.questions) + 1)]
        columns = header_columns(rows, relative, ["nip", "paket", *numbers], {"nama", "name"},
                          diagnostics)
        reader = _AnswerReader(bank, course, labels)
    if columns is None:
        return None
    before = len(diagnostics.errors)
    seen: set[str] = set()
    parsed = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cells):
            continue
        cell = Cells(cells, columns, relative, number, diagnostics)
        nip = _nip(cell, known, seen)
        row = reader.read(cell, nip)
        if row is not None and nip:
            parsed.append(row)
    if len(diagnostics.errors) > before:
        return None
    return reader.finish(bank, relative, parsed, diagnostics)


def _nip(cell: Cells, known: set[str] | None, seen: set[str]) -> str:
    nip = cell.get("nip").replace(" ", "")
    if UNREAD in nip:
        cell.error("nip", "NIP has digits pindai could not read (?); check the sheet")
    elif not nip.isdigit() or len(nip) != NIP_DIGITS:
        cell.error("nip", f"NIP must have {NIP_DIGITS} digits, got {len(nip)} characters")
    elif nip in seen:
        cell.error("nip", "the same NIP appears in an earlier row")
    elif known is not None and nip not in known:
        cell.error("nip", "unknown NIP: not in the roster (content/peserta.csv)")
    else:
        seen.add(nip)
        return nip
    return ""


@dataclass
class _ScoreReader:
    column: str

    def read(self, cell: Cells, nip: str) -> TestRow | None:
        text = cell.get(self.column).replace(",", ".")
        try:
            score = float(text)
        except ValueError:
            cell.error(self.column, f"expected a score from 0 to 100, got '{text}'")
            return None
        if not 0 <= score <= 100:
            cell.error(self.column, f"expected a score from 0 to 100, got {text}")
            return None
        return TestRow(nip, cell.row, score)

    def finish(self, bank: QuestionBank, path: str, rows: list[TestRow],
               diagnostics: Diagnostics) -> TestResults:
        return TestResults(bank, path, tuple(rows), ())


class _AnswerReader:
    """Letters per printed number -> the bank's questions, scored against the paper."""

    def __init__(self, bank: QuestionBank, course: Course, labels: Labels) -> None:
        self.bank = bank
        self.labels = labels
        self.papers: dict[str, Paper] = {}
        self.isian: dict[int, dict[int, bool]] = {}
        """Bank number -> {row: right} for marked short answers."""

    def paper(self, paket: str) -> Paper:
        from bimtek_kit.render.paper.answer_sheet import printed_paper, variant_index

        if paket not in self.papers:
            self.papers[paket] = printed_paper(self.bank, variant_index(paket or None))
        return self.papers[paket]

    def read(self, cell: Cells, nip: str) -> TestRow | None:
        paket = cell.get("paket").upper()
        if paket and (len(paket) != 1 or not "A" <= paket <= "F"):
            cell.error("paket", f"paket must be a letter A–F or empty, got '{paket}'")
            return None
        chosen: dict[int, str] = {}
        correct: dict[int, bool] = {}
        for printed in self.paper(paket).questions:
            column = str(printed.number)
            value = cell.get(column).strip()
            number = printed.question.number
            if printed.kind == "isian":
                mark = self._isian(cell, column, value)
                if mark is not None:
                    self.isian.setdefault(number, {})[cell.row] = mark
                    correct[number] = mark
                continue
            answer = self._choice(cell, column, printed, value)
            if answer is not None:
                chosen[number] = answer
                correct[number] = answer == printed.question.answer
        return TestRow(nip, cell.row, 0.0, chosen, correct)

    def _isian(self, cell: Cells, column: str, value: str) -> bool | None:
        if value in ("", NO_ANSWER):
            return None if value == "" else False
        if value in ("1", "0"):
            return value == "1"
        cell.error(column, f"a short answer is marked 1 (right) or 0 (wrong), got '{value}'")
        return None

    def _choice(self, cell: Cells, column: str, printed: object, value: str) -> str | None:
        from bimtek_kit.render.paper.assessments import PaperQuestion

        assert isinstance(printed, PaperQuestion)
        if value == UNREAD:
            cell.error(column, "'?' is an answer pindai could not read; check the sheet and "
                       "write the letter (or - for none)")
            return None
        if value in ("", NO_ANSWER):
            return NO_ANSWER
        letter = value.upper()
        if printed.kind == "benar-salah":
            truth = {self.labels.print.true_short.upper(): "benar",
                     self.labels.print.false_short.upper(): "salah"}
            if letter not in truth:
                cell.error(column, f"question {column} is benar–salah: expected "
                           f"{'/'.join(truth)} or -, got '{value}'")
                return None
            return truth[letter]
        letters = [letter for letter, _ in printed.choices]
        if letter not in letters:
            cell.error(column, f"'{value}' is not an option of question {column} "
                       f"({letters[0]}–{letters[-1]}, or - for none)")
            return None
        option = printed.options[letters.index(letter)]
        return chr(ord("A") + printed.question.options.index(option))

    def finish(self, bank: QuestionBank, path: str, rows: list[TestRow],
               diagnostics: Diagnostics) -> TestResults | None:
        """Scores over the scored questions; a short answer marked for some but not all is
        an error (a score over different questions would not compare)."""
        unmarked = []
        for number, marks in sorted(self.isian.items()):
            for row in rows:
                if row.row not in marks:
                    unmarked.append((row.row, number))
        for row_number, number in unmarked:
            printed = next(p.number for p in self.paper("").questions
                           if p.question.number == number)
            diagnostics.error(CellLoc(path, row_number, str(printed)),
                              "short answer not marked (1 or 0) while other rows are")
        if unmarked:
            return None
        objective = [q.number for q in bank.questions if q.kind != "isian"]
        scored = tuple(sorted([*objective, *self.isian]))
        scored_rows = tuple(
            TestRow(r.nip, r.row, round(100 * sum(r.correct.get(n, False) for n in scored)
                                        / max(len(scored), 1), 2), r.chosen, r.correct)
            for r in rows)
        return TestResults(bank, path, scored_rows, scored)


def _check_post_has_pre(results: Results, diagnostics: Diagnostics) -> None:
    pre = next((t for name, t in results.tests.items() if name.startswith("pre")), None)
    post = next((t for name, t in results.tests.items() if name.startswith("post")), None)
    if pre is None or post is None:
        return
    have = set(pre.by_nip())
    for row in post.rows:
        if row.nip not in have:
            diagnostics.error(CellLoc(post.path, row.row, "nip"),
                              f"no pre-test result for this participant in {pre.path}")


def known_nips(course: Course) -> dict[str, str] | None:
    """NIP -> name from the roster, or None when the course has none.

    Uses the roster kit's `course.roster` when present; otherwise reads the `nip` and `nama`
    columns of `content/peserta.csv` (the roster kit validates the file itself)."""
    roster = getattr(course, "roster", None)
    if roster is not None:
        return {p.nip: p.nama for p in roster.participants}
    path = course.root / "content" / "peserta.csv"
    if not path.is_file():
        return None
    rows = read_table(path, "content/peserta.csv", Diagnostics()) or [[]]
    header = [cell.lower() for cell in rows[0]]
    if "nip" not in header:
        return None
    nip, name = header.index("nip"), next((header.index(n) for n in ("nama", "name")
                                           if n in header), None)
    return {r[nip].replace(" ", ""): (r[name] if name is not None and name < len(r) else "")
            for r in rows[1:] if len(r) > nip and r[nip]}

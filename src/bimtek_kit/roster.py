"""The roster (daftar peserta): `content/peserta.csv` or `.xlsx` -> `Roster` (DESIGN §9).

A roster comes from whoever collected the registrations, usually in Excel: column names in
Indonesian or English, a BOM, `;` as separator (Excel's CSV in an Indonesian locale), NIPs
typed with spaces. All of that simply works; what cannot be right (a NIP that is not 18
digits, a name missing, a NIP twice, a column nobody knows) is reported as
`content/peserta.csv:14:nip: message`, every problem of the file in one run.

Formula cells of a workbook are read by their value as Excel last saved it; we never evaluate
a formula. The roster is personal data (UU 27/2022): it feeds only the organisers' outputs,
the build records a hash of it, never its rows, and no message repeats a cell's value (CI logs
are not the place for a NIP, whose first eight digits are a birth date).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bimtek_kit.errors import CellLoc, Diagnostic, Diagnostics, Loc, did_you_mean
from bimtek_kit.resources import ResourceError, check_image, read_regular_file, resolve_resource

if TYPE_CHECKING:
    from bimtek_kit.model import Course
    from bimtek_kit.sources.yamlsource import LineMap

ROSTER_STEM = Path("content") / "peserta"
ROSTER_SUFFIXES = (".csv", ".xlsx")
MAX_ROSTER_BYTES = 32 * 1024 * 1024
NIP_DIGITS = 18
FORMULA_MESSAGE = ("formula without a saved value; open the file in Excel or LibreOffice and save "
                   "it again (formulas are never evaluated here)")

COLUMNS: dict[str, tuple[str, ...]] = {
    # canonical name: every header that means it (after `_header_key`)
    "nama": ("nama", "name", "nama_lengkap", "full_name", "nama_peserta"),
    "nip": ("nip", "nip_nrp", "employee_id"),
    "jabatan": ("jabatan", "position", "job_title"),
    "pangkat_golongan": ("pangkat_golongan", "pangkat", "golongan", "pangkat_gol", "rank",
                         "grade"),
    "instansi": ("instansi", "institution", "agency", "opd", "instansi_opd", "perangkat_daerah"),
    "unit_kerja": ("unit_kerja", "work_unit", "satuan_kerja", "satker", "bidang"),
    "email": ("email", "e_mail", "surel"),
    "telepon": ("telepon", "telp", "phone", "hp", "no_hp", "nomor_hp", "whatsapp", "wa"),
}
IGNORED = ("no", "nomor", "number")
"""A running-number column, common in registration sheets; we number participants ourselves."""
_ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}

_ACADEMIC_PREFIX = re.compile(r"^(?:prof|dr|drs|dra|drg|ir)\.\s*", re.IGNORECASE)
"""Academic and professional titles written before a name (Prof., Dr., Drs., Dra., dr., Ir.)."""



@dataclass(frozen=True)
class Participant:
    number: int
    """1-based position in the roster: the number on the daftar hadir and the certificate."""
    row: int
    nama: str
    nip: str
    jabatan: str = ""
    pangkat_golongan: str = ""
    instansi: str = ""
    unit_kerja: str = ""
    email: str = ""
    telepon: str = ""

    @property
    def plain_name(self) -> str:
        """The name without academic titles, as certificates print it (DESIGN §9; the
        regulation behind it is unverified in domain.md, so it is not cited by number)."""
        return strip_titles(self.nama)

    @property
    def nip_display(self) -> str:
        """`19850312 201001 1 002`: birth date, appointment, sex, number (as BKN prints it)."""
        nip = self.nip
        if len(nip) != NIP_DIGITS:
            return nip or "-"
        return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


@dataclass(frozen=True)
class Roster:
    path: str
    """Project-relative source file."""
    participants: tuple[Participant, ...]
    digest: str
    """sha256 of the file's bytes: job keys and the manifest record this, never the rows."""

    def __len__(self) -> int:
        return len(self.participants)

    def __repr__(self) -> str:  # never print personal data into a log or a traceback
        return f"Roster({self.path!r}, {len(self.participants)} participants, {self.digest[:12]})"


def strip_titles(name: str) -> str:
    """`Dr. Hj. Siti Aminah, S.Sos., M.Si.` -> `Hj. Siti Aminah`.

    Degrees follow the name after a comma (Indonesian names hold no comma); academic titles
    before it end in a dot. Religious and honorary titles (H., Hj.) are not academic: they stay.
    """
    head = name.split(",", 1)[0].strip()
    while True:
        stripped = _ACADEMIC_PREFIX.sub("", head, count=1)
        if stripped == head:
            return " ".join(head.split())
        head = stripped


def find_roster(root: Path, diagnostics: Diagnostics) -> Path | None:
    """`content/peserta.csv` or `.xlsx`; both at once is an error (which one is the truth?)."""
    found = [root / ROSTER_STEM.with_suffix(s) for s in ROSTER_SUFFIXES]
    found = [path for path in found if path.is_file()]
    if len(found) > 1:
        diagnostics.error(Loc(ROSTER_STEM.with_suffix(".xlsx").as_posix()),
                          "both content/peserta.csv and content/peserta.xlsx exist; keep one "
                          "roster")
        return None
    return found[0] if found else None


def load_roster(path: Path, relative: str, diagnostics: Diagnostics) -> Roster | None:
    """Read and validate the roster; None (with every problem reported) when it is unusable."""
    loc = Loc(relative)
    try:  # a regular file only, read with a bound: never /dev/zero or a FIFO (issue #13)
        data = read_regular_file(path, MAX_ROSTER_BYTES)
    except ResourceError as exc:
        diagnostics.error(loc, f"{exc}; a roster is a CSV or XLSX file of at most "
                          f"{MAX_ROSTER_BYTES >> 20} MB")
        return None
    except OSError as exc:
        diagnostics.error(loc, f"cannot read file: {exc.strerror or exc}")
        return None
    local = Diagnostics()
    rows = (_xlsx_rows(data, loc, local) if path.suffix.lower() == ".xlsx"
            else _csv_rows(data, loc, local))
    participants = _participants(rows, loc, local) if rows is not None else None
    diagnostics.extend(_formula_first(local.items))
    if participants is None or local.errors:
        return None
    return Roster(relative, tuple(participants), hashlib.sha256(data).hexdigest())


def _formula_first(found: list[Diagnostic]) -> list[Diagnostic]:
    """A cell whose formula has no saved value reads as empty: say that, not "empty name"."""
    formulas = {d.loc for d in found if d.message.startswith(FORMULA_MESSAGE)}
    return [d for d in found if d.loc not in formulas or d.message.startswith(FORMULA_MESSAGE)]


# --- reading -----------------------------------------------------------------------------------

Rows = list[tuple[int, list[Any]]]
"""(row number as the spreadsheet shows it, cell values) per non-empty row, header first."""


def _csv_rows(data: bytes, loc: Loc, diagnostics: Diagnostics) -> Rows | None:
    text = _decode(data)
    first_line = text.lstrip("\n").split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: Rows = []
    start = 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            rows.append((start, cells))
        start = reader.line_num + 1
    if not rows:
        diagnostics.error(loc.at(1), _empty_message())
        return None
    return rows


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); else Windows-1252, which Excel uses for "CSV" on Windows."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _xlsx_rows(data: bytes, loc: Loc, diagnostics: Diagnostics) -> Rows | None:
    """The first sheet's rows, each cell by its saved value (`data_only`: no evaluation)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        diagnostics.error(loc, f"cannot read the workbook: {exc}")
        return None
    try:
        sheet = book.worksheets[0]
        rows: Rows = [(number, list(values)) for number, values
                      in enumerate(sheet.iter_rows(values_only=True), start=1)
                      if any(_cell_text(v) for v in values)]
    finally:
        book.close()
    if not rows:
        diagnostics.error(loc.at(1), _empty_message())
        return None
    _check_unsaved_formulas(data, rows, loc, diagnostics)
    return rows


def _check_unsaved_formulas(data: bytes, rows: Rows, loc: Loc, diagnostics: Diagnostics) -> None:
    """A formula cell with no saved value reads as empty: say so instead of "empty name".

    Files written by scripts (not by Excel or LibreOffice) hold formulas without results. Only
    rows with an empty cell are looked at again, so a clean 10,000-row file is read once.
    """
    suspects = {number for number, cells in rows if not all(_cell_text(c) for c in cells)}
    if not suspects:
        return
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        header = [_cell_text(c) for c in rows[0][1]]
        for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            if number not in suspects:
                continue
            for index, value in enumerate(values):
                if isinstance(value, str) and value.startswith("="):  # message without the value
                    title = header[index] if index < len(header) else str(index + 1)
                    column = _ALIASES.get(_header_key(title), title)
                    diagnostics.error(
                        CellLoc(loc.path, number, column),
                        FORMULA_MESSAGE)
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def _empty_message() -> str:
    return ("the roster is empty; write a header row (nama, nip, jabatan, pangkat_golongan, "
            "instansi) and one row per participant")


# --- validating --------------------------------------------------------------------------------


def _participants(rows: Rows, loc: Loc, diagnostics: Diagnostics) -> list[Participant] | None:
    header_row, header = rows[0]
    columns = _columns(header, loc.path, header_row, diagnostics)
    if columns is None:
        return None
    if len(rows) == 1:
        diagnostics.error(loc.at(header_row + 1), "the roster has a header but no participants")
        return None
    participants = []
    seen_nip: dict[str, int] = {}
    for number, (row, cells) in enumerate(rows[1:], start=1):
        values = {name: cells[index] if index < len(cells) else None
                  for index, name in columns.items()}
        participant = _participant(number, row, values, loc.path, diagnostics)
        if participant.nip:
            if participant.nip in seen_nip:
                diagnostics.error(CellLoc(loc.path, row, "nip"),
                                  f"duplicate NIP (already in row {seen_nip[participant.nip]})")
            seen_nip.setdefault(participant.nip, row)
        participants.append(participant)
    return participants


def _columns(header: list[Any], path: str, row: int,
             diagnostics: Diagnostics) -> dict[int, str] | None:
    """Map column index -> canonical name; unknown and repeated columns are errors."""
    columns: dict[int, str] = {}
    known = [*COLUMNS, *IGNORED]
    for index, value in enumerate(header):
        title = _cell_text(value)
        key = _header_key(title)
        if not key or key in IGNORED:
            continue
        name = _ALIASES.get(key)
        if name is None:
            diagnostics.error(CellLoc(path, row, title),
                              f"unknown column '{title}'{did_you_mean(key, known)}; known "
                              "columns: " + ", ".join(COLUMNS))
            continue
        if name in columns.values():
            diagnostics.error(CellLoc(path, row, title), f"column '{name}' appears twice")
            continue
        columns[index] = name
    if "nama" not in columns.values():
        diagnostics.error(Loc(path, row), "the roster has no 'nama' (name) column; the first "
                          "row must name the columns, e.g. nama, nip, jabatan, instansi")
        return None
    return columns


def _header_key(title: str) -> str:
    """`Pangkat/Golongan` -> `pangkat_golongan`, `No.` -> `no`, `E-mail` -> `e_mail`."""
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")


def _participant(number: int, row: int, values: dict[str, Any], path: str,
                 diagnostics: Diagnostics) -> Participant:
    texts = {name: " ".join(_cell_text(value).split()) for name, value in values.items()}
    if not texts.get("nama"):
        diagnostics.error(CellLoc(path, row, "nama"), "name must not be empty")
    nip = ""
    if "nip" in values:
        nip, problem = _nip(values["nip"])
        if problem:
            diagnostics.error(CellLoc(path, row, "nip"), problem)
    fields = {name: texts.get(name, "") for name in COLUMNS if name not in ("nama", "nip")}
    return Participant(number, row, texts.get("nama", ""), nip, **fields)


def _nip(value: Any) -> tuple[str, str]:
    """The NIP as 18 digits (spaces and dots dropped) and a problem, or "" when it is fine.

    A NIP typed into Excel as a number keeps only 15 significant digits: the last three are
    already lost, so it is refused rather than guessed.
    """
    if value is None or value == "":
        return "", ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        if abs(value) >= 1e15:
            return "", ("NIP is stored as a number, so Excel kept only 15 of its 18 digits; "
                        "format the column as Text and type the NIP again")
        value = _cell_text(value)
    text = str(value).strip()
    if re.fullmatch(r"\d(?:[.,]\d+)?E\+?\d+", text, re.IGNORECASE):
        return "", ("NIP is in scientific notation (Excel shortened it); format the column as "
                    "Text and type the NIP again")
    digits = re.sub(r"[\s.\-]", "", text)
    if not digits.isdigit():
        return "", "NIP may hold only digits (spaces between the groups are fine)"
    if len(digits) != NIP_DIGITS:
        return "", f"NIP must have {NIP_DIGITS} digits, got {len(digits)}"
    if not _is_date(digits[:8]):
        return "", "NIP must start with a birth date (YYYYMMDD) that exists"
    return digits, ""


def _is_date(text: str) -> bool:
    try:
        dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return 1900 <= int(text[:4]) <= 2100



# --- bimtek.yml keys of the kit, checked against the course ------------------------------------


def check_kit(course: Course, loc: Loc, lines: LineMap, diagnostics: Diagnostics) -> None:
    """What only the whole course can tell: narasumber modules exist, the kop logo is usable."""
    config = course.config
    ids = [m.id for m in course.modules]
    for index, speaker in enumerate(config.narasumber):
        for position, module_id in enumerate(speaker.modul):
            if module_id not in ids:
                line = lines.line_of(("narasumber", index, "modul", position))
                diagnostics.error(loc.at(line), f"narasumber: no module with id '{module_id}'"
                                  f"{did_you_mean(module_id, ids)}")
    if config.kop.logo:
        try:
            check_image(resolve_resource(config.kop.logo, course.root, (course.root,)))
        except ResourceError as exc:
            diagnostics.error(loc.at(lines.line_of(("kop", "logo"))), f"kop.logo: {exc}")
    if course.roster is None:
        return
    if not config.penandatangan:
        diagnostics.warning(loc.at(1), "penandatangan is not set: certificates and attendance "
                            "lists get no signature block")
    if config.schedule.start_date is None:
        diagnostics.warning(loc.at(lines.line_of(("schedule",))), "schedule.start_date is not "
                            "set: attendance lists and certificates carry no dates")

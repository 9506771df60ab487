"""Schemas for `bimtek.yml`, module front matter and question banks (pydantic v2).

`validate` turns pydantic's errors into `path:line: message` diagnostics, one per problem, using
the YAML line map, with "did you mean" hints for misspelt keys.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bimtek_kit.errors import Diagnostics, Loc, did_you_mean
from bimtek_kit.slugs import slugify
from bimtek_kit.sources.yamlsource import LineMap

# --- value types -----------------------------------------------------------------------------

_TIME = re.compile(r"^\s*(\d{1,2})[.:](\d{2})\s*$")


def _parse_time(value: Any) -> dt.time:
    """Accept `08.00`, `"08:00"`, YAML's float 8.3 (= 08.30) and its sexagesimal int (16:15)."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, bool):
        raise ValueError("expected a time such as 08.00")
    if isinstance(value, int):
        hours, minutes = (value // 60, value % 60) if value >= 24 else (value, 0)
    elif isinstance(value, float):
        hours, minutes = (int(part) for part in f"{value:.2f}".split("."))
    else:
        match = _TIME.match(str(value))
        if not match:
            raise ValueError(f"expected a time such as 08.00, got '{value}'")
        hours, minutes = int(match.group(1)), int(match.group(2))
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ValueError(f"'{value}' is not a time of day")
    return dt.time(hours, minutes)


Time = Annotated[dt.time, BeforeValidator(_parse_time)]


def _string_list(value: Any) -> Any:
    """Let authors write a single string where a list is expected."""
    return [value] if isinstance(value, str) else value


StrList = Annotated[list[str], BeforeValidator(_string_list)]


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt key must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- bimtek.yml --------------------------------------------------------------------------------


class Break(Strict):
    at: Time
    minutes: int = Field(gt=0, le=240)
    label: str = "Istirahat"


class Event(Strict):
    day: int | Literal["first", "last"] = 1
    at: Time | None = None
    minutes: int = Field(gt=0, le=600)
    label: str


class Schedule(Strict):
    start_date: dt.date | None = None
    days: int | None = Field(default=None, ge=1, le=30)
    day_start: Time = dt.time(8, 0)
    day_end: Time = dt.time(16, 15)
    jp_minutes: int = Field(default=45, ge=10, le=120)
    timezone: str = "WIB"
    breaks: list[Break] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)

    @model_validator(mode="after")
    def _day_has_length(self) -> Schedule:
        if self.day_end <= self.day_start:
            raise ValueError("day_end must be later than day_start")
        return self


class Handout(Strict):
    """`handout:` the printed slide handout (issue #17)."""

    per_page: Literal[2, 3, 4, 6] = 3
    """3: PowerPoint's layout, each slide beside ruled note lines; 2, 4, 6: slides only."""


# --- the organisers' kit (DESIGN §9) ------------------------------------------------------------


def _also(*names: str) -> Any:
    """Accept the Indonesian key and its English alias (`nama` / `name`)."""
    return AliasChoices(*names)


def _nip_text(value: Any) -> Any:
    """An unquoted NIP reads as a YAML integer; it is 18 digits of text (spaces allowed)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        digits = re.sub(r"\s", "", value)
        if digits and (not digits.isdigit() or len(digits) != 18):
            raise ValueError(f"NIP must have 18 digits, got '{value}'")
        return digits
    return value


Nip = Annotated[str, BeforeValidator(_nip_text)]


class Speaker(Strict):
    """A narasumber: who teaches which modules (daftar hadir narasumber, schedule)."""

    nama: str = Field(min_length=1, validation_alias=_also("nama", "name"))
    nip: Nip = ""
    instansi: str = Field("", validation_alias=_also("instansi", "institution"))
    modul: StrList = Field(default_factory=list, validation_alias=_also("modul", "modules"))


class Signatory(Strict):
    """A penandatangan: `Kepala …` above the signature, name and NIP below it."""

    jabatan: str = Field(min_length=1, validation_alias=_also("jabatan", "position"))
    nama: str = Field(min_length=1, validation_alias=_also("nama", "name"))
    nip: Nip = ""
    pangkat: str = Field("", validation_alias=_also("pangkat", "rank"))

    @property
    def title(self) -> str:
        """The jabatan, as the signature blocks of the handbook and the jadwal print it."""
        return self.jabatan

    @property
    def name(self) -> str:
        return self.nama


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


class Letterhead(Strict):
    """Kop surat: logo, the office's name (one line each, government first), address."""

    logo: str | None = None
    instansi: StrList = Field(default_factory=list, validation_alias=_also("instansi",
                                                                           "institution"))
    alamat: str = Field("", validation_alias=_also("alamat", "address"))
    telepon: str = Field("", validation_alias=_also("telepon", "phone"))
    laman: str = Field("", validation_alias=_also("laman", "website"))
    email: str = ""


CERTIFICATE_FIELDS = ("no", "kode", "bulan_romawi", "bulan", "tahun")


class CertificateSpec(Strict):
    nomor: str = Field("{no}/{kode}/{bulan_romawi}/{tahun}",
                       validation_alias=_also("nomor", "number"))
    kode: str = Field("BIMTEK", validation_alias=_also("kode", "code"))
    mulai: int = Field(1, ge=1, validation_alias=_also("mulai", "start"))
    verifikasi_url: str = Field("", validation_alias=_also("verifikasi_url", "verification_url"))

    @field_validator("nomor")
    @classmethod
    def _known_fields(cls, value: str) -> str:
        for name in re.findall(r"{([^{}]*)}", value):
            if name not in CERTIFICATE_FIELDS:
                raise ValueError(f"unknown field {{{name}}}{did_you_mean(name, CERTIFICATE_FIELDS)}"
                                 f"; available: " + ", ".join(f"{{{f}}}" for f in
                                                              CERTIFICATE_FIELDS))
        if "{no}" not in value:
            raise ValueError("the number must contain {no}, or every certificate gets the same")
        return value

    @field_validator("verifikasi_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if value and not re.match(r"^https?://[^\s]+$", value):
            raise ValueError(f"expected a web address starting with https://, got '{value}'")
        return value


def _group_size(value: Any) -> Any:
    return {"ukuran": value} if isinstance(value, int) and not isinstance(value, bool) else value


class GroupSpec(Strict):
    ukuran: int = Field(5, ge=2, le=30, validation_alias=_also("ukuran", "size"))
    seed: int = 1
    """Changing the seed deals the groups anew; the same seed always gives the same groups."""
class CardSpec(Strict):
    """Kartu peserta: `qr: true` prints a QR code with the participant's code on each card
    (checked at the registration desk against the roster; it holds no NIP)."""

    qr: bool = False


class ReportSpec(Strict):
    """BAB I of the laporan pelaksanaan (DESIGN §10): what the organiser writes once."""

    dasar: StrList = Field(default_factory=list)
    """Legal and administrative bases (regulations, the DIPA/DPA, the assignment letter)."""
    tujuan: StrList = Field(default_factory=list)
    sasaran: str = ""


class CourseConfig(Strict):
    title: str = Field(min_length=1)
    short_title: str | None = None
    slug: str | None = None
    organizer: str = ""
    place: str = ""
    audience: str = ""
    language: Literal["id", "en"] = "id"
    theme: str = "default"
    paper: Literal["A4", "F4", "Letter"] = "A4"
    edition: str = ""
    foreword: str = ""
    laporan: ReportSpec = Field(default_factory=ReportSpec)
    logo: str | None = None
    allow_html: bool = False
    schedule: Schedule = Field(default_factory=Schedule)
    handout: Handout = Field(default_factory=Handout)
    modules: list[str] = Field(default_factory=list)
    # the organisers' kit (§9); used only when content/peserta.csv|.xlsx exists
    narasumber: list[Speaker] = Field(default_factory=list)
    penandatangan: Annotated[list[Signatory], BeforeValidator(_one_or_many)] = Field(
        default_factory=list)
    kop: Letterhead = Field(default_factory=Letterhead)
    sertifikat: CertificateSpec = Field(default_factory=CertificateSpec)
    kelompok: Annotated[GroupSpec, BeforeValidator(_group_size)] = Field(
        default_factory=GroupSpec)
    daftar_hadir: Literal["per_hari", "per_sesi"] = "per_hari"
    kartu_peserta: CardSpec = Field(default_factory=CardSpec)
    groups: int = Field(default=4, ge=1, le=30)
    """Simulasi groups without a roster: one set of role cards (kartu peran) is printed per
    group. With a roster, `kelompok` deals the participants into groups instead."""
    venue: str = ""
    """Where the course is held (e.g. "Aula BKPSDM, Jl. …"); printed with `place`."""
    pass_mark: int = Field(default=80, ge=1, le=100)
    """Tingkat penguasaan (percent) at which a participant has mastered a test or a chapter's
    formative questions; a convention, not a regulation (domain.md), so it is configurable."""

    @field_validator("edition", mode="before")
    @classmethod
    def _edition_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("theme")
    @classmethod
    def _theme_is_a_name(cls, value: str) -> str:
        """A theme is a folder name under themes/, never a path (`/etc`, `../..`)."""
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", value):
            raise ValueError(
                f"{value!r} is not a theme name; use the name of a folder in themes/ "
                "(letters, digits, '-' and '_'), not a path"
            )
        return value

    @property
    def display_short_title(self) -> str:
        return self.short_title or self.title

    @property
    def signatory(self) -> Signatory | None:
        """Who signs the kata pengantar and approves the jadwal: the first penandatangan."""
        return self.penandatangan[0] if self.penandatangan else None

    @property
    def speaker_by_module(self) -> dict[str, str]:
        """Module id -> the narasumber's name, for modules whose front matter names none."""
        return {module: speaker.nama for speaker in self.narasumber for module in speaker.modul}

    @property
    def course_slug(self) -> str:
        return slugify(self.slug or self.display_short_title) or "kursus"


# --- module front matter -----------------------------------------------------------------------


class FrontMatter(Strict):
    id: str | None = Field(default=None, min_length=1)
    title: str = Field(min_length=1)
    code: str = ""
    duration_jp: int = Field(ge=1, le=60)
    objectives: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]
    methods: StrList = Field(default_factory=list)
    media: StrList = Field(default_factory=list)
    description: str = ""
    narasumber: str = ""


# --- question banks and forms ------------------------------------------------------------------

_KINDS = {
    "pilihan-ganda": "pilihan-ganda",
    "multiple-choice": "pilihan-ganda",
    "benar-salah": "benar-salah",
    "true-false": "benar-salah",
    "isian": "isian",
    "short-answer": "isian",
}
_TRUTH = {
    "benar": "benar",
    "true": "benar",
    "b": "benar",
    "salah": "salah",
    "false": "salah",
    "s": "salah",
}


class QuestionSpec(Strict):
    module: str | None = None
    type: str = "pilihan-ganda"
    question: str = Field(min_length=1)
    options: list[str] = Field(default_factory=list)
    answer: str | bool | int
    explanation: str = ""

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in _KINDS:
            raise ValueError(
                f"unknown question type '{value}'{did_you_mean(value, _KINDS)}; expected "
                "pilihan-ganda, benar-salah or isian"
            )
        return _KINDS[value]

    @model_validator(mode="after")
    def _answer_fits(self) -> QuestionSpec:
        if self.type == "pilihan-ganda":
            self.answer = self._option_letter()
        elif self.type == "benar-salah":
            key = str(self.answer).strip().lower()
            if key not in _TRUTH:
                raise ValueError(f"answer '{self.answer}' must be benar or salah")
            self.answer = _TRUTH[key]
        else:
            self.answer = str(self.answer)
        return self

    def _option_letter(self) -> str:
        if not 2 <= len(self.options) <= 6:
            raise ValueError("a pilihan-ganda question needs 2 to 6 options")
        letters = [chr(ord("A") + i) for i in range(len(self.options))]
        answer = str(self.answer).strip()
        if answer.upper() in letters and len(answer) == 1:
            return answer.upper()
        if answer in self.options:
            return letters[self.options.index(answer)]
        raise ValueError(
            f"answer '{answer}' is not among the options ({letters[0]}–{letters[-1]} "
            "or the exact text of one option)"
        )


class BankSpec(Strict):
    kind: Literal["test"] = "test"
    title: str = Field(min_length=1)
    instructions: str = ""
    questions: list[QuestionSpec] = Field(min_length=1)


class FormSectionSpec(Strict):
    title: str
    items: list[str] = Field(min_length=1)


class FormSpec(Strict):
    kind: Literal["form"]
    title: str = Field(min_length=1)
    instructions: str = ""
    scale: list[str] = Field(
        default_factory=lambda: ["Sangat Kurang", "Kurang", "Baik", "Sangat Baik"], min_length=2
    )
    per_module: bool = False
    sections: list[FormSectionSpec] = Field(min_length=1)
    comments: list[str] = Field(default_factory=list)


class ReferenceSpec(Strict):
    id: str = ""
    author: str = ""
    year: str = ""
    title: str = Field(min_length=1)
    publisher: str = ""
    url: str = ""

    @field_validator("year", mode="before")
    @classmethod
    def _year_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


# --- errors to diagnostics ---------------------------------------------------------------------

M = TypeVar("M", bound=BaseModel)


def validate(
    model: type[M],
    data: Any,
    loc: Loc,
    lines: LineMap,
    diagnostics: Diagnostics,
    what: str = "",
) -> M | None:
    """Validate `data` against `model`; report every error at its line and return None on error."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            path = tuple(error["loc"])
            diagnostics.error(loc.at(lines.line_of(path)), _message(model, error, path, what))
        return None


def salvage(model: type[M], data: dict[str, Any]) -> M | None:
    """`data` validated with its failing top-level keys left out (their defaults used), or None.

    The failures are reported already; this lets the checks that only need the rest of the
    file (logo, foreword, theme, module order) still run, so one `check` shows everything.
    """
    data = dict(data)
    for _attempt in range(len(data) + 1):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            failed = {e["loc"][0] for e in exc.errors() if e["loc"] and e["loc"][0] in data}
            if not failed:
                return None
            for key in failed:
                del data[key]
    return None


def _message(model: type[BaseModel], error: Any, path: tuple[Any, ...], what: str) -> str:
    kind = error["type"]
    key = ".".join(str(p) for p in path) or what or "document"
    if kind == "extra_forbidden":
        name = str(path[-1])
        return f"unknown key '{name}'{did_you_mean(name, _fields_at(model, path[:-1]))}"
    if kind == "missing":
        return f"missing required key '{key}'"
    if kind == "model_type":
        return f"{key}: expected a mapping of keys (key: value), got {_shown(error['input'])}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{key}: expected a whole number, got {_shown(error['input'])}"
    if kind in ("float_parsing", "float_type"):
        return f"{key}: expected a number, got {_shown(error['input'])}"
    if kind in ("bool_parsing", "bool_type"):
        return f"{key}: expected true or false, got {_shown(error['input'])}"
    if kind in ("dict_type",):
        return f"{key}: expected a mapping of keys (key: value), got {_shown(error['input'])}"
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        bound = error["msg"].lower().removeprefix("input should be ")
        return f"{key}: {_shown(error['input'])} is too far out: it should be {bound}"
    if kind == "too_short" and isinstance(error.get("input"), list):
        return f"{key}: must not be empty"
    if kind == "string_too_short":
        return f"{key}: must not be empty"
    if kind in ("list_type",):
        return f"{key}: expected a list, got {_shown(error['input'])}"
    if kind in ("string_type",):
        return f"{key}: expected text, got {_shown(error['input'])}"
    if kind == "literal_error":
        return f"{key}: got {_shown(error['input'])}, expected {error['ctx']['expected']}"
    if kind == "value_error":
        return f"{key}: {error['ctx']['error']}" if path else str(error["ctx"]["error"])
    return f"{key}: {error['msg']}"


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fields_at(model: type[BaseModel], path: tuple[Any, ...]) -> list[str]:
    """Return the field names of the (nested) model that `path` points into."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        field_info = getattr(current, "model_fields", {}).get(part)
        if field_info is None:
            return []
        current = _model_in(field_info.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    """Find the BaseModel class inside `list[X]`, `X | None` and similar annotations."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None

"""Locations, diagnostics and the exceptions that carry them to the user."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


@dataclass(frozen=True, order=True)
class Loc:
    """A place in a source file: `path` relative to the project root, 1-based `line`."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def at(self, line: int | None) -> Loc:
        """Return the same file at another line."""
        return Loc(self.path, line)


@dataclass(frozen=True, order=True)
class CellLoc(Loc):
    """A cell of a spreadsheet: `content/peserta.csv:14:nip` (the row as the spreadsheet shows
    it); rosters and `hasil/` files are located this way."""

    column: str = ""

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base}:{self.column}" if self.column else base


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the sources, printed as `path:line: message`."""

    loc: Loc
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        prefix = "" if self.severity is Severity.ERROR else "warning: "
        return f"{self.loc}: {prefix}{self.message}"


@dataclass
class Diagnostics:
    """Collects every problem of a run so the user sees all of them at once."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, loc: Loc, message: str) -> None:
        self.items.append(Diagnostic(loc, message, Severity.ERROR))

    def warning(self, loc: Loc, message: str) -> None:
        self.items.append(Diagnostic(loc, message, Severity.WARNING))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def has_errors(self, strict: bool = False) -> bool:
        """Errors stop a build; with `strict`, warnings do too."""
        return bool(self.errors or (strict and self.warnings))

    def sorted(self) -> list[Diagnostic]:
        """Return the diagnostics in file and line order, duplicates removed."""
        unique = dict.fromkeys(self.items)
        return sorted(unique, key=lambda d: (d.loc.path, d.loc.line or 0, d.message))

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class BimtekError(Exception):
    """A problem the user can fix; the CLI prints it without a traceback (exit 1)."""

    def __init__(self, message: str, diagnostics: Diagnostics | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or Diagnostics()

    def __reduce__(self):  # type: ignore[no-untyped-def]
        """Keep the diagnostics when the error travels back from a worker process (pickle)."""
        return (self.__class__, (str(self), self.diagnostics))


class ContentError(BimtekError):
    """The sources have errors; `diagnostics` lists every one of them."""


class UsageError(BimtekError):
    """The command line asks for something impossible (exit 2)."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ` (did you mean 'x'?)` when a close match exists, else an empty string."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def relative_to(path: Path, root: Path) -> str:
    """Return `path` relative to `root` with forward slashes, for messages."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()

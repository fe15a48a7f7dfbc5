"""One exception type per user-facing failure, each carrying its exit code.

Nothing below the CLI prints or exits: the core raises these, and the CLI's single handler
turns them into one line on stderr and the exit code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import _, ngettext

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Text from files made safe for a terminal: control characters (escape sequences, bells,
    bidirectional overrides) become '?', so a file cannot clear the screen or retitle it."""
    return _CONTROL.sub("?", text)


EXIT_OK = 0
EXIT_THRESHOLD = 1
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Problem:
    """One problem found in a file, with its position when there is one (1-based)."""

    file: str
    message: str
    line: int | None = None
    col: int | None = None
    cell: str | None = None  # a workbook cell, "Answers!E14": shown instead of line:col

    @classmethod
    def at(cls, file: str, value: object, message: str) -> Problem:
        """A problem at the position a value remembers (values read from files keep theirs)."""
        return cls(file, message, getattr(value, "line", None), getattr(value, "col", None))

    def __str__(self) -> str:
        where = self.file
        if self.cell is not None:
            return f"{where}: {self.cell}: {self.message}"
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {self.message}"


class AeoCheckError(Exception):
    """Base class of every error aeo-check reports to a user."""

    exit_code: int = EXIT_INPUT

    def lines(self) -> list[str]:
        return [str(self)]


class UsageError(AeoCheckError):
    """A command-line mistake: unknown program, unknown business type, bad option value."""


class InputFileError(AeoCheckError):
    """A file cannot be used. Carries every problem found, each with file, line and column."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("InputFileError needs at least one problem")
        self.problems = problems
        super().__init__(str(problems[0]))

    def __str__(self) -> str:
        first = str(self.problems[0])
        if len(self.problems) > 1:
            n = len(self.problems) - 1
            first += " " + ngettext(
                "(and {n} more problem; run 'aeo-check validate')",
                "(and {n} more problems; run 'aeo-check validate')",
                n,
            ).format(n=n)
        return first

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class OutputExistsError(AeoCheckError):
    """Refusing to overwrite a file the user wrote (answers files) without --force."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(_("{file}: already exists; use --force to overwrite it").format(file=path))


class OutputError(AeoCheckError):
    """A report or answers file could not be written."""


class Interrupted(AeoCheckError):
    """The user pressed Ctrl-C; progress was saved."""

    exit_code = EXIT_INTERRUPTED

"""The sections of the gap-analysis report, one module each.

Each section module defines ``KEY`` (its bookmark and link target), ``TITLE`` (the numbered
title shown in the report and its outline; ``None`` for the cover and for the optional sections
whose heading depends on the data) and ``build(ctx) -> list[Flowable]``, which returns the
section's flowables (after the cover, each starts with its own page break; an optional section
returns an empty list when the report was not asked for it). ``aeo_check.reports.pdf.REPORT`` lists
them in the order they appear; a new section is a new module here and its name in that list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ....model import Questionnaire, Result


@dataclass(frozen=True)
class Ctx:
    """What every section is built from: the scored assessment and the report's options."""

    result: Result
    generated_on: str
    comparison: Any = None  # aeo_check.compare.Comparison, for report --compare
    difference: Any = None  # aeo_check.diff.Difference, for report --baseline

    @property
    def q(self) -> Questionnaire:
        return self.result.questionnaire

    @property
    def company(self) -> str:
        return self.result.assessment.company.name.strip() or "(company not named)"

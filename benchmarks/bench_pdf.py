"""Benchmark: score() + the gap-analysis PDF for the worst case among the bundled programs.

Picks the largest bundled questionnaire (by number of criteria; files that do not load are
skipped), its business type with the most applicable criteria, answers every criterion "no"
(every criterion a gap) and times score() + render(), median of 5 runs.

    python benchmarks/bench_pdf.py
"""

from __future__ import annotations

import io
import statistics
import sys
import time

from aeo_check import catalog
from aeo_check.model import Answer, AnswerValue, Assessment, Company, GateValue, Questionnaire
from aeo_check.reports import pdf
from aeo_check.scoring import score

RUNS = 5
DAY = "2026-01-01"


def largest_questionnaire() -> Questionnaire:
    loaded: list[Questionnaire] = []
    for program in catalog.program_ids():
        try:
            loaded.append(catalog.get(program))
        except Exception as exc:  # a bundled file being written may not load yet
            print(f"skipping {program}: {exc}", file=sys.stderr)
    if not loaded:
        raise SystemExit("no bundled questionnaire loads")
    return max(loaded, key=lambda q: len(q.criteria()))


def main() -> None:
    q = largest_questionnaire()
    entity = max(q.entity_types, key=lambda e: len(q.applicable_criteria(e.id))).id
    criteria = q.applicable_criteria(entity)
    assessment = Assessment(
        program=q.id,
        entity_type=entity,
        company=Company(name="Benchmark Logística S.A. de C.V."),
        assessor="aeo-check benchmark",
        answers={c.id: Answer(AnswerValue.NO, note="Not in place yet.") for c in criteria},
        eligibility={g.id: GateValue.YES for g in q.applicable_gates(entity)},
    )
    times: list[float] = []
    data = b""
    result = None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = score(q, assessment)
        data = pdf.render(result, generated_on=DAY)
        times.append(time.perf_counter() - start)
    assert result is not None
    try:
        import pypdf

        pages: int | str = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    except ImportError:  # pypdf is a test dependency
        pages = data.count(b"/Type /Page\n")
    print(f"questionnaire : {q.id} {q.version}, business type {entity}")
    print(f"criteria      : {len(criteria)}")
    print(f"gaps          : {len(result.gaps)}")
    print(f"pages         : {pages}")
    print(f"bytes         : {len(data):,}")
    print(
        f"seconds       : {statistics.median(times):.3f} median of {RUNS} "
        f"(min {min(times):.3f}, max {max(times):.3f})"
    )


if __name__ == "__main__":
    main()

"""Scripting aeo-check from Python: the same functions the command line uses.

Run:  python examples/api_example.py [OUTPUT_FOLDER]
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import aeo_check
from aeo_check.model import Answer, AnswerValue, Company, GateValue

HERE = Path(__file__).resolve().parent


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)

    # 1. A bundled questionnaire, and what it asks of one business type.
    q = aeo_check.get_questionnaire("ctpat")
    criteria = q.applicable_criteria("importer")
    print(f"{q.program.name}: {len(criteria)} criteria for {q.entity_type('importer').name}")

    # 2. Build answers in code (or load a file: aeo_check.load_answers(path)).
    a = aeo_check.new_assessment(
        q, "importer", company=Company(name="Contoso Imports LLC", country="US")
    )
    answers = {c.id: Answer(AnswerValue.YES) for c in criteria}
    answers["4.3"] = Answer(AnswerValue.NO, note="No penetration test yet")
    gates = {g.id: GateValue.YES for g in q.applicable_gates("importer")}
    a = replace(a, answers=answers, eligibility=gates)
    aeo_check.save_answers(out / "contoso.yaml", q, a)  # atomic, commented, resumable

    # 3. Score it: a Result with the overall score, verdict and gaps.
    result = aeo_check.score(q, a)
    print(f"score {result.overall} -> {result.verdict.value}; gaps: {[g.id for g in result.gaps]}")
    print("why:", "; ".join(aeo_check.verdict_reasons(result)))

    # 4. Render each format (bytes) or write several files at once.
    pdf = aeo_check.render("pdf", result)
    print(f"PDF: {len(pdf):,} bytes")
    written = aeo_check.write_report(
        result, {"json": out / "contoso.json", "md": out / "contoso.md", "csv": out / "contoso.csv"}
    )
    print("wrote", ", ".join(p.name for p in written.values()))

    # 5. The whole pipeline from a file, as `aeo-check report` runs it.
    run = aeo_check.run_report(
        HERE / "northwind-ctpat-importer.yaml", {"pdf": out / "northwind.pdf"}
    )
    print(f"Northwind: {run.result.overall} ({run.result.verdict.value})")

    # 6. A batch over a folder, as `aeo-check batch` runs it.
    batch = aeo_check.run_batch([out], out / "batch", formats=["json"], jobs=2)
    for row in batch.rows:
        print(f"  {row.company}: {row.overall} {row.verdict} -> {row.outputs.get('json')}")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="aeo-"))
    main(target)
    print(f"outputs in {target}")

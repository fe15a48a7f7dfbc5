"""Answers files for the benchmarks, made from ``aeo-check template`` output.

    python benchmarks/gen_answers.py worst OUT.yaml      # CTPAT importer, every answer "no"
    python benchmarks/gen_answers.py batch DIR N [SEED]  # N varied files (CTPAT/PIP/OEA mix)

"worst": the largest bundled questionnaire (CTPAT, business type importer, 93 criteria) with
every empty key of ``eligibility:`` and ``answers:`` filled with ``no`` (every criterion a gap).

"batch": a mix of programs and business types (about 60% CTPAT, 20% PIP, 20% OEA), 8
companies, answers drawn at random (yes/partial/no/na with a note/unanswered), with notes,
evidence and actions on some gaps. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import template

WORST = ("ctpat", "importer")
# (program, business type, share of the mix)
MIX = (
    ("ctpat", "importer", 0.30),
    ("ctpat", "foreign-manufacturer", 0.15),
    ("ctpat", "highway-carrier-us-mexico", 0.15),
    ("pip", "importer", 0.10),
    ("pip", "highway-carrier", 0.10),
    ("oea", "importer-exporter", 0.10),
    ("oea", "customs-broker", 0.10),
)
COMPANIES = (
    "Northwind Imports Inc.",
    "Acme Logística S.A. de C.V.",
    "Maple Leaf Freight Ltd.",
    "Globex Manufacturing",
    "Initech Customs Brokers",
    "Transportes del Bajío",
    "Great Lakes Rail Co.",
    "Pacific Rim Traders LLC",
)
PLACEHOLDER = "Company-Name-Placeholder"
_EMPTY = re.compile(r'^(\s+)("[^"]+"|[A-Za-z0-9_.-]+):\s*$')


def fill(text: str, choose) -> str:  # type: ignore[no-untyped-def]
    """Fill every empty key under ``eligibility:`` and ``answers:`` with ``choose(kind, key)``.

    ``choose`` returns the YAML text of the value (a scalar or a flow mapping), or None to
    leave the key empty (unanswered).
    """
    out = []
    section = None
    for line in text.splitlines(keepends=True):
        if line[:1].isalpha():
            section = line.split(":", 1)[0]
        m = _EMPTY.match(line.rstrip("\n"))
        if m and section in ("eligibility", "answers"):
            value = choose(section, m.group(2).strip('"'))
            if value is not None:
                line = f"{m.group(1)}{m.group(2)}: {value}\n"
        out.append(line)
    return "".join(out)


def worst(path: Path) -> Path:
    text = template(*WORST, company="Benchmark Importers Inc.")
    path.write_text(fill(text, lambda section, key: "no"), encoding="utf-8")
    return path


def _answer(r: random.Random, profile: float) -> str | None:
    """One answer: better companies (profile near 1) answer yes more often."""
    x = r.random()
    if x < 0.04:
        return None  # unanswered
    if x < 0.08:
        return '{answer: na, note: "Not part of our operations."}'
    if x < 0.08 + 0.9 * profile:
        return "yes"
    value = r.choice(("no", "partial", "no"))
    if r.random() < 0.5:
        return value
    return (
        f'{{answer: {value}, note: "Gap found in the {r.choice(("spring", "autumn"))} review; '
        f'procedure being written.", evidence: [sop-{r.randint(1, 99)}.pdf], '
        f"action: {{owner: {r.choice(('J. Smith', 'A. Ruiz', 'K. Tremblay'))}, "
        f"due: 2027-0{r.randint(1, 9)}-15, status: planned}}}}"
    )


def batch(folder: Path, n: int, seed: int = 1) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    r = random.Random(seed)
    templates: dict[tuple[str, str], str] = {}
    paths = []
    weights = [w for _, _, w in MIX]
    for i in range(n):
        program, entity, _ = r.choices(MIX, weights)[0]
        company = r.choice(COMPANIES)
        if (program, entity) not in templates:
            templates[program, entity] = template(program, entity, company=PLACEHOLDER)
        profile = r.uniform(0.3, 0.95)
        text = fill(
            templates[program, entity].replace(PLACEHOLDER, company),
            lambda section, k, p=profile: (
                ("yes" if r.random() < 0.95 else "no")
                if section == "eligibility"
                else _answer(r, p)
            ),
        )
        path = folder / f"{i:05d}-{program}-{entity}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str]) -> None:
    if len(argv) >= 2 and argv[0] == "worst":
        print(worst(Path(argv[1])))
    elif len(argv) >= 3 and argv[0] == "batch":
        paths = batch(Path(argv[1]), int(argv[2]), int(argv[3]) if len(argv) > 3 else 1)
        print(f"{len(paths)} files in {argv[1]}")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

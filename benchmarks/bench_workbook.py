"""Workbooks (.xlsx): what reading, saving back and writing one costs next to YAML.

    python benchmarks/bench_workbook.py [--reps N]

The answers are benchmarks/gen_answers.py's worst case (CTPAT, U.S. Importer, 93 criteria, all
"no") as YAML and as the same answers in a workbook. In one process, median of N (default 15):
load_answers() of each, save_answers() into the workbook (what ``assess`` does after every
answer), the template, and the xlsx report. Then the whole ``aeo-check report FILE --json``
process for each file, interleaved. Targets: a save back under 0.25 s (an answer should not
wait), and a workbook report process within 0.5 s of the YAML one.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import aeo_check_cmd, bench_env, fmt_s, interleaved, print_machine
from gen_answers import worst

SAVE_TARGET = 0.25
PROCESS_TARGET = 0.5


def _times(fn, reps: int) -> list[float]:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def run(reps: int) -> dict:
    from aeo_check import catalog
    from aeo_check.answers import load_answers, save_answers
    from aeo_check.scoring import score
    from aeo_check.workbook import render_result, template_bytes, write_template

    work = Path(tempfile.mkdtemp(prefix="aeo-bench-xlsx-"))
    yaml_path = worst(work / "worst.yaml")
    a, q = load_answers(yaml_path)
    book = work / "worst.xlsx"
    write_template(book, q, a)
    q = catalog.get(a.program)
    out = {
        "load_yaml": _times(lambda: load_answers(yaml_path), reps),
        "load_xlsx": _times(lambda: load_answers(book), reps),
        "save_back": _times(lambda: save_answers(book, q, a), reps),
        "template": _times(lambda: template_bytes(q, a), reps),
        "report_xlsx": _times(lambda: render_result(score(q, a)), reps),
    }
    wall, _cpu = interleaved(
        {
            "yaml": [*aeo_check_cmd(), "report", "--json", str(yaml_path)],
            "xlsx": [*aeo_check_cmd(), "report", "--json", str(book)],
        },
        reps,
        envs={"yaml": bench_env(), "xlsx": bench_env()},
    )
    out["process"] = wall
    return out


def report(r: dict) -> None:
    print("in one process (median):")
    for key in ("load_yaml", "load_xlsx", "save_back", "template", "report_xlsx"):
        print(f"  {key:12} {fmt_s(r[key])}")
    print("whole process, report --json (wall):")
    for key, value in r["process"].items():
        print(f"  {key:12} {fmt_s(value)}")
    save = statistics.median(r["save_back"])
    extra = statistics.median(r["process"]["xlsx"]) - statistics.median(r["process"]["yaml"])
    print(
        f"save back {save * 1000:.0f} ms (target <= {SAVE_TARGET * 1000:.0f} ms): "
        f"{'ok' if save <= SAVE_TARGET else 'SLOW'}"
    )
    print(
        f"workbook report process {extra * 1000:+.0f} ms vs YAML (target <= "
        f"{PROCESS_TARGET * 1000:.0f} ms): {'ok' if extra <= PROCESS_TARGET else 'SLOW'}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=15)
    args = ap.parse_args()
    print_machine()
    report(run(args.reps))


if __name__ == "__main__":
    main()

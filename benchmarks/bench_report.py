"""One report: the whole ``aeo-check report FILE -o out.pdf`` process against the floor.

    /work/venv/bin/python benchmarks/bench_report.py [--reps N] [--accel DIR]

FILE is the largest bundled questionnaire (CTPAT, U.S. Importer, 93 criteria) with every
eligibility question and criterion answered "no" (benchmarks/gen_answers.py worst). The floor
is benchmarks/floor_report.py, the same content laid out with plain reportlab. Both run N
times (default 15), interleaved, after 2 warm-up runs; target: ratio of medians <= 1.5.

It also times, in one process, score() + the PDF render of that file (the part that is not
interpreter start-up, imports and file loading), median of N.

``--accel DIR`` adds a third and fourth command: both again with DIR on PYTHONPATH (a folder
where ``pip install --target DIR rl_accel`` put reportlab's C accelerator), to measure it
without installing it in the environment.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    BENCH,
    PYTHON,
    aeo_check_cmd,
    bench_env,
    fmt_s,
    interleaved,
    print_machine,
)
from gen_answers import worst

TARGET = 1.5
DAY = "2026-01-01"


def in_process(path: Path, reps: int) -> dict:
    """score() + pdf.render() of one answers file in this process (imports done beforehand)."""
    from aeo_check.answers import load_answers
    from aeo_check.reports import pdf
    from aeo_check.scoring import score

    assessment, q = load_answers(path)
    result = score(q, assessment)
    data = pdf.render(result, generated_on=DAY)  # warm-up (font metrics, caches)
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        result = score(q, assessment)
        data = pdf.render(result, generated_on=DAY)
        times.append(time.perf_counter() - start)
    pages = data.count(b"/Type /Page\n")
    return {"times": times, "bytes": len(data), "pages": pages, "gaps": len(result.gaps)}


def run(reps: int, accel: str | None = None, bytecode: bool = True) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="aeo-bench-report-"))
    answers = worst(tmp / "ctpat-importer-all-no.yaml")
    aeo = [*aeo_check_cmd(), "report", str(answers), "--generated-on", DAY]
    floor = [PYTHON, str(BENCH / "floor_report.py"), str(answers)]
    commands = {
        "floor_report.py": [*floor, "-o", str(tmp / "floor.pdf")],
        "aeo-check report": [*aeo, "-o", str(tmp / "aeo.pdf")],
    }
    res: dict = {"answers": str(answers), "reps": reps, "bytecode": bytecode}
    wall, cpu = interleaved(commands, reps, cwd=tmp, env=bench_env(bytecode=bytecode))
    if accel:
        env = bench_env({"PYTHONPATH": accel}, bytecode=bytecode)
        wall_a, cpu_a = interleaved(commands, reps, cwd=tmp, env=env)
        wall.update({f"{k} +rl_accel": v for k, v in wall_a.items()})
        cpu.update({f"{k} +rl_accel": v for k, v in cpu_a.items()})
    res["wall"], res["cpu"] = wall, cpu
    med = {k: statistics.median(v) for k, v in wall.items()}
    res["ratio"] = med["aeo-check report"] / med["floor_report.py"]
    res["ratio_min"] = min(wall["aeo-check report"]) / min(wall["floor_report.py"])
    res["ratio_cpu"] = statistics.median(cpu["aeo-check report"]) / statistics.median(
        cpu["floor_report.py"]
    )
    if accel:
        res["ratio_accel"] = med["aeo-check report +rl_accel"] / med["floor_report.py +rl_accel"]
        res["accel_gain"] = 1 - med["aeo-check report +rl_accel"] / med["aeo-check report"]
    res["in_process"] = in_process(answers, max(5, reps // 2))
    shutil.rmtree(tmp, ignore_errors=True)
    return res


def report(res: dict) -> None:
    print(f"one report (CTPAT importer, every answer no), {res['reps']} runs each:")
    for name, values in res["wall"].items():
        print(f"  {name:30s} wall {fmt_s(values)}   cpu {fmt_s(res['cpu'][name])}")
    ok = "met" if res["ratio"] <= TARGET else "NOT met"
    print(
        f"  ratio aeo-check report / floor: {res['ratio']:.2f} (median), "
        f"{res['ratio_min']:.2f} (min), {res['ratio_cpu']:.2f} (cpu) -> target <= {TARGET}: {ok}"
    )
    if "ratio_accel" in res:
        print(
            f"  with rl_accel: ratio {res['ratio_accel']:.2f}; aeo-check report "
            f"{res['accel_gain'] * 100:.0f}% faster than without"
        )
    ip = res["in_process"]
    print(
        f"  in-process score + render: {fmt_s(ip['times'])}; {ip['pages']} pages, "
        f"{ip['gaps']} gaps, {ip['bytes']:,} bytes"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--accel", help="folder holding rl_accel (pip install --target DIR rl_accel)")
    ap.add_argument(
        "--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as it is"
    )
    ap.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    args = ap.parse_args()
    print_machine()
    res = run(args.reps, args.accel, bytecode=not args.no_bytecode)
    report(res)
    if args.json:
        print(json.dumps(res))


if __name__ == "__main__":
    main()

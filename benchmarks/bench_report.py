"""One report: the whole ``aeo-check report FILE -o out.pdf`` process against the floor.

    python benchmarks/bench_report.py [--reps N] [--src DIR] [--accel DIR]

FILE is the largest bundled questionnaire (CTPAT, U.S. Importer, 93 criteria) with every
eligibility question and criterion answered "no" (benchmarks/gen_answers.py worst). The floor
is benchmarks/floor_report.py, the same content laid out with plain reportlab. Both run N
times (default 15), interleaved, after 2 warm-up runs; target: ratio of medians <= 1.5.

It also times, in one process, score() + the PDF render of that file (the part that is not
interpreter start-up, imports and file loading), median of N.

``--src DIR`` adds a third command: ``aeo-check report`` with DIR first on PYTHONPATH, for a
before/after comparison in the same run (DIR holds another copy of the ``aeo_check`` package,
for example ``git archive`` of an older commit's ``src``; a ``questionnaires`` folder next to
DIR is found as in a checkout).

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
    """The floor's build() and aeo-check's load + score() + pdf.render() of one answers file,
    alternately in this process (imports done beforehand), CPU time of each."""
    from floor_report import build

    from aeo_check import catalog
    from aeo_check.answers import load_answers
    from aeo_check.reports import pdf
    from aeo_check.scoring import score

    def aeo() -> bytes:
        catalog._load_cached.cache_clear()  # load the questionnaire again, as the floor does
        assessment, q = load_answers(path)
        return pdf.render(score(q, assessment), generated_on=DAY)

    def floor() -> bytes:
        return build(path)

    data, floor_data = aeo(), floor()  # warm-up (font metrics, caches)
    times: list[float] = []
    floor_times: list[float] = []
    for _ in range(reps):
        for fn, into in ((floor, floor_times), (aeo, times)):
            start = time.process_time()
            fn()
            into.append(time.process_time() - start)
    assessment, q = load_answers(path)
    result = score(q, assessment)
    return {
        "times": times,
        "floor_times": floor_times,
        "ratio_paired": statistics.median(a / f for a, f in zip(times, floor_times, strict=True)),
        "bytes": len(data),
        "pages": data.count(b"/Type /Page\n"),
        "floor_pages": floor_data.count(b"/Type /Page\n"),
        "gaps": len(result.gaps),
    }


def run(reps: int, accel: str | None = None, bytecode: bool = True, src: str | None = None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="aeo-bench-report-"))
    answers = worst(tmp / "ctpat-importer-all-no.yaml")
    aeo = [*aeo_check_cmd(), "report", str(answers), "--generated-on", DAY]
    floor = [PYTHON, str(BENCH / "floor_report.py"), str(answers)]
    commands = {
        "floor_report.py": [*floor, "-o", str(tmp / "floor.pdf")],
        "aeo-check report": [*aeo, "-o", str(tmp / "aeo.pdf")],
    }
    envs = {}
    if src:
        commands[f"aeo-check report ({src})"] = [*aeo, "-o", str(tmp / "aeo-src.pdf")]
        envs[f"aeo-check report ({src})"] = bench_env({"PYTHONPATH": src}, bytecode=bytecode)
    res: dict = {"answers": str(answers), "reps": reps, "bytecode": bytecode}
    wall, cpu = interleaved(commands, reps, cwd=tmp, env=bench_env(bytecode=bytecode), envs=envs)
    if accel:
        env = bench_env({"PYTHONPATH": accel}, bytecode=bytecode)
        pair = {k: commands[k] for k in ("floor_report.py", "aeo-check report")}
        wall_a, cpu_a = interleaved(pair, reps, cwd=tmp, env=env)
        wall.update({f"{k} +rl_accel": v for k, v in wall_a.items()})
        cpu.update({f"{k} +rl_accel": v for k, v in cpu_a.items()})
    res["wall"], res["cpu"] = wall, cpu
    med = {k: statistics.median(v) for k, v in wall.items()}
    res["ratio"] = med["aeo-check report"] / med["floor_report.py"]
    res["ratio_paired"] = statistics.median(
        a / f for a, f in zip(wall["aeo-check report"], wall["floor_report.py"], strict=True)
    )
    res["ratio_min"] = min(wall["aeo-check report"]) / min(wall["floor_report.py"])
    res["ratio_cpu"] = statistics.median(cpu["aeo-check report"]) / statistics.median(
        cpu["floor_report.py"]
    )
    if src:
        other = f"aeo-check report ({src})"
        res["ratio_src"] = statistics.median(
            a / f for a, f in zip(wall[other], wall["floor_report.py"], strict=True)
        )
        res["ratio_src_cpu"] = statistics.median(cpu[other]) / statistics.median(
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
    ok = "met" if res["ratio_paired"] <= TARGET else "NOT met"
    print(
        f"  ratio aeo-check report / floor: {res['ratio_paired']:.2f} (median of paired runs), "
        f"{res['ratio']:.2f} (of medians), {res['ratio_min']:.2f} (min), "
        f"{res['ratio_cpu']:.2f} (cpu) -> target <= {TARGET}: {ok}"
    )
    if "ratio_src" in res:
        print(
            f"  ratio with --src / floor: {res['ratio_src']:.2f} (median of paired runs), "
            f"{res['ratio_src_cpu']:.2f} (cpu)"
        )
    if "ratio_accel" in res:
        print(
            f"  with rl_accel: ratio {res['ratio_accel']:.2f}; aeo-check report "
            f"{res['accel_gain'] * 100:.0f}% faster than without"
        )
    ip = res["in_process"]
    print(
        f"  in one process (CPU), floor build():              {fmt_s(ip['floor_times'])}; "
        f"{ip['floor_pages']} pages"
    )
    print(
        f"  in one process (CPU), load + score + render:      {fmt_s(ip['times'])}; "
        f"{ip['pages']} pages, {ip['gaps']} gaps, {ip['bytes']:,} bytes"
    )
    print(f"  in one process, ratio: {ip['ratio_paired']:.2f} (median of paired runs)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--src", help="also time aeo-check with this folder first on PYTHONPATH")
    ap.add_argument("--accel", help="folder holding rl_accel (pip install --target DIR rl_accel)")
    ap.add_argument(
        "--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as it is"
    )
    ap.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    args = ap.parse_args()
    print_machine()
    res = run(args.reps, args.accel, bytecode=not args.no_bytecode, src=args.src)
    report(res)
    if args.json:
        print(json.dumps(res))


if __name__ == "__main__":
    main()

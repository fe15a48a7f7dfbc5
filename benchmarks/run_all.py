"""Run every benchmark and print a summary table.

    python benchmarks/run_all.py          # full: about 15 minutes on 2 cores
    python benchmarks/run_all.py --quick  # fewer runs and files: about 2 minutes

Sections: start-up (bench_startup.py), one report against the floor (bench_report.py), batch
(bench_batch.py). Each script also runs alone; see docs/performance.md for the figures and the
machine they were measured on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_batch
import bench_report
import bench_startup
from _common import print_machine


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions and files")
    ap.add_argument("--accel", help="folder holding rl_accel, to measure it (see bench_report)")
    args = ap.parse_args()
    print_machine()
    startup_reps, report_reps = (20, 5) if args.quick else (30, 15)
    sizes, batch_reps = ([50, 100], 1) if args.quick else ([200, 1000], 1)

    print()
    st = bench_startup.run(startup_reps)
    bench_startup.report(st)
    print()
    rp = bench_report.run(report_reps, args.accel)
    bench_report.report(rp)
    print()
    bt = bench_batch.run(sizes, [1, 2], batch_reps)
    bench_batch.summary(bt)

    rows = [
        ("start-up: aeo-check --help / minimal Typer --help", f"{st['ratio_help']:.2f}", "<= 1.3",
         st["ratio_help"] <= 1.3),
        ("one report: aeo-check report / floor", f"{rp['ratio_paired']:.2f}", "<= 1.5",
         rp["ratio_paired"] <= 1.5),
    ]  # fmt: skip
    peaks = {}
    for n, s in bt["sizes"].items():
        j1, j2 = s["jobs"][1], s["jobs"][2]
        rows += [
            (f"batch {n}: reports/s --jobs 1", f"{j1['reports_per_s']:.2f}", "", None),
            (f"batch {n}: reports/s --jobs 2", f"{j2['reports_per_s']:.2f}", "", None),
            (f"batch {n}: speed-up", f"{s['speedup']:.2f}", ">= 1.7", s["speedup"] >= 1.7),
        ]
        for j, r in ((1, j1), (2, j2)):
            rows.append(
                (f"batch {n}: overhead --jobs {j}", f"{r['overhead'] * 100:+.1f}%", "<= 20%",
                 r["overhead"] <= 0.2)
            )  # fmt: skip
        peaks[n] = max(max(r["tree_max_mb"], r["parent_mb"]) for r in s["jobs"].values())
        rows.append((f"batch {n}: peak RSS of any process", f"{peaks[n]:.0f} MB", "<= 150 MB",
                     peaks[n] <= 150))  # fmt: skip
    if len(peaks) > 1:
        spread = max(peaks.values()) / min(peaks.values()) - 1
        rows.append(("batch: peak RSS spread across sizes", f"{spread * 100:.1f}%", "<= 10%",
                     spread <= 0.1))  # fmt: skip

    print()
    print("SUMMARY" + (" (--quick)" if args.quick else ""))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':{width}}  {'value':>9}  {'target':>9}  result")
    for name, value, target, ok in rows:
        verdict = "" if ok is None else ("met" if ok else "NOT met")
        print(f"{name:{width}}  {value:>9}  {target:>9}  {verdict}")


if __name__ == "__main__":
    main()

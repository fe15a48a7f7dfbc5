"""Batch: ``aeo-check batch DIR -o OUT --jobs J`` on generated answers files.

    python benchmarks/bench_batch.py [--sizes 200,1000] [--jobs 1,2] [--reps N]

For each size it generates that many varied answers files (benchmarks/gen_answers.py batch:
about 60% CTPAT, 20% PIP, 20% OEA, 8 companies, random answers with notes, evidence and
actions) in a temporary folder, then runs the batch (PDF format, ``--quiet``,
``--generated-on``) with each ``--jobs`` value and prints:

- reports per second, and the speed-up of the highest --jobs over --jobs 1 (target >= 1.7);
- the overhead: total time / (files x one-report time / jobs) - 1 (target <= 20%), where the
  one-report time is the mean in-process score() + PDF render of a sample of the same files
  (after a warm-up, so imports and questionnaire loads are not in it);
- the CPU time of all its processes against files x one-report time (the work overhead, which
  other load on the machine disturbs less than wall time);
- peak memory (VmHWM, read from /proc while the batch runs) of the parent and of each worker,
  and the maximum resident size of the whole process tree from wait4() (target <= 150 MB, and
  the same within 10% for every size).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import aeo_check_cmd, bench_env, print_machine
from gen_answers import batch as make_files

DAY = "2026-01-01"
SAMPLE = 40


def one_report_time(paths: list[Path]) -> dict:
    """Mean in-process time of score() + PDF render (and of loading) over a sample of files."""
    from aeo_check.answers import load_answers
    from aeo_check.reports import pdf
    from aeo_check.scoring import score

    step = max(1, len(paths) // SAMPLE)
    sample = paths[::step][:SAMPLE]
    for p in sample[:5]:  # warm-up: imports, questionnaire loads, font metrics
        a, q = load_answers(p)
        pdf.render(score(q, a), generated_on=DAY)
    load_t, work_t = [], []
    for p in sample:
        t0 = time.perf_counter()
        a, q = load_answers(p)
        t1 = time.perf_counter()
        pdf.render(score(q, a), generated_on=DAY)
        t2 = time.perf_counter()
        load_t.append(t1 - t0)
        work_t.append(t2 - t1)
    return {
        "files": len(sample),
        "score_render": statistics.fmean(work_t),
        "load": statistics.fmean(load_t),
    }


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _hwm_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def run_batch(cmd: list[str], env: dict) -> dict:
    """Run one batch; poll the peak memory of the parent and its workers."""
    import subprocess

    peaks: dict[int, int] = {}
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            stack = [proc.pid]
            while stack:
                pid = stack.pop()
                hwm = _hwm_kib(pid)
                if hwm is not None:
                    peaks[pid] = max(peaks.get(pid, 0), hwm)
                stack += _children(pid)
            time.sleep(0.02)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    stderr = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    poller.join()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"batch failed ({proc.returncode}): {stderr[-800:]!r}")
    parent = peaks.pop(proc.pid, 0)
    return {
        "seconds": elapsed,
        "parent_mb": parent / 1024,
        "worker_mb": max(peaks.values(), default=0) / 1024,
        "workers_seen": len(peaks),
        "tree_max_mb": usage.ru_maxrss / 1024,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }


def run(sizes: list[int], jobs: list[int], reps: int, keep: bool = False) -> dict:
    root = Path(tempfile.mkdtemp(prefix="aeo-bench-batch-"))
    env = bench_env()
    out: dict = {"sizes": {}, "root": str(root), "cpus": os.cpu_count()}
    try:
        for n in sizes:
            inputs = root / f"in-{n}"
            paths = make_files(inputs, n, seed=n)
            # measured before and after the batches (the machine's load changes): the mean
            before = one_report_time(paths)
            typical = dict(before)
            res: dict = {"typical": typical, "jobs": {}}
            for j in jobs:
                runs = []
                for _ in range(reps):
                    target = root / f"out-{n}-j{j}"
                    shutil.rmtree(target, ignore_errors=True)
                    cmd = [*aeo_check_cmd(), "batch", str(inputs), "-o", str(target), "--jobs",
                           str(j), "--quiet", "--generated-on", DAY]  # fmt: skip
                    runs.append(run_batch(cmd, env))
                    written = len(list(target.glob("*.pdf"))) - 1  # minus portfolio.pdf
                    if written != n:
                        raise RuntimeError(f"expected {n} reports, found {written}")
                secs = [r["seconds"] for r in runs]
                med = statistics.median(secs)
                res["jobs"][j] = {
                    "seconds": secs,
                    "median": med,
                    "min": min(secs),
                    "reports_per_s": n / med,
                    "parent_mb": max(r["parent_mb"] for r in runs),
                    "worker_mb": max(r["worker_mb"] for r in runs),
                    "tree_max_mb": max(r["tree_max_mb"] for r in runs),
                    "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
                    # share of `jobs` cores the batch got: below 1, other work took the rest
                    "core_share": statistics.median(r["cpu_seconds"] for r in runs) / (med * j),
                    "load": (runs[-1]["load_before"], runs[-1]["load_after"]),
                }
            after = one_report_time(paths)
            typical["before"], typical["after"] = before["score_render"], after["score_render"]
            typical["score_render"] = (before["score_render"] + after["score_render"]) / 2
            typical["load"] = (before["load"] + after["load"]) / 2
            for j, r in res["jobs"].items():
                ideal = n * typical["score_render"] / j
                r["overhead"] = r["median"] / ideal - 1
                r["overhead_min"] = r["min"] / ideal - 1
                r["cpu_overhead"] = r["cpu_seconds"] / (n * typical["score_render"]) - 1
            if len(jobs) > 1:
                lo, hi = min(jobs), max(jobs)
                res["speedup"] = res["jobs"][lo]["median"] / res["jobs"][hi]["median"]
            out["sizes"][n] = res
            print_size(n, res)
            sys.stdout.flush()
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    return out


def print_size(n: int, res: dict) -> None:
    t = res["typical"]
    print(
        f"batch of {n} files: one report in-process {t['score_render'] * 1000:.0f} ms score+render "
        f"(+{t['load'] * 1000:.0f} ms loading the answers file), mean of {t['files']} files "
        f"(measured before: {t['before'] * 1000:.0f} ms, after: {t['after'] * 1000:.0f} ms)"
    )
    for j, r in res["jobs"].items():
        print(
            f"  --jobs {j}: median {r['median']:.1f} s (min {r['min']:.1f}, n={len(r['seconds'])})"
            f"  {r['reports_per_s']:.2f} reports/s  overhead {r['overhead'] * 100:+.1f}% "
            f"(min {r['overhead_min'] * 100:+.1f}%)  peak RSS parent {r['parent_mb']:.0f} MB, "
            f"worker {r['worker_mb']:.0f} MB, tree max {r['tree_max_mb']:.0f} MB"
        )
        print(
            f"            cpu (all processes) {r['cpu_seconds']:.1f} s: "
            f"{r['cpu_overhead'] * 100:+.1f}% over files x one-report time; it got "
            f"{r['core_share'] * 100:.0f}% of {j} core(s) (load average before/after "
            f"{r['load'][0]:.2f}/{r['load'][1]:.2f})"
        )
    if "speedup" in res:
        print(f"  speed-up: {res['speedup']:.2f}")


def summary(out: dict) -> None:
    sizes = out["sizes"]
    peaks = {n: max(max(r["tree_max_mb"], r["parent_mb"]) for r in s["jobs"].values())
             for n, s in sizes.items()}  # fmt: skip
    print("targets:")
    for n, s in sizes.items():
        if "speedup" in s:
            print(f"  {n} files: speed-up {s['speedup']:.2f} (>= 1.7: "
                  f"{'met' if s['speedup'] >= 1.7 else 'NOT met'})")  # fmt: skip
        worst = max(r["overhead"] for r in s["jobs"].values())
        print(f"  {n} files: worst overhead {worst * 100:+.1f}% (<= 20%: "
              f"{'met' if worst <= 0.2 else 'NOT met'})")  # fmt: skip
    top = max(peaks.values())
    print(f"  peak memory of any process: {top:.0f} MB (<= 150 MB: "
          f"{'met' if top <= 150 else 'NOT met'})")  # fmt: skip
    if len(peaks) > 1:
        spread = max(peaks.values()) / min(peaks.values()) - 1
        print(f"  peak memory across sizes differs by {spread * 100:.1f}% (<= 10%: "
              f"{'met' if spread <= 0.1 else 'NOT met'})")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="200,1000")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--reps", type=int, default=1, help="runs of each batch (median)")
    ap.add_argument("--keep", action="store_true", help="keep the generated files and reports")
    ap.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    args = ap.parse_args()
    print_machine()
    out = run([int(x) for x in args.sizes.split(",")], [int(x) for x in args.jobs.split(",")],
              args.reps, keep=args.keep)  # fmt: skip
    summary(out)
    if args.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()

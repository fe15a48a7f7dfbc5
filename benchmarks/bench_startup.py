"""Start-up: wall time of ``aeo-check --help`` (and ``--version``) against a minimal Typer app.

    python benchmarks/bench_startup.py [--reps N]

Runs each command N times (default 30), interleaved, after 2 warm-up runs, and prints the
median and minimum wall and CPU times and the ratio of medians (target: <= 1.3). Also checks,
in a fresh interpreter, that ``--help`` imports neither PyYAML, reportlab nor questionary.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
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

TARGET = 1.3
HEAVY_CHECK = (
    "import sys\n"
    "from aeo_check.cli import app\n"
    "try:\n    app(['--help'], prog_name='aeo-check')\n"
    "except SystemExit:\n    pass\n"
    "print(sorted(m for m in ('yaml', 'reportlab', 'questionary', 'prompt_toolkit')"
    " if m in sys.modules))\n"
)


def run(reps: int, bytecode: bool = True) -> dict:
    aeo = aeo_check_cmd()
    commands = {
        "minimal Typer app --help": [PYTHON, str(BENCH / "minimal_typer_app.py"), "--help"],
        "aeo-check --help": [*aeo, "--help"],
        "aeo-check --version": [*aeo, "--version"],
    }
    wall, cpu = interleaved(commands, reps, env=bench_env(bytecode=bytecode))
    heavy = (
        subprocess.run(
            [PYTHON, "-c", HEAVY_CHECK], capture_output=True, text=True, check=True, env=bench_env()
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    med = {k: statistics.median(v) for k, v in wall.items()}
    return {
        "reps": reps,
        "bytecode": bytecode,
        "wall": wall,
        "cpu": cpu,
        "ratio_help": med["aeo-check --help"] / med["minimal Typer app --help"],
        "ratio_help_min": min(wall["aeo-check --help"]) / min(wall["minimal Typer app --help"]),
        "ratio_help_cpu": statistics.median(cpu["aeo-check --help"])
        / statistics.median(cpu["minimal Typer app --help"]),
        "ratio_version": med["aeo-check --version"] / med["minimal Typer app --help"],
        "heavy_modules_on_help": heavy,
    }


def report(res: dict) -> None:
    print(f"start-up, {res['reps']} runs each (interleaved):")
    for name, values in res["wall"].items():
        print(f"  {name:28s} wall {fmt_s(values)}   cpu {fmt_s(res['cpu'][name])}")
    ok = "met" if res["ratio_help"] <= TARGET else "NOT met"
    print(
        f"  ratio aeo-check --help / minimal --help: {res['ratio_help']:.2f} (median), "
        f"{res['ratio_help_min']:.2f} (min), {res['ratio_help_cpu']:.2f} (cpu) "
        f"-> target <= {TARGET}: {ok}"
    )
    print(f"  ratio aeo-check --version / minimal --help: {res['ratio_version']:.2f}")
    print(f"  heavy modules imported by --help: {res['heavy_modules_on_help']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=30)
    ap.add_argument(
        "--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as it is"
    )
    ap.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    args = ap.parse_args()
    print_machine()
    res = run(args.reps, bytecode=not args.no_bytecode)
    report(res)
    if args.json:
        print(json.dumps(res))


if __name__ == "__main__":
    main()

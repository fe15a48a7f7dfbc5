"""Helpers shared by the benchmark scripts (timing, machine description, answers files)."""

from __future__ import annotations

import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent


def aeo_check_cmd() -> list[str]:
    """The installed console script next to this Python (the venv's ``aeo-check``)."""
    script = BIN / "aeo-check"
    if script.exists():
        return [str(script)]
    found = shutil.which("aeo-check")
    if found:
        return [found]
    return [PYTHON, "-m", "aeo_check"]


PYCACHE = Path(tempfile.gettempdir()) / "aeo-check-bench-pycache"


def bench_env(extra: dict[str, str] | None = None, *, bytecode: bool = True) -> dict[str, str]:
    """The environment of the timed processes.

    By default bytecode caching is on, as for an installed package (pip compiles .pyc files
    at install time), even when this shell sets PYTHONDONTWRITEBYTECODE=1: the .pyc files go
    to a folder in the temporary directory (PYTHONPYCACHEPREFIX), never into the source tree.
    ``bytecode=False`` keeps the environment as it is.
    """
    env = dict(os.environ)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env.update(extra or {})
    return env


def run_timed(
    cmd: Sequence[str], *, cwd: Path | None = None, env: dict | None = None
) -> tuple[float, float]:
    """(wall, cpu) seconds of one process, output discarded; raises if it fails.

    cpu is user + system time of the process and its children (from getrusage), which a busy
    machine disturbs less than wall time.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        list(cmd), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-800:]!r}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def interleaved(
    commands: dict[str, Sequence[str]],
    reps: int,
    *,
    warmup: int = 2,
    envs: dict[str, dict] | None = None,
    **kw,
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Time each command ``reps`` times, alternating between them (fair on a busy machine).

    ``envs`` gives some commands an environment of their own (by name; the others get
    ``kw["env"]``). Returns (wall times, cpu times), each by command name.
    """
    envs = envs or {}

    def one(name: str, cmd: Sequence[str]) -> tuple[float, float]:
        return run_timed(cmd, **{**kw, **({"env": envs[name]} if name in envs else {})})

    for _ in range(warmup):
        for name, cmd in commands.items():
            one(name, cmd)
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(reps):
        for name, cmd in commands.items():
            w, c = one(name, cmd)
            wall[name].append(w)
            cpu[name].append(c)
    return wall, cpu


def stats(values: Sequence[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def fmt_s(values: Sequence[float]) -> str:
    s = stats(values)
    return f"median {s['median'] * 1000:7.1f} ms  min {s['min'] * 1000:7.1f} ms  (n={len(values)})"


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        text = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
        if m:
            cpu = m.group(1).strip()
    except OSError:
        pass
    try:
        import reportlab

        rl = reportlab.Version
    except ImportError:  # pragma: no cover
        rl = "not installed"
    try:
        import _rl_accel  # noqa: F401

        accel = "installed"
    except ImportError:
        accel = "not installed"
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "reportlab": rl,
        "rl_accel": accel,
        "platform": platform.platform(),
    }


def print_machine() -> None:
    m = machine()
    print(
        f"machine: nproc={m['nproc']}  cpu={m['cpu']}  python={m['python']}  "
        f"reportlab={m['reportlab']}  rl_accel={m['rl_accel']}"
    )


# --------------------------------------------------------------------------------------------
# Answers files
# --------------------------------------------------------------------------------------------


def template(program: str, entity: str, company: str = "") -> str:
    """The blank answers file ``aeo-check template`` writes."""
    cmd = [*aeo_check_cmd(), "template", program, "--entity", entity]
    if company:
        cmd += ["--company", company]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini.yaml"


def cli_command() -> list[str]:
    """The installed console script, as a user runs it (falls back to python -m)."""
    exe = shutil.which("aeo-check", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "aeo_check"]


def run_cli(
    *args: str | Path,
    cwd: Path | None = None,
    input: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    full_env.pop("AEO_CHECK_DEBUG", None)
    for var in ("AEO_CHECK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):  # English unless a test asks
        full_env.pop(var, None)
    full_env["LANG"] = "C.UTF-8"
    if env:
        full_env.update(env)
    return subprocess.run(
        [*cli_command(), *map(str, args)],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        timeout=timeout,
    )


@pytest.fixture
def mini_path() -> Path:
    return MINI


@pytest.fixture
def mini():
    from aeo_check.loading import load_questionnaire

    return load_questionnaire(MINI)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


MINI_ANSWERS_HEAD = """format: aeo-check/answers@1
program: mini
questionnaire_version: "2026-01"
entity_type: {entity}
company: {{name: ACME Corp, country: US}}
assessor: Jane Doe
assessed_on: 2026-11-27
"""

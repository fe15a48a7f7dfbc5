"""The wheel carries the questionnaires; start-up stays light."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.fail(proc.stdout[-2000:] + proc.stderr[-2000:])
    wheels = list(out.glob("aeo_check-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_contains_the_questionnaires(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for program in ("ctpat", "pip", "oea"):
        assert f"aeo_check/questionnaires/{program}.yaml" in names
    assert "aeo_check/cli.py" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry).decode()
    assert "aeo-check = aeo_check.cli:main" in text


def test_installed_copy_finds_its_questionnaires():
    """The package under test finds bundled questionnaires wherever it is installed."""
    from aeo_check import catalog

    folder = catalog.bundled_dir()
    assert (folder / "ctpat.yaml").is_file()
    assert catalog.program_ids() == ["ctpat", "oea", "pip"]


@pytest.mark.parametrize("args", [["--help"], ["--version"]])
def test_help_and_version_import_no_heavy_modules(args):
    code = (
        "import sys\n"
        "from aeo_check.cli import app\n"
        f"try:\n    app({args!r}, prog_name='aeo-check')\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('yaml', 'reportlab', 'questionary', 'prompt_toolkit', 'openpyxl')"
        " if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY=\n" in proc.stdout or proc.stdout.strip().endswith("HEAVY="), proc.stdout

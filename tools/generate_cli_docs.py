"""Regenerate docs/cli-reference.md from the commands' own --help, so it cannot drift.

Run: python tools/generate_cli_docs.py   (tests/test_docs.py fails when the copy is stale)
"""

from __future__ import annotations

import os
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "docs" / "cli-reference.md"
COMMANDS = ["", "programs", "template", "validate", "report", "assess"]


def rendered() -> str:
    os.environ["COLUMNS"] = "100"
    os.environ["NO_COLOR"] = "1"
    os.environ["TERM"] = "dumb"
    from typer.testing import CliRunner

    from aeo_check.cli import app

    runner = CliRunner()
    parts = [
        "# Command-line reference",
        "",
        "Generated from `--help` by `tools/generate_cli_docs.py`; see [cli.md](cli.md) for the",
        "output rules, conventions and exit codes.",
        "",
    ]
    for cmd in COMMANDS:
        args = [cmd, "--help"] if cmd else ["--help"]
        result = runner.invoke(app, args, prog_name="aeo-check", env={"COLUMNS": "100"})
        title = f"aeo-check {cmd}".strip()
        text = "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())
        parts += [f"## `{title}`", "", "```text", text, "```", ""]
    return "\n".join(parts)


def main() -> None:
    OUT.write_text(rendered(), encoding="utf-8", newline="\n")
    print(f"wrote {OUT.relative_to(OUT.parents[1])}")


if __name__ == "__main__":
    main()

"""The start-up floor: a minimal Typer app of one command (what ``typer`` itself costs).

    python benchmarks/minimal_typer_app.py --help

benchmarks/bench_startup.py times ``aeo-check --help`` against this script's ``--help``.
"""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False)


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


if __name__ == "__main__":
    app()

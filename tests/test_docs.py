"""Generated documentation is current; the README's commands are the real ones."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))


def test_cli_reference_is_current():
    from generate_cli_docs import OUT, rendered

    assert OUT.read_text(encoding="utf-8") == rendered(), (
        "docs/cli-reference.md is stale: run 'python tools/generate_cli_docs.py'"
    )


def test_readme_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0].strip() for b in text.split("```sh\n")[1:3]]
    assert "pip install ." in blocks[0] and "aeo-check report examples/" in blocks[0]
    example = blocks[0].split("aeo-check report ")[1].split()[0]
    assert (ROOT / example).is_file()
    assert 'pip install ".[test]"' in blocks[1] and "python -m pytest" in blocks[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install --quiet ".[test]"' in ci and "python -m pytest" in ci


def test_readme_speaks_french_and_spanish_with_the_same_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for heading, lang in (("## En français", "fr"), ("## En español", "es")):
        section = text.split(heading, 1)[1].split("\n## ", 1)[0]
        blocks = [b.split("```", 1)[0].strip() for b in section.split("```sh\n")[1:3]]
        assert len(blocks) == 2, heading
        run = blocks[0].split(f"aeo-check --lang {lang} report ", 1)[1].split()[0]
        assert (ROOT / run).is_file(), f"{heading}: {run} is not a bundled example"
        assert 'pip install ".[test]"' in blocks[1] and "python -m pytest" in blocks[1]
        assert f"AEO_CHECK_LANG={lang}" in section  # how to pick the language

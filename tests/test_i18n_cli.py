"""The command line in English, French and Spanish: choosing the language (--lang before or
after the command, AEO_CHECK_LANG, the locale), refusing an unknown one, and what each
command prints. Runs the installed console script as a user does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

EXAMPLE = ROOT / "examples" / "northwind-ctpat-importer.yaml"
PIP_FR = "Partenaires en protection (PEP)"


def keys(value: object) -> object:
    """The shape of a JSON document: its keys, nested, without the values."""
    if isinstance(value, dict):
        return {k: keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [keys(v) for v in value[:1]]
    return type(value).__name__


def test_programs_json_in_spanish_has_the_english_keys():
    en = run_cli("programs", "ctpat", "--json")
    es = run_cli("--lang", "es", "programs", "ctpat", "--json")
    assert en.returncode == es.returncode == 0, es.stderr
    doc_en, doc_es = json.loads(en.stdout), json.loads(es.stdout)
    assert keys(doc_es) == keys(doc_en)
    names_en = {t["id"]: t["name"] for t in doc_en["programs"][0]["entity_types"]}
    names_es = {t["id"]: t["name"] for t in doc_es["programs"][0]["entity_types"]}
    assert names_es.keys() == names_en.keys()  # ids are facts: never translated
    assert names_es["mexican-long-haul-carrier"].startswith("Transportista")
    assert names_es["importer"] != names_en["importer"]


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--lang", "fr", "programs", "pip"], {}),  # before the command (global)
        (["programs", "pip", "--lang", "fr"], {}),  # the command's own
        (["--lang", "es", "programs", "pip", "--lang", "fr"], {}),  # the command's wins
        (["programs", "pip", "--lang", "fr"], {"AEO_CHECK_LANG": "es"}),  # --lang wins
        (["programs", "pip"], {"AEO_CHECK_LANG": "fr", "LANG": "es_MX.UTF-8"}),
        (["programs", "pip"], {"LANG": "fr_CA.UTF-8"}),
        (["programs", "pip"], {"LC_ALL": "fr_FR.UTF-8", "LANG": "es_MX.UTF-8"}),
    ],
)
def test_the_language_comes_from_the_option_then_the_environment(args, env):
    r = run_cli(*args, env=env)
    assert r.returncode == 0, r.stderr
    assert PIP_FR in r.stdout


def test_english_when_nothing_says_otherwise():
    r = run_cli("programs", "pip", env={"LANG": "de_DE.UTF-8"})  # a locale we do not speak
    assert r.returncode == 0, r.stderr
    assert "Partners in Protection" in r.stdout and PIP_FR not in r.stdout


def _one_line_naming_the_choices(r, where: str) -> None:
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert where in lines[0] and "Traceback" not in r.stderr
    for code in ("en", "fr", "es"):
        assert code in lines[0].split("(")[-1]


COMMANDS = {
    "programs": [],
    "template": ["pip", "--entity", "importer"],
    "validate": [EXAMPLE],
    "report": [EXAMPLE, "--json"],
    "assess": [],
    "compare": [EXAMPLE],
    "diff": [EXAMPLE, EXAMPLE],
    "batch": [EXAMPLE, "--output", "OUT"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_unknown_language_is_a_usage_error_on_every_command(command, tmp_path: Path):
    args = [tmp_path / "out" if a == "OUT" else a for a in COMMANDS[command]]
    _one_line_naming_the_choices(run_cli(command, *args, "--lang", "de"), "--lang")
    assert not (tmp_path / "out").exists()  # refused before doing anything


def test_an_unknown_global_language_is_a_usage_error():
    _one_line_naming_the_choices(run_cli("--lang", "klingon", "programs"), "--lang")


def test_an_unknown_aeo_check_lang_is_a_usage_error():
    r = run_cli("programs", env={"AEO_CHECK_LANG": "pt"})
    _one_line_naming_the_choices(r, "AEO_CHECK_LANG")


def test_an_unknown_locale_is_not_an_error():
    r = run_cli("programs", env={"LANG": "pt_BR.UTF-8"})
    assert r.returncode == 0 and "Partners in Protection" in r.stdout


# --------------------------------------------------------------------------------------------
# what each command prints, in French and Spanish
# --------------------------------------------------------------------------------------------


def test_a_french_terminal_summary_writes_numbers_and_words_in_french(tmp_path: Path):
    en = run_cli("report", EXAMPLE, "-o", tmp_path / "en", "-f", "md")
    fr = run_cli("--lang", "fr", "report", EXAMPLE, "-o", tmp_path / "fr", "-f", "md")
    assert en.returncode == fr.returncode == 0, fr.stderr
    assert "score 92.7" in en.stderr
    first = fr.stderr.splitlines()[0]
    assert "résultat 92,7" in first and "92.7" not in fr.stderr
    assert "Pas prêt" in first
    assert "écarts\u00a0: 3 critiques, 2 élevées" in fr.stderr
    assert "à lire ensuite" in fr.stderr
    es = run_cli("report", EXAMPLE, "--lang", "es", "-o", tmp_path / "es", "-f", "md")
    assert "puntuación 92,7" in es.stderr and "No está listo" in es.stderr
    assert "brechas: 3 críticas, 2 altas" in es.stderr


def test_template_speaks_the_language(tmp_path: Path):
    out = tmp_path / "blank.yaml"
    r = run_cli("template", "pip", "--entity", "importer", "-o", out, "--lang", "es")
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip().endswith("escrito (34 criterios)")
    again = run_cli("--lang", "fr", "template", "pip", "--entity", "importer", "-o", out)
    assert again.returncode == 2
    assert (
        again.stderr.strip() == f"erreur\u00a0: {out}\u00a0: existe déjà\u00a0; --force le remplace"
    )
    bad = run_cli("template", "pip", "--entity", "nobody", "--lang", "fr")
    assert bad.returncode == 2
    assert "--entity\u00a0: 'nobody' n'est pas un type d'entreprise de PIP" in bad.stderr


def test_validate_ok_lines_in_spanish():
    r = run_cli("validate", EXAMPLE, "--lang", "es")
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip() == f"{EXAMPLE}: correcto (respuestas, ctpat, importer)"


def test_compare_and_diff_in_french():
    c = run_cli("--lang", "fr", "compare", EXAMPLE)
    assert c.returncode == 0, c.stderr
    assert "Préparation d'après les réponses CTPAT" in c.stdout
    assert "92,7" in c.stdout and "(provisoire)" in c.stdout
    assert "Partenaires en protection" not in c.stdout  # program column: short names
    assert "Reprises\u00a0:" in c.stderr
    d = run_cli("diff", EXAMPLE, EXAMPLE, "--lang", "fr")
    assert d.returncode == 0, d.stderr
    assert "CTPAT: 20 novembre 2026 → 20 novembre 2026" in d.stdout  # assessed_on, in French
    assert "Global" in d.stdout and "+0,0" in d.stdout
    assert "écarts comblés (0): aucun" in d.stdout


def test_batch_in_spanish(tmp_path: Path):
    r = run_cli("batch", EXAMPLE, "-o", tmp_path / "out", "-f", "json", "--lang", "es")
    assert r.returncode == 0, r.stderr
    assert "Cartera (1 archivo)" in r.stdout
    assert "no listo" in r.stdout and "92,7" in r.stdout
    assert "1 de 1 evaluado; resumen:" in r.stderr


def test_assess_usage_errors_in_the_language():
    r = run_cli("assess", "--from", EXAMPLE, "--lang", "es")
    assert r.returncode == 2
    assert (
        r.stderr.strip() == "error: --from necesita --program (el programa para el que se evalúa)"
    )


def test_english_stays_as_it_was(tmp_path: Path):
    out = tmp_path / "blank.yaml"
    r = run_cli("template", "pip", "--entity", "importer", "-o", out, "--lang", "en")
    assert r.stderr.strip() == f"wrote {out} (34 criteria)"
    again = run_cli("template", "pip", "--entity", "importer", "-o", out)
    assert again.stderr.strip() == f"error: {out}: already exists; use --force to overwrite it"

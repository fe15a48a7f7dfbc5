"""English, French and Spanish: questionnaire translations complete and current, language
choice, numbers and dates."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT

from aeo_check import catalog
from aeo_check.i18n import UnknownLanguage, fmt_date, fmt_number, resolve
from aeo_check.i18n_content import Entry, localize, po_path, read_po, sources, write_po

QUESTIONNAIRES = ROOT / "questionnaires"
SOURCES = sources(catalog.all_programs())


@pytest.mark.parametrize("lang", ["fr", "es"])
@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_questionnaire_text_has_a_current_translation(source, lang):
    path = po_path(QUESTIONNAIRES, lang, source)
    assert path.is_file(), f"missing {path}: run python tools/i18n_sync.py"
    entries = {e.context: e for e in read_po(path)}
    texts = dict(SOURCES[source])
    extra = set(entries) - set(texts)
    assert not extra, f"{path.name}: entries the English questionnaire lacks: {sorted(extra)[:5]}"
    for context, english in texts.items():
        e = entries.get(context)
        assert e is not None and e.msgstr, f"{path}: {context!r} is not translated"
        assert not e.fuzzy, f"{path}: {context!r} is marked fuzzy"
        assert e.msgid == english, f"{path}: {context!r} was translated from older English"


def test_a_changed_english_text_makes_its_translation_stale(tmp_path: Path):
    """What the test above catches: the English moved on, the French did not."""
    q = catalog.get("pip")
    (context, english), *_ = SOURCES["pip"]
    folder = tmp_path / "q"
    write_po(
        po_path(folder, "fr", "pip"),
        [Entry(context, english + " (old)", "Texte français")],
        language="fr",
        source="pip",
    )
    stale = localize(q, "fr", folder=folder)
    assert stale.program.name == q.program.name  # a stale entry never shows: English instead
    write_po(
        po_path(folder, "fr", "pip"),
        [Entry(context, english, "Partenaires en protection (PEP)")],
        language="fr",
        source="pip",
    )
    assert localize(q, "fr", folder=folder).program.name == "Partenaires en protection (PEP)"


def test_localized_questionnaires_read_in_the_language():
    q = catalog.get("oea")
    es = localize(q, "es")
    assert es.language == "es"
    broker = es.for_entity("customs-broker")
    assert broker.categories[0].title == broker.categories[0].local_title  # official names
    crit = es.applicable_criteria("importer-exporter")[0]
    assert crit.ask != q.applicable_criteria("importer-exporter")[0].ask
    assert crit.id == q.applicable_criteria("importer-exporter")[0].id  # facts stay
    fr = localize(catalog.get("pip"), "fr")
    assert "Partenaires en protection" in fr.program.name
    ctpat_fr = localize(catalog.get("ctpat"), "fr")
    assert all("?" in c.ask for c in ctpat_fr.applicable_criteria("importer"))


@pytest.mark.parametrize(
    ("option", "env", "expected"),
    [
        ("fr", {"AEO_CHECK_LANG": "es", "LANG": "en_US.UTF-8"}, "fr"),
        (None, {"AEO_CHECK_LANG": "es", "LANG": "fr_CA.UTF-8"}, "es"),
        (None, {"LC_ALL": "fr_CA.UTF-8", "LANG": "es_MX.UTF-8"}, "fr"),
        (None, {"LC_MESSAGES": "es_MX", "LANG": "fr_FR"}, "es"),
        (None, {"LANG": "es_MX.UTF-8"}, "es"),
        (None, {"LANG": "de_DE.UTF-8"}, "en"),
        (None, {"LANG": "C.UTF-8"}, "en"),
        (None, {}, "en"),
    ],
)
def test_language_choice_order(option, env, expected):
    assert resolve(option, env) == expected


def test_an_unknown_language_names_the_three_choices():
    with pytest.raises(UnknownLanguage, match="en, fr, es"):
        resolve("de", {})
    with pytest.raises(UnknownLanguage):
        resolve(None, {"AEO_CHECK_LANG": "klingon"})


def test_numbers_and_dates_follow_the_language():
    assert fmt_number(92.7, lang="en") == "92.7"
    assert fmt_number(92.7, lang="fr") == "92,7"
    assert fmt_number(92.7, lang="es") == "92,7"
    assert fmt_date("2026-12-02", lang="en") == "December 2, 2026"
    assert fmt_date("2026-12-02", lang="fr") == "2 décembre 2026"
    assert fmt_date("2026-12-01", lang="fr") == "1er décembre 2026"
    assert fmt_date("2026-12-02", lang="es") == "2 de diciembre de 2026"
    assert fmt_date("2026-12", lang="fr") == "2026-12"  # a partial date stays as written


def _messages_tool():
    import importlib.util

    spec = importlib.util.spec_from_file_location("messages_tool", ROOT / "tools" / "messages.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_every_interface_message_is_translated_and_compiled():
    tool = _messages_tool()
    template = tool.extract()
    assert tool.status(template) == [], "run python tools/messages.py and translate what it lists"
    pot = tool.read_po(tool.LOCALE / "aeo_check.pot")
    assert [m.key for m in pot] == [m.key for m in template], "aeo_check.pot is not current"


def test_the_compiled_catalog_is_what_the_tool_reads_at_run_time():
    # "n/a" is the one message every language has from the start: fmt_number of no score
    assert fmt_number(None, lang="fr") == "s.o."
    assert fmt_number(None, lang="en") == "n/a"

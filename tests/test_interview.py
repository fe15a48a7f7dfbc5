"""The interactive flow, driven through prompt_toolkit's pipe input (real key handling)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import MINI
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from aeo_check.answers import load_answers
from aeo_check.errors import Interrupted
from aeo_check.interview import run_interview
from aeo_check.scoring import score

# name, country, address, contact, e-mail and phone (Enter skips both), assessor, date (today)
COMPANY = "Société Nord\rCA\r12 rue du Port, Montréal\rÉlise Roy\r\r\rÉlise Roy\r\r"
DOWN = "\x1b[B"


def interview(path: Path | None, keys: str, **kwargs):
    said: list[str] = []
    with create_pipe_input() as inp:
        inp.send_text(keys)
        inp.close()  # keys run out: the prompt ends with EOFError instead of waiting forever
        result = run_interview(
            path,
            input=inp,
            output=DummyOutput(),
            say=said.append,
            today=dt.date(2026, 11, 27),
            **kwargs,
        )
    return result, said


def flat(said: list[str]) -> str:
    """What the interview said, as one line (long lines are wrapped to the terminal)."""
    return " ".join(" ".join(said).split())


def load(path: Path):
    from aeo_check.loading import load_questionnaire

    return load_answers(path, load_questionnaire(MINI))[0]


def test_full_run_single_keys_notes_back_and_skip(tmp_path):
    path = tmp_path / "nord.yaml"
    keys = (
        COMPANY
        + "y"  # gate: license (carrier: only 'license' applies)
        + "y"  # 1.1 yes
        + "n"
        + "no review since 2024\r"  # 1.10 no, note
        + "p"
        + "\r"  # 2.1 partial, note skipped
        + "b"  # back to 2.1
        + "a"
        + "\r"
        + "we do not operate trucks\r"  # N/A: empty note refused, then given
        + "s"  # 2.2 skip
        + DOWN * 2
        + "\r"  # 2.3: nothing is highlighted; down to "yes", down to "partial", Enter
        + "\r"  # note for partial: none
    )
    result, said = interview(path, keys, program=str(MINI), entity="carrier")
    assert result == path
    a = load(path)
    assert a.company.name == "Société Nord"
    assert a.company.address == "12 rue du Port, Montréal"
    assert a.assessed_on == "2026-11-27"
    assert a.eligibility["license"].value == "yes"
    assert a.answers["1.1"].value.value == "yes"
    assert a.answers["1.10"].value.value == "no"
    assert a.answers["1.10"].note == "no review since 2024"
    assert a.answers["2.1"].value.value == "na"
    assert a.answers["2.1"].note == "we do not operate trucks"
    assert a.answers.get("2.2") is None or a.answers["2.2"].value is None
    assert a.answers["2.3"].value.value == "partial"
    assert any("Category 2 of 2" in s for s in said)


def test_resume_asks_only_unanswered(tmp_path):
    path = tmp_path / "nord.yaml"
    interview(path, COMPANY + "y" + "y" + "q", program=str(MINI), entity="carrier")
    first = load(path)
    assert first.answers["1.1"].value.value == "yes"
    assert first.answers.get("1.10") is None or first.answers["1.10"].value is None
    # resume: the first question asked is 1.10; gates and 1.1 are not asked again
    result, said = interview(path, "yyyy", program=str(MINI))
    assert result == path
    a = load(path)
    assert [a.answers[c].value.value for c in ("1.1", "1.10", "2.1", "2.2", "2.3")] == ["yes"] * 5
    assert any("4 question(s) left" in s for s in said)
    from aeo_check.loading import load_questionnaire

    r = score(load_questionnaire(MINI), a)
    assert r.overall == 100.0 and r.verdict.value == "ready" and not r.provisional


def test_ctrl_c_saves_every_confirmed_answer(tmp_path):
    path = tmp_path / "nord.yaml"
    with pytest.raises(Interrupted) as info:
        interview(
            path,
            COMPANY + "y" + "y" + "n" + "partly\r" + "\x03",
            program=str(MINI),
            entity="carrier",
        )
    assert f"Resume with: aeo-check assess {path}" in str(info.value)
    assert info.value.exit_code == 130
    a = load(path)
    assert a.answers["1.1"].value.value == "yes"
    assert a.answers["1.10"].value.value == "no" and a.answers["1.10"].note == "partly"
    assert a.eligibility["license"].value == "yes"


def test_ctrl_c_in_a_note_saves_the_answer_without_the_note(tmp_path):
    path = tmp_path / "nord.yaml"
    with pytest.raises(Interrupted) as info:
        interview(
            path, COMPANY + "y" + "y" + "n" + "half a no\x03", program=str(MINI), entity="carrier"
        )
    a = load(path)
    assert a.answers["1.1"].value.value == "yes"
    assert a.answers["1.10"].value.value == "no" and a.answers["1.10"].note is None
    message = str(info.value)
    assert "1.10 is saved as 'no', without the note you were typing" in message
    assert f"Resume with: aeo-check assess {path}" in message


def test_ctrl_c_in_a_partial_note_keeps_the_earlier_note(tmp_path):
    path = tmp_path / "nord.yaml"
    interview(path, COMPANY + "y" + "y" + "n" + "first note\r" + "q", program=str(MINI),
              entity="carrier")  # fmt: skip
    # resume at 2.1; back to 1.10, now partial; Ctrl-C while editing the note
    with pytest.raises(Interrupted) as info:
        interview(path, "b" + "p" + " and more\x03", program=str(MINI))
    a = load(path)
    assert a.answers["1.10"].value.value == "partial"
    assert a.answers["1.10"].note == "first note"  # what was in the file, not the half edit
    assert "1.10 is saved as 'partial'" in str(info.value)


def test_ctrl_c_in_an_na_reason_leaves_the_question_as_it_was(tmp_path):
    path = tmp_path / "nord.yaml"
    with pytest.raises(Interrupted) as info:
        interview(
            path, COMPANY + "y" + "y" + "a" + "we do not\x03", program=str(MINI), entity="carrier"
        )
    a = load(path)
    assert a.answers["1.1"].value.value == "yes"
    assert a.answers.get("1.10") is None or a.answers["1.10"].value is None
    assert "1.10 is left as it was: an N/A needs its note" in str(info.value)


def test_ctrl_c_in_the_evidence_of_a_yes_saves_the_yes(tmp_path):
    path = tmp_path / "nord.yaml"
    with pytest.raises(Interrupted) as info:
        interview(path, COMPANY + "y" + "e" + "signed-pol\x03", program=str(MINI), entity="carrier")
    a = load(path)
    assert a.answers["1.1"].value.value == "yes" and a.answers["1.1"].evidence == ()
    assert "1.1 is saved as 'yes', without the evidence you were typing" in str(info.value)


def test_menus_pick_program_and_entity(tmp_path):
    # program menu lists the bundled programs (ctpat, oea, pip): Enter takes the first
    path = tmp_path / "x.yaml"
    with pytest.raises(Interrupted):
        interview(path, "\r" + "\r" + "ACME\r\r\r\r\r\r\r\r" + "\x03")
    a = load_answers(path)[0]
    assert a.program == "ctpat"
    assert a.company.name == "ACME"


def _earlier(tmp_path: Path) -> Path:
    """ACME's earlier assessment, found by its name: acme-mini.yaml with three answers."""
    path = tmp_path / "acme-mini.yaml"
    interview(path, "ACME\r" + "\r" * 7 + "y" + "y" + "n" + "\r" + "q", program=str(MINI),
              entity="carrier")  # fmt: skip
    return path


def test_existing_file_found_by_company_name_is_offered_for_resuming(tmp_path):
    path = _earlier(tmp_path)
    before = path.read_bytes()
    # a new assessment of ACME: the file is found right after the company name
    result, said = interview(None, "ACME\r" + "\r" + "y" * 3, program=str(MINI), cwd=tmp_path)
    assert result == path
    found = next(i for i, s in enumerate(said) if "already exists" in s)
    assert [s for s in said[:found] if s.startswith("? ")] == ["? Company name: ACME"]
    assert "acme-mini.yaml already exists: ACME, MTP, Highway Carrier, 3 of 6 answered." in said
    assert any("Resuming" in s and "3 question(s) left" in s for s in said)
    a = load(path)  # the earlier answers are all there, and the three asked now
    assert a.eligibility["license"].value == "yes"
    assert [a.answers[c].value.value for c in ("1.1", "1.10")] == ["yes", "no"]
    assert [a.answers[c].value.value for c in ("2.1", "2.2", "2.3")] == ["yes"] * 3
    assert before != path.read_bytes()


def test_the_resume_offer_says_how_to_resume(tmp_path, monkeypatch):
    path = _earlier(tmp_path)
    asked: list[tuple[str, list[tuple[str, str]]]] = []
    from aeo_check.interview import Interview

    def menu(self, message, options, default=None):
        asked.append((message, options))
        return "resume"

    monkeypatch.setattr(Interview, "_select", menu)
    interview(None, "ACME\r" + "q", program=str(MINI), cwd=tmp_path)
    ((_message, options),) = asked
    assert dict(options)["resume"] == "Resume it; the same as: aeo-check assess acme-mini.yaml"
    assert "other" in dict(options) and "over" not in dict(options)  # no --force: no start over
    assert load(path).answers["1.10"].value.value == "no"


def test_existing_file_another_name_keeps_the_earlier_file(tmp_path):
    path = _earlier(tmp_path)
    before = path.read_bytes()
    keys = "ACME\r" + DOWN + "\r"  # menu: "Save this assessment under another name"
    keys += "\x15" + "acme-second\r"  # clear the suggestion (Ctrl-U), type a name
    keys += "\r" * 7 + "y" + "q"  # the other details, one gate, then stop
    result, said = interview(None, keys, program=str(MINI), entity="carrier", cwd=tmp_path)
    assert result is None  # stopped with q
    assert path.read_bytes() == before
    second = tmp_path / "acme-second.yaml"
    assert load(second).eligibility["license"].value == "yes"
    assert load(second).company.name == "ACME"
    assert any("Resume with: aeo-check assess" in s and "acme-second.yaml" in s for s in said)


def test_another_name_suggests_a_free_one(tmp_path):
    path = _earlier(tmp_path)
    keys = "ACME\r" + DOWN + "\r" + "\r"  # take the suggested name
    keys += "\r" * 7 + "q"
    interview(None, keys, program=str(MINI), entity="carrier", cwd=tmp_path)
    assert (tmp_path / "acme-mini-2.yaml").exists()
    assert load(path).answers["1.10"].value.value == "no"


def test_force_asks_before_starting_over_and_keeps_the_earlier_file(tmp_path):
    path = _earlier(tmp_path)
    before = path.read_bytes()
    # --force on the named file: Enter takes the first entry, resume; nothing is replaced
    _, said = interview(path, "\r" + "q", program=str(MINI), force=True)
    assert path.read_bytes() == before
    assert any("Resuming" in s for s in said)
    # --force, and the user picks "Start over": the earlier file is kept under a dated name
    keys = DOWN * 2 + "\r" + "ACME 2\r" + "\r" * 7 + "y" + "q"
    _result, said = interview(path, keys, program=str(MINI), entity="carrier", force=True)
    kept = tmp_path / "acme-mini.yaml.2026-11-27.bak"
    assert kept.read_bytes() == before
    assert f"Starting over; the earlier answers are kept in {kept}." in flat(said)
    a = load(path)
    assert a.company.name == "ACME 2" and a.answers["1.10"].value is None


def test_from_on_an_existing_file_offers_to_resume_it(tmp_path):
    from aeo_check.model import Answer, AnswerValue, Assessment, Company

    path = _earlier(tmp_path)
    before = path.read_bytes()
    prefill = Assessment(
        program="mini",
        entity_type="carrier",
        company=Company(name="ACME"),
        answers={"2.2": Answer(AnswerValue.NO, carried_from="other 9.2")},
    )
    _result, said = interview(
        path, "\r" + "q", program=str(MINI), prefill=prefill, prefill_from="Other"
    )
    assert path.read_bytes() == before
    assert any("Resuming" in s for s in said)
    assert not any("carried over from Other" in s for s in said)


def test_an_unreadable_existing_file_is_never_overwritten(tmp_path):
    (tmp_path / "acme-mini.yaml").write_text("precious", encoding="utf-8")
    keys = "ACME\r" + "\r" + "\r" + "\r" * 7 + "q"  # the only entry: another name
    interview(None, keys, program=str(MINI), entity="carrier", cwd=tmp_path)
    assert (tmp_path / "acme-mini.yaml").read_text(encoding="utf-8") == "precious"
    assert (tmp_path / "acme-mini-2.yaml").exists()


def test_every_save_keeps_a_backup(tmp_path):
    path = tmp_path / "nord.yaml"
    interview(path, COMPANY + "y" + "y" + "q", program=str(MINI), entity="carrier")
    backup = path.with_name("nord.yaml.bak")
    assert backup.exists()
    assert '"1.1":\n' in backup.read_text(encoding="utf-8")  # the version before the last answer
    assert '"1.1": yes' in path.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_prefilled_answers_are_confirmed_with_one_key(tmp_path):
    """assess --from: carried-over answers are asked again; Enter keeps, a key changes."""
    from aeo_check.loading import load_questionnaire
    from aeo_check.model import Answer, AnswerValue, Assessment

    q = load_questionnaire(MINI)
    prefill = Assessment(
        program="mini",
        entity_type="importer",
        answers={
            "1.1": Answer(AnswerValue.YES, note="Carried over", carried_from="other 9.1"),
            "2.2": Answer(AnswerValue.PARTIAL, note="Carried over", carried_from="other 9.2"),
        },
    )
    path = tmp_path / "pre.yaml"
    keys = COMPANY + "y" + "y"  # the two gates
    keys += "\r"  # 1.1: Enter confirms the carried "yes"
    keys += "s"  # 1.10: skip
    keys += "n" + "\r"  # 2.2: carried partial changed to no, note kept
    keys += "s"  # 2.3: skip
    result, _ = interview(path, keys, program=str(MINI), prefill=prefill)
    assert result == path
    a = load_answers(path, q)[0]
    assert a.answers["1.1"].value.value == "yes" and a.answers["1.1"].carried_from is None
    assert a.answers["2.2"].value.value == "no" and a.answers["2.2"].carried_from is None
    assert a.answers["2.2"].note == "Carried over"


def test_back_after_resume_reaches_an_earlier_sessions_answer(tmp_path):
    path = tmp_path / "nord.yaml"
    interview(path, COMPANY + "y" + "y" + "q", program=str(MINI), entity="carrier")
    assert load(path).answers["1.1"].value.value == "yes"
    # resume at 1.10; 'b' goes back to 1.1 (answered last time), change it to no, then go on
    keys = "b" + "n" + "changed my mind\r" + "y" + "y" + "y" + "y"
    result, said = interview(path, keys, program=str(MINI))
    assert result == path
    a = load(path)
    assert a.answers["1.1"].value.value == "no" and a.answers["1.1"].note == "changed my mind"
    assert [a.answers[c].value.value for c in ("1.10", "2.1", "2.2", "2.3")] == ["yes"] * 4
    assert not any("first question" in s for s in said)


def test_enter_alone_never_answers_an_unanswered_gate_or_criterion(tmp_path):
    path = tmp_path / "nord.yaml"
    keys = COMPANY + "\r\r"  # two extra Enters at the gate: nothing is answered
    keys += "y"  # the gate, with its key
    keys += "\r" + "y"  # 1.1: Enter again does nothing; y answers
    keys += "\r" * 3 + "q"  # 1.10: Enters, then stop
    result, _ = interview(path, keys, program=str(MINI), entity="carrier")
    assert result is None
    a = load(path)
    assert a.eligibility["license"].value == "yes"
    assert a.answers["1.1"].value.value == "yes"
    assert a.answers.get("1.10") is None or a.answers["1.10"].value is None
    assert a.answers["1.1"].note is None


def test_enter_keeps_an_answer_already_given(tmp_path):
    path = tmp_path / "nord.yaml"
    # 1.1 partial; at 1.10 go back: Enter keeps 1.1's partial (and its note); 1.10 then no
    keys = COMPANY + "y" + "p" + "half\r" + "b" + "\r" + "\r" + "n" + "\r" + "q"
    interview(path, keys, program=str(MINI), entity="carrier")
    a = load(path)
    assert a.answers["1.1"].value.value == "partial" and a.answers["1.1"].note == "half"
    assert a.answers["1.10"].value.value == "no"


def test_arrows_start_from_nothing_highlighted(tmp_path):
    path = tmp_path / "nord.yaml"
    up = "\x1b[A"
    # gate: the first arrow down highlights "yes"; 1.1: the first arrow up the last entry
    keys = COMPANY + DOWN + "\r" + up + "\r"
    result, _said = interview(path, keys, program=str(MINI), entity="carrier")
    assert result is None  # 1.1: up from nothing is "save and stop"
    assert load(path).eligibility["license"].value == "yes"


def test_company_email_and_phone_are_asked_and_optional(tmp_path):
    path = tmp_path / "nord.yaml"
    keys = "Nord\rCA\r\rÉlise Roy\r"
    keys += "elise at nord\r" + "\x15" + "elise@nord.example\r"  # refused, then a real address
    keys += "+1 514 555 0142\r" + "Jane\r\r" + "q"
    interview(path, keys, program=str(MINI), entity="carrier")
    a = load(path)
    assert a.company.email == "elise@nord.example" and a.company.phone == "+1 514 555 0142"
    assert '  email: "elise@nord.example"\n  phone: "+1 514 555 0142"\n' in path.read_text("utf-8")
    # Enter skips both
    other = tmp_path / "other.yaml"
    interview(other, COMPANY + "q", program=str(MINI), entity="carrier")
    assert load(other).company.email is None and load(other).company.phone is None


def test_email_and_phone_are_kept_on_resume(tmp_path):
    path = tmp_path / "nord.yaml"
    keys = "Nord\rCA\r\rÉlise Roy\relise@nord.example\r555 0142\rJane\r\r" + "q"
    interview(path, keys, program=str(MINI), entity="carrier")
    text = path.read_text(encoding="utf-8").replace("  name: Nord\n", "  name:\n")
    path.write_text(text, encoding="utf-8")
    # resumed without a company name: the details are asked again, Enter keeps each one
    interview(path, "Nord\r" + "\r" * 7 + "q", program=str(MINI))
    a = load(path)
    assert a.company.email == "elise@nord.example" and a.company.phone == "555 0142"


def test_carried_answers_are_announced_once(tmp_path):
    from aeo_check.model import Answer, AnswerValue, Assessment

    prefill = Assessment(
        program="mini",
        entity_type="importer",
        answers={"1.1": Answer(AnswerValue.YES, carried_from="other 9.1")},
    )
    _, said = interview(
        tmp_path / "pre.yaml",
        COMPANY + "q",
        program=str(MINI),
        prefill=prefill,
        prefill_from="OTHER",
    )
    lines = [s for s in said if "carried over" in s]
    assert len(lines) == 1
    assert flat(lines).startswith("1 answer(s) carried over from OTHER through the crosswalk")


# -- wrapping at 80 columns --------------------------------------------------------------------

PIP_ASK = (
    "PIP-A-02 [Must] Do all of these hold? (1) the risk assessment lists the risk areas it "
    "covers; (2) physical security is one of them; (3) every outside provider with access to "
    "your cargo, sites or systems, such as logistics providers, contracted IT services or "
    "cleaning contractors, is assessed. Answer yes only if all hold, partial if some do."
)


def _words(text: str) -> list[str]:
    return text.split()


def test_wrap_at_80_columns_breaks_only_between_words(monkeypatch):
    from aeo_check.interview import fit, line_width, wrap

    monkeypatch.setenv("COLUMNS", "80")
    assert line_width() == 78
    out = wrap(PIP_ASK)
    lines = out.split("\n")
    assert len(lines) > 3 and all(len(line) <= 78 for line in lines)
    assert all(line.startswith("  ") for line in lines)
    assert _words(out) == _words(PIP_ASK)  # no word cut in two or lost
    # ids and file names are never split at their hyphens
    long = "Resume with the file northwind-imports-inc-ctpat-importer-2026.yaml " * 3
    assert "northwind-imports-inc-ctpat-importer-2026.yaml" in wrap(long, "").split("\n")[1]
    # fit: lines that fit stay as they are; a long one wraps with its indentation
    said = "Saving your answers to /tmp/clients/maple-leaf-imports-ltd-pip.yaml after every answer."
    fitted = fit("Eligibility\n" + said).split("\n")
    assert fitted[0] == "Eligibility" and all(len(line) <= 78 for line in fitted)
    assert fitted[2].startswith("  ") and _words(" ".join(fitted[1:])) == _words(said)


def test_program_menu_labels_fit_80_columns(monkeypatch):
    """The program menu entry of Mexico's OEA was cut at the edge ("...de Auditorí")."""
    from aeo_check import catalog
    from aeo_check.interview import menu_label

    monkeypatch.setenv("COLUMNS", "80")
    labels = [f"{q.program.name}: {q.program.agency}" for q in catalog.all_programs()]
    assert any(len(label) > 77 for label in labels)  # at least one needs wrapping
    for label in labels:
        shown = menu_label(label)
        lines = shown.split("\n")
        # questionary puts three columns (the pointer) before the first line
        assert len(lines[0]) + 3 <= 80 and all(len(line) <= 80 for line in lines[1:])
        assert all(line.startswith("   ") for line in lines[1:])
        assert _words(shown) == _words(label)
    oea = next(label for label in labels if "Auditoría" in label)
    assert "Auditoría" in _words(menu_label(oea))


def test_key_e_names_the_evidence_and_an_na_shows_when_it_is_right(tmp_path):
    """The e key (yes with evidence) and na_when shown when N/A is picked still work."""
    text = MINI.read_text(encoding="utf-8").replace(
        "        remediation: Adopt an inspection checklist and train drivers.\n",
        "        remediation: Adopt an inspection checklist and train drivers.\n"
        "        na_when: The company operates no conveyances of its own.\n",
    )
    custom = tmp_path / "mini-na.yaml"
    custom.write_text(text, encoding="utf-8")
    path = tmp_path / "nord.yaml"
    keys = COMPANY + "y" + "e" + "statement.pdf; minutes.pdf\r" + "y"
    keys += "a" + "we hire carriers\r" + "q"
    _, said = interview(path, keys, program=str(custom), entity="carrier")
    from aeo_check.loading import load_questionnaire

    a = load_answers(path, load_questionnaire(custom))[0]
    assert a.answers["1.1"].value.value == "yes"
    assert a.answers["1.1"].evidence == ("statement.pdf", "minutes.pdf")
    assert a.answers["2.1"].value.value == "na" and a.answers["2.1"].note == "we hire carriers"
    assert "N/A is right only when: The company operates no conveyances of its own." in flat(said)

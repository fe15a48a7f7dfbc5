"""The interactive flow, driven through prompt_toolkit's pipe input (real key handling)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import MINI
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from aeo_check.answers import load_answers
from aeo_check.errors import Interrupted, OutputExistsError
from aeo_check.interview import run_interview
from aeo_check.scoring import score

COMPANY = "Société Nord\rCA\r12 rue du Port, Montréal\rÉlise Roy\rÉlise Roy\r\r"


def interview(path: Path | None, keys: str, **kwargs):
    said: list[str] = []
    with create_pipe_input() as inp:
        inp.send_text(keys)
        result = run_interview(
            path,
            input=inp,
            output=DummyOutput(),
            say=said.append,
            today=dt.date(2026, 11, 27),
            **kwargs,
        )
    return result, said


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
        + "\x1b[B"
        + "\r"  # 2.3: arrow down from "yes" to "partial", Enter
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


def test_ctrl_c_in_a_note_keeps_earlier_answers(tmp_path):
    path = tmp_path / "nord.yaml"
    with pytest.raises(Interrupted):
        interview(
            path, COMPANY + "y" + "y" + "n" + "half a no\x03", program=str(MINI), entity="carrier"
        )
    a = load(path)
    assert a.answers["1.1"].value.value == "yes"
    assert a.answers.get("1.10") is None or a.answers["1.10"].value is None


def test_menus_pick_program_and_entity(tmp_path):
    # program menu lists the bundled programs (ctpat, oea, pip): Enter takes the first
    path = tmp_path / "x.yaml"
    with pytest.raises(Interrupted):
        interview(path, "\r" + "\r" + "ACME\r\r\r\r\r\r" + "\x03")
    a = load_answers(path)[0]
    assert a.program == "ctpat"
    assert a.company.name == "ACME"


def test_new_assessment_does_not_overwrite_existing_file(tmp_path):
    (tmp_path / "acme-mini.yaml").write_text("precious", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        interview(None, "ACME\r\r\r\r\r\r", program=str(MINI), entity="carrier", cwd=tmp_path)
    assert (tmp_path / "acme-mini.yaml").read_text(encoding="utf-8") == "precious"


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

"""Questionnaire and answers loading: validation messages with positions, and YAML traps."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI, MINI_ANSWERS_HEAD, write

from aeo_check.answers import load_answers, read_answers_data
from aeo_check.errors import InputFileError
from aeo_check.loading import load_questionnaire


def problems_of(func, *args) -> list[str]:
    with pytest.raises(InputFileError) as info:
        func(*args)
    return [str(p) for p in info.value.problems]


def mini_variant(tmp_path: Path, old: str, new: str) -> Path:
    text = MINI.read_text(encoding="utf-8")
    assert old in text, old
    return write(tmp_path / "q.yaml", text.replace(old, new, 1))


def test_mini_loads(mini):
    assert mini.id == "mini"
    assert [c.id for c in mini.criteria()] == ["1.1", "1.10", "2.1", "2.2", "2.3"]
    assert mini.criterion("2.1").applies_to == ("carrier",)
    assert mini.program.contacts[0].phone == "+1 555 0100"


def test_unquoted_ids_are_read_as_written(tmp_path):
    path = mini_variant(tmp_path, 'id: "1.10"', "id: 1.10")
    path = write(path, path.read_text(encoding="utf-8").replace('id: "1.1"\n', "id: 1.1\n", 1))
    q = load_questionnaire(path)
    assert [c.id for c in q.criteria()][:2] == ["1.1", "1.10"]


def test_duplicate_criterion_id_is_refused_with_line(tmp_path):
    path = mini_variant(tmp_path, 'id: "1.10"', 'id: "1.1"')
    msgs = problems_of(load_questionnaire, path)
    assert len(msgs) == 1
    assert "duplicate criterion id '1.1'" in msgs[0]
    assert msgs[0].startswith(f"{path}:")
    # the position is the second "1.1"
    lineno = int(msgs[0].split(":")[1])
    assert path.read_text(encoding="utf-8").splitlines()[lineno - 1].strip() == '- id: "1.1"'
    assert lineno > 60


def test_duplicate_mapping_key_is_refused(tmp_path):
    path = mini_variant(
        tmp_path, "        level: should\n", "        level: should\n        level: must\n"
    )
    msgs = problems_of(load_questionnaire, path)
    assert any("duplicate key" in m and "level" in m for m in msgs)


def test_unknown_entity_type_in_applies_to(tmp_path):
    path = mini_variant(tmp_path, "applies_to: [carrier]", "applies_to: [carier]")
    msgs = problems_of(load_questionnaire, path)
    assert any("unknown entity type 'carier'" in m for m in msgs)


def test_unknown_level_and_missing_text_and_http_url(tmp_path):
    path = mini_variant(tmp_path, "level: must", "level: mandatory")
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "        remediation: Schedule an annual review and record its findings.\n", ""
    )
    text = text.replace("url: https://example.org/mtp/portal", "url: http://example.org/mtp/portal")
    write(path, text)
    msgs = problems_of(load_questionnaire, path)
    joined = "\n".join(msgs)
    assert "'mandatory' is not one of: must, should" in joined
    assert "remediation: missing (required)" in joined
    assert "must be an https:// URL" in joined
    assert all(m.startswith(f"{path}:") for m in msgs)


def test_unknown_key_is_reported(tmp_path):
    path = mini_variant(tmp_path, "        guidance: A signed", "        guidence: A signed")
    msgs = problems_of(load_questionnaire, path)
    assert any("unknown key 'guidence'" in m for m in msgs)


def test_unknown_source_document(tmp_path):
    path = mini_variant(
        tmp_path, 'source: {doc: mtp-criteria, ref: "1.1"}', 'source: {doc: nope, ref: "1.1"}'
    )
    assert any("unknown document 'nope'" in m for m in problems_of(load_questionnaire, path))


def test_python_tag_is_refused(tmp_path):
    path = write(tmp_path / "evil.yaml", "format: !!python/object/apply:os.system ['echo hi']\n")
    msgs = problems_of(load_questionnaire, path)
    assert "not allowed" in msgs[0] and msgs[0].startswith(f"{path}:1:")


def test_alias_bomb_is_refused_quickly(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path / "bomb.yaml", "\n".join(lines) + "\n")
    msgs = problems_of(load_questionnaire, path)
    assert "anchors" in msgs[0]


def test_deep_nesting_is_refused(tmp_path):
    path = write(tmp_path / "deep.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n")
    msgs = problems_of(load_questionnaire, path)
    assert "nested more than 50 levels" in msgs[0]


def test_big_file_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * (6 * 1024 * 1024) + b"\n")
    msgs = problems_of(load_questionnaire, path)
    assert "over 5 MB" in msgs[0]


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    path = write(
        tmp_path / "bad.yaml", "format: aeo-check/questionnaire@1\nid: [unclosed\nversion: 1\n"
    )
    msg = problems_of(load_questionnaire, path)[0]
    assert msg.startswith(f"{path}:") and "YAML syntax error" in msg
    assert int(msg.split(":")[1]) >= 2


def test_missing_file_and_folder(tmp_path):
    assert problems_of(load_questionnaire, tmp_path / "nope.yaml") == [
        f"{tmp_path / 'nope.yaml'}: no such file"
    ]
    assert "is a folder" in problems_of(load_questionnaire, tmp_path)[0]


def test_encodings(tmp_path):
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: Soci\xe9t\xe9\n".encode("latin-1"))
    assert "not UTF-8" in problems_of(load_questionnaire, latin)[0]
    utf16 = tmp_path / "utf16.yaml"
    utf16.write_bytes("name: x\n".encode("utf-16"))
    assert "UTF-16" in problems_of(load_questionnaire, utf16)[0]
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + MINI.read_bytes().replace(b"\n", b"\r\n"))
    assert load_questionnaire(bom).id == "mini"  # BOM and CRLF are fine


# ---- answers files -------------------------------------------------------------------------


def answers_file(tmp_path: Path, body: str, entity: str = "importer") -> Path:
    return write(tmp_path / "a.yaml", MINI_ANSWERS_HEAD.format(entity=entity) + body)


def test_answers_short_and_long_forms(tmp_path, mini):
    path = answers_file(
        tmp_path,
        """eligibility: {active: yes, license: no}
answers:
  1.1: yes
  1.10:
    answer: partial
    note: Reviewed in 2025 only
    evidence: [review-2025.pdf]
    action: {owner: J. Smith, due: 2027-03-31, status: planned}
  "2.2": {answer: na, note: We use no seals}
  "2.3":
""",
    )
    a, _ = load_answers(path, mini)
    assert a.answers["1.1"].value.value == "yes"
    assert a.answers["1.10"].value.value == "partial"
    assert a.answers["1.10"].action.due == "2027-03-31"
    assert a.answers["1.10"].evidence == ("review-2025.pdf",)
    assert a.answers["2.3"].value is None
    assert a.eligibility["license"].value == "no"
    assert a.assessed_on == "2026-11-27"


def test_answers_1_1_and_1_10_do_not_collide(tmp_path, mini):
    path = answers_file(tmp_path, "answers:\n  1.1: yes\n  1.10: no\n")
    a, _ = load_answers(path, mini)
    assert a.answers["1.1"].value.value == "yes"
    assert a.answers["1.10"].value.value == "no"


def test_answers_duplicate_key_refused(tmp_path, mini):
    path = answers_file(tmp_path, "answers:\n  1.1: yes\n  '1.1': no\n")
    msgs = problems_of(load_answers, path, mini)
    assert "duplicate key '1.1'" in msgs[0] and msgs[0].startswith(f"{path}:10:")


def test_answers_na_needs_note(tmp_path, mini):
    path = answers_file(tmp_path, "answers:\n  1.1: na\n")
    assert "na needs a note" in problems_of(load_answers, path, mini)[0]


def test_answers_unknown_value_and_criterion(tmp_path, mini):
    path = answers_file(tmp_path, "answers:\n  1.1: maybe\n  9.9: yes\n")
    with pytest.raises(InputFileError) as info:
        load_answers(path, mini)
    joined = "\n".join(str(p) for p in info.value.problems)
    assert "'maybe' is not one of: yes, partial, no, na" in joined
    # the unknown id is reported in the same run, not after the value is fixed
    assert "unknown criterion '9.9'" in joined


def test_answers_unknown_criterion_with_position(tmp_path, mini):
    path = answers_file(tmp_path, "answers:\n  9.9: yes\n")
    msg = problems_of(load_answers, path, mini)[0]
    assert msg.startswith(f"{path}:9:3:") and "unknown criterion '9.9'" in msg


def test_answers_for_another_business_type(tmp_path, mini):
    path = answers_file(tmp_path, "answers:\n  2.1: yes\n")
    assert "does not apply to business type importer" in problems_of(load_answers, path, mini)[0]
    path = answers_file(tmp_path, "answers: {}\n", entity="airline")
    assert "'airline' is not a business type of MTP" in problems_of(load_answers, path, mini)[0]


def test_answers_for_another_program(tmp_path, mini):
    path = write(
        tmp_path / "a.yaml",
        MINI_ANSWERS_HEAD.format(entity="importer").replace("program: mini", "program: pip"),
    )
    assert "these answers are for 'pip', not for 'mini'" in problems_of(load_answers, path, mini)[0]


def test_answers_bool_like_values_are_text(tmp_path, mini):
    path = answers_file(tmp_path, "eligibility: {active: on}\n")
    msg = problems_of(read_answers_data, path)[0]
    assert "'on' is not one of: yes, no" in msg


def test_answers_in_any_letter_case_are_saved_lower_case(tmp_path, mini):
    from aeo_check.answers import save_answers

    path = answers_file(
        tmp_path,
        "eligibility: {active: YES, license: No}\n"
        "answers:\n  1.1: Yes\n  1.10: {answer: PARTIAL, note: half done}\n  2.2: NO\n",
    )
    a, q = load_answers(path, mini)
    assert a.eligibility["active"].value == "yes" and a.eligibility["license"].value == "no"
    assert [a.answers[c].value.value for c in ("1.1", "1.10", "2.2")] == ["yes", "partial", "no"]
    save_answers(path, q, a)  # what assess writes when it resumes the file
    text = path.read_text(encoding="utf-8")
    assert '"1.1": yes' in text and "answer: partial" in text and '"2.2": no' in text
    assert '"active": yes' in text and '"license": no' in text
    for written in ("Yes", "YES", "No", "NO", "PARTIAL"):
        assert f": {written}" not in text


@pytest.mark.parametrize(
    ("date", "why"),
    [
        ("2026-13-45", "'2026-13-45' is not a real date (there is no month 13)"),
        ("2026-00-10", "there is no month 0"),
        ("2026-02-29", "February 2026 has 28 days"),
        ("2026-04-31", "April has 30 days"),
    ],
)
def test_dates_that_do_not_exist(tmp_path, mini, date, why):
    head = MINI_ANSWERS_HEAD.format(entity="importer").replace("2026-11-27", date)
    path = write(tmp_path / "a.yaml", head)
    msg = problems_of(load_answers, path, mini)[0]
    assert msg.startswith(f"{path}:7:14: assessed_on: ") and why in msg
    assert "YYYY" not in msg
    ok = write(tmp_path / "b.yaml", head.replace(date, "2028-02-29"))  # a leap day exists
    assert load_answers(ok, mini)[0].assessed_on == "2028-02-29"


def test_tab_in_indentation_says_use_spaces(tmp_path, mini):
    path = answers_file(tmp_path, 'answers:\n\t"1.1": yes\n')
    msg = problems_of(load_answers, path, mini)[0]
    assert msg == (
        f"{path}:9:1: YAML syntax error: a tab in the indentation; use spaces, not tabs, to indent"
    )


@pytest.mark.parametrize(
    ("written", "meant"),
    [("PIP-A-6", "PIP-A-06"), ("pip-a-06", "PIP-A-06"), ("PIP-A-O6", "PIP-A-06")],
)
def test_unknown_id_close_to_a_known_one(tmp_path, written, meant):
    path = write(
        tmp_path / "p.yaml",
        "format: aeo-check/answers@1\nprogram: pip\nentity_type: importer\n"
        f"eligibility:\n  PIP-E-1: yes\nanswers:\n  {written}: yes\n",
    )
    msgs = problems_of(load_answers, path)
    assert msgs == [
        f"{path}:5:3: eligibility: unknown gate 'PIP-E-1' (did you mean 'PIP-E-01'?)",
        f"{path}:7:3: answers: unknown criterion '{written}' in pip (did you mean '{meant}'?)",
    ]


def test_unknown_number_id_gets_no_guess(tmp_path, mini):
    path = answers_file(tmp_path, "answers:\n  3.2: yes\n")
    msg = problems_of(load_answers, path, mini)[0]
    assert "unknown criterion '3.2' in mini" in msg and "did you mean" not in msg

"""Property-based tests (hypothesis): scoring invariants, an independent verdict oracle, and
loaders that never raise anything but aeo-check's own errors, whatever the file holds.

The oracle below is written from the rules of docs/scoring.md, not from scoring.py.
"""

from __future__ import annotations

import contextlib
import math
import tempfile
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import MINI
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aeo_check import catalog
from aeo_check.answers import dump_answers, load_answers, new_assessment
from aeo_check.api import validate_file
from aeo_check.errors import AeoCheckError
from aeo_check.loading import load_questionnaire
from aeo_check.model import (
    Answer,
    AnswerValue,
    Assessment,
    Category,
    Criterion,
    Document,
    EntityType,
    EvidenceLevel,
    Gate,
    GateValue,
    Level,
    Program,
    Questionnaire,
    ScoringRules,
    SourceRef,
)
from aeo_check.scoring import score

ROOT = Path(__file__).resolve().parents[1]
CTPAT_FILE = ROOT / "questionnaires" / "ctpat.yaml"

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ENTITIES = ("importer", "carrier", "broker")
ANSWER_CHOICES = (None, *AnswerValue)  # None = unanswered

# --------------------------------------------------------------------------------------------
# Strategies: random questionnaires (weights, levels, applicability) and assessments
# --------------------------------------------------------------------------------------------

_PROGRAM = Program(
    name="Hypothesis Program",
    short_name="HP",
    agency="Nobody",
    country="US",
    url="https://example.org",
    criteria_document=Document(id="d", title="Criteria", evidence_level=EvidenceLevel.COPY),
)


@st.composite
def questionnaires(draw: st.DrawFn) -> Questionnaire:
    weights = st.sampled_from([Fraction(1, 2), 1, 2, 3, Fraction(5, 2), 10])
    ready = draw(st.none() | st.integers(0, 100))
    scoring = ScoringRules(
        must_weight=draw(weights),
        should_weight=draw(weights),
        ready_at=ready,
        nearly_ready_at=draw(st.integers(0, 100 if ready is None else ready)),
    )
    applies = st.none() | st.lists(
        st.sampled_from(ENTITIES), min_size=1, max_size=3, unique=True
    ).map(tuple)
    categories = []
    n = 0
    for ci in range(draw(st.integers(1, 4))):
        crits = []
        for _ in range(draw(st.integers(1, 5))):
            n += 1
            crits.append(
                Criterion(
                    id=f"{ci + 1}.{n}",
                    title=f"criterion {n}",
                    level=draw(st.sampled_from(Level)),
                    ask="?",
                    guidance="g",
                    remediation="r",
                    source=SourceRef("d", str(n)),
                    evidence_level=draw(st.sampled_from(EvidenceLevel)),
                    category_id=str(ci + 1),
                    applies_to=draw(applies),
                    weight=draw(st.none() | weights),
                    phase=draw(st.integers(1, 3)),
                    na_when=draw(st.none() | st.just("it cannot apply")),
                )
            )
        categories.append(Category(id=str(ci + 1), title=f"cat {ci + 1}", criteria=tuple(crits)))
    gates = tuple(
        Gate(
            id=f"g{i}",
            ask="?",
            source=SourceRef("d", "e"),
            evidence_level=EvidenceLevel.COPY,
            applies_to=draw(applies),
        )
        for i in range(draw(st.integers(0, 3)))
    )
    return Questionnaire(
        id="hyp",
        version="1",
        program=_PROGRAM,
        entity_types=tuple(EntityType(e, e) for e in ENTITIES),
        scoring=scoring,
        eligibility=gates,
        categories=tuple(categories),
    )


def answer_of(value: AnswerValue | None) -> Answer:
    if value is AnswerValue.NA:
        return Answer(value=value, note="does not apply")
    return Answer(value=value)


@st.composite
def assessments(draw: st.DrawFn, q: Questionnaire) -> Assessment:
    entity = draw(st.sampled_from([e.id for e in q.entity_types]))
    answers = {}
    for c in q.criteria():
        value = draw(st.sampled_from(ANSWER_CHOICES))
        if value is not None or draw(st.booleans()):  # unanswered: absent or empty
            answers[c.id] = answer_of(value)
    eligibility = {
        g.id: draw(st.sampled_from([None, GateValue.YES, GateValue.NO])) for g in q.eligibility
    }
    return Assessment(
        program=q.id,
        entity_type=entity,
        questionnaire_version=q.version,
        eligibility=eligibility,
        answers=answers,
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[Questionnaire, Assessment]:
    """A random custom questionnaire, or the bundled CTPAT one, with a random assessment."""
    q = draw(st.one_of(questionnaires(), st.builds(_ctpat)))
    return q, draw(assessments(q))


_CTPAT: list[Questionnaire] = []


def _ctpat() -> Questionnaire:
    if not _CTPAT:
        _CTPAT.append(catalog.get("ctpat"))
    return _CTPAT[0]


# --------------------------------------------------------------------------------------------
# The oracle: docs/scoring.md, written again from the text
# --------------------------------------------------------------------------------------------


def _applies(applies_to: tuple[str, ...] | None, entity: str) -> bool:
    return applies_to is None or entity in applies_to


def _round_half_up(x: Fraction) -> Fraction:
    return Fraction(math.floor(x * 10 + Fraction(1, 2)), 10)


def oracle(q: Questionnaire, a: Assessment) -> dict:
    entity = a.entity_type
    credit = {AnswerValue.YES: Fraction(1), AnswerValue.PARTIAL: Fraction(1, 2)}

    def value(cid: str) -> AnswerValue | None:
        ans = a.answers.get(cid)
        return ans.value if ans is not None else None

    def weight(c: Criterion) -> Fraction:
        if c.weight is not None:
            return Fraction(c.weight)
        w = q.scoring.must_weight if c.level is Level.MUST else q.scoring.should_weight
        return Fraction(w)

    applicable = [c for c in q.criteria() if _applies(c.applies_to, entity)]
    earned = possible = Fraction(0)
    for c in applicable:
        v = value(c.id)
        if v is AnswerValue.NA:
            continue
        earned += weight(c) * credit.get(v, Fraction(0))  # no and unanswered earn 0
        possible += weight(c)
    overall = None if possible == 0 else _round_half_up(100 * earned / possible)

    gates = [g for g in q.eligibility if _applies(g.applies_to, entity)]
    provisional = any(value(c.id) is None for c in applicable) or any(
        a.eligibility.get(g.id) is None for g in gates
    )
    musts = [c for c in applicable if c.level is Level.MUST]
    # a Must is met by yes, or by N/A where the criterion says when N/A is legitimate
    met = all(
        value(c.id) is AnswerValue.YES or (value(c.id) is AnswerValue.NA and bool(c.na_when))
        for c in musts
    )
    missing = any(value(c.id) in (None, AnswerValue.NO) for c in musts)
    if any(a.eligibility.get(g.id) is GateValue.NO for g in gates):
        verdict = "not-eligible"
    elif (
        overall is not None
        and not provisional
        and met
        and (q.scoring.ready_at is None or overall >= q.scoring.ready_at)
    ):
        verdict = "ready"
    elif overall is not None and not missing and overall >= q.scoring.nearly_ready_at:
        verdict = "nearly-ready"
    else:
        verdict = "not-ready"
    order = {"blocker": 0, "critical": 1, "high": 2, "medium": 3, "low": 4}
    gaps = []
    for i, g in enumerate(gates):
        v = a.eligibility.get(g.id)
        if v is GateValue.NO:
            gaps.append((order["blocker"], 0, i, g.id, "blocker"))
        elif v is None:
            gaps.append((order["critical"], 0, i, g.id, "critical"))
    for i, c in enumerate(applicable):
        v = value(c.id)
        must = c.level is Level.MUST
        if v is AnswerValue.YES:
            continue
        if v is AnswerValue.NA:
            if must and not c.na_when:
                gaps.append((order["high"], c.phase, len(gates) + i, c.id, "high"))
            continue
        if v is AnswerValue.PARTIAL:
            prio = "high" if must else "low"
        else:
            prio = "critical" if must else "medium"
        gaps.append((order[prio], c.phase, len(gates) + i, c.id, prio))
    return {
        "overall": None if overall is None else float(overall),
        "verdict": verdict,
        "provisional": provisional,
        "gaps": [(cid, prio) for *_, cid, prio in sorted(gaps)],
    }


# --------------------------------------------------------------------------------------------
# Scoring properties
# --------------------------------------------------------------------------------------------


@FAST
@given(cases())
def test_scores_are_within_0_and_100(case):
    q, a = case
    r = score(q, a)
    for s in [r.overall, *(c.score for c in r.categories)]:
        assert s is None or 0 <= s <= 100
    assert (r.overall is None) == all(c.score is None for c in r.categories)


@FAST
@given(cases())
def test_verdict_score_provisional_and_gaps_match_the_oracle(case):
    q, a = case
    r = score(q, a)
    expected = oracle(q, a)
    assert r.overall == expected["overall"]
    assert r.verdict.value == expected["verdict"]
    assert r.provisional == expected["provisional"]
    assert [(g.id, g.priority.value) for g in r.gaps] == expected["gaps"]


@FAST
@given(cases(), st.data())
def test_a_yes_never_lowers_the_overall_or_its_category(case, data):
    q, a = case
    applicable = q.applicable_criteria(a.entity_type)
    assume(applicable)
    c = data.draw(st.sampled_from(applicable))
    before = score(q, a)
    after = score(q, replace(a, answers={**a.answers, c.id: Answer(value=AnswerValue.YES)}))

    def not_lower(old: float | None, new: float | None) -> bool:
        return old is None or (new is not None and new >= old)

    assert not_lower(before.overall, after.overall)
    cat_before = {cs.id: cs.score for cs in before.categories}[c.category_id]
    cat_after = {cs.id: cs.score for cs in after.categories}[c.category_id]
    assert not_lower(cat_before, cat_after)


@FAST
@given(cases(), st.data())
def test_na_on_one_criterion_leaves_every_other_gap_alone(case, data):
    q, a = case
    applicable = q.applicable_criteria(a.entity_type)
    assume(applicable)
    c = data.draw(st.sampled_from(applicable))
    before = score(q, a)
    after = score(q, replace(a, answers={**a.answers, c.id: answer_of(AnswerValue.NA)}))

    def others(result) -> list[tuple[str, str, str]]:
        return [(g.id, g.priority.value, g.answer) for g in result.gaps if g.id != c.id]

    assert others(after) == others(before)
    if c.level is Level.MUST and not c.na_when:  # an N/A to justify: a high gap of its own
        assert [(g.id, g.priority.value) for g in after.gaps if g.id == c.id] == [(c.id, "high")]
    else:
        assert all(g.id != c.id for g in after.gaps)
    # and every other criterion's category keeps its count of answers
    assert [cs.answered for cs in after.categories] == [
        cs.answered + (1 if cs.id == c.category_id and a.answer(c.id).value is None else 0)
        for cs in before.categories
    ]


# --------------------------------------------------------------------------------------------
# Loading: arbitrary text and mutated real files raise AeoCheckError or load, nothing else
# --------------------------------------------------------------------------------------------

YAML_PIECES = [
    "format: aeo-check/answers@1\n",
    "format: aeo-check/questionnaire@1\n",
    "program: ctpat\n",
    "program: mini\n",
    "entity_type: importer\n",
    "entity_type: carrier\n",
    "answers:\n",
    "eligibility:\n",
    "company:\n",
    "  name: X\n",
    '  "1.1": ',
    "  1.10: ",
    "  2.1: ",
    "  license: ",
    "yes",
    "no",
    "na",
    "partial",
    "on",
    "{answer: na, note: n}",
    "{answer: ",
    "[",
    "]",
    "{",
    "}",
    ": ",
    ", ",
    "- ",
    "&a ",
    "*a",
    "!!python/object/apply:os.system ",
    "!!str ",
    "!local ",
    "? ",
    "|\n",
    ">-\n",
    "\t",
    "\n",
    "  ",
    "#",
    "'",
    '"',
    "\\",
    "~",
    "null",
    "1e400",
    "0x1F",
    "é",
    "\u200b",
    "\ufeff",
    "\r\n",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "%TAG ! tag:yaml.org,2002:\n",
    "<<: ",
]

yamlish = st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=5), max_size=60).map("".join)


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="aeo-props-") as d:
        yield Path(d)


@pytest.fixture(scope="module")
def mini_q():
    return load_questionnaire(MINI)


def _loads_or_own_error(path: Path, mini_q: Questionnaire) -> None:
    """Every loader on one file: a result or an AeoCheckError, never anything else."""
    for load in (
        lambda: load_questionnaire(path),
        lambda: load_answers(path),  # the program named in the file (bundled catalogue)
        lambda: load_answers(path, mini_q),
        lambda: validate_file(path),
    ):
        with contextlib.suppress(AeoCheckError):
            load()


@FAST
@given(text=st.text(max_size=400) | yamlish)
def test_arbitrary_text_loads_or_raises_an_aeo_check_error(text, workdir, mini_q):
    path = workdir / "text.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    _loads_or_own_error(path, mini_q)


@FAST
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_load_or_raise_an_aeo_check_error(data, workdir, mini_q):
    path = workdir / "bytes.yaml"
    path.write_bytes(data)
    _loads_or_own_error(path, mini_q)


mutations = st.lists(
    st.tuples(
        st.sampled_from(["flip", "delete", "insert", "cut"]),
        st.floats(0, 1, exclude_max=True),
        st.integers(0, 255),
    ),
    min_size=1,
    max_size=6,
)


def mutate(data: bytes, ops: list[tuple[str, float, int]]) -> bytes:
    buf = bytearray(data)
    for op, where, byte in ops:
        if not buf:
            break
        i = int(where * len(buf))
        if op == "flip":
            buf[i] ^= 1 << (byte % 8)
        elif op == "delete":
            del buf[i : i + 1 + byte % 16]
        elif op == "insert":
            buf[i:i] = bytes([byte])
        else:  # cut the file short
            del buf[i:]
    return bytes(buf)


@SLOW
@given(ops=mutations)
def test_mutated_ctpat_questionnaire_loads_or_raises_an_aeo_check_error(ops, workdir):
    path = workdir / "ctpat-mutated.yaml"
    path.write_bytes(mutate(CTPAT_FILE.read_bytes(), ops))
    with contextlib.suppress(AeoCheckError):
        load_questionnaire(path)


@pytest.fixture(scope="module")
def answers_bytes() -> bytes:
    q = _ctpat()
    a = new_assessment(q, "importer")
    filled = {
        c.id: answer_of(v)
        for c, v in zip(
            q.applicable_criteria("importer"),
            [AnswerValue.YES, AnswerValue.PARTIAL, AnswerValue.NO, AnswerValue.NA, None] * 50,
            strict=False,
        )
    }
    a = replace(a, answers=filled, eligibility={g.id: GateValue.YES for g in q.eligibility})
    return dump_answers(q, a).encode("utf-8")


@FAST
@given(ops=mutations)
def test_mutated_answers_file_loads_or_raises_an_aeo_check_error(
    ops, answers_bytes, workdir, mini_q
):
    path = workdir / "answers-mutated.yaml"
    path.write_bytes(mutate(answers_bytes, ops))
    _loads_or_own_error(path, mini_q)


@FAST
@given(ops=mutations)
def test_mutated_mini_questionnaire_loads_or_raises_an_aeo_check_error(ops, workdir, mini_q):
    path = workdir / "mini-mutated.yaml"
    path.write_bytes(mutate(MINI.read_bytes(), ops))
    _loads_or_own_error(path, mini_q)


def test_the_unmutated_inputs_are_valid(answers_bytes, workdir):
    """The mutation tests start from files that load (otherwise they would prove little)."""
    path = workdir / "answers.yaml"
    path.write_bytes(answers_bytes)
    assessment, q = load_answers(path)
    assert q.id == "ctpat" and assessment.answers
    assert load_questionnaire(CTPAT_FILE).id == "ctpat"


# --------------------------------------------------------------------------------------------
# Nothing lost: whatever a user types survives a save and a load
# --------------------------------------------------------------------------------------------

user_text = st.text(min_size=1, max_size=80).filter(lambda s: s.strip() != "")


@FAST
@given(
    notes=st.lists(st.none() | user_text, min_size=1, max_size=8),
    values=st.lists(st.sampled_from(ANSWER_CHOICES), min_size=1, max_size=8),
    name=user_text,
    evidence=st.lists(user_text, max_size=3),
)
def test_every_answer_and_note_survives_save_and_load(notes, values, name, evidence, workdir):
    from aeo_check.answers import save_answers
    from aeo_check.model import Company

    q = _ctpat()
    crits = q.applicable_criteria("importer")
    answers = {}
    for c, note, value in zip(crits, notes, values, strict=False):
        if value is AnswerValue.NA and note is None:
            note = "does not apply"
        answers[c.id] = Answer(value=value, note=note, evidence=tuple(evidence))
    a = replace(
        new_assessment(q, "importer", company=Company(name=name)),
        answers=answers,
    )
    path = workdir / "roundtrip.yaml"
    path.unlink(missing_ok=True)
    save_answers(path, q, a)
    loaded, _ = load_answers(path)
    assert loaded.company.name == name
    for cid, ans in answers.items():
        got = loaded.answer(cid)
        assert got.value == ans.value
        assert got.note == ans.note
        assert got.evidence == ans.evidence


@FAST
@given(q=questionnaires(), texts=st.lists(user_text, min_size=4, max_size=4), data=st.data())
def test_a_template_from_any_questionnaire_text_loads_again(q, texts, data, workdir):
    """Questionnaire text lands in the answers file's comments: no line break or control
    character in it may break the file (it is the user's work from then on)."""
    title, ask, short_name, et_name = texts
    cats = list(q.categories)
    first = cats[0]
    cats[0] = replace(
        first,
        title=title,
        criteria=(replace(first.criteria[0], ask=ask), *first.criteria[1:]),
    )
    q = replace(
        q,
        categories=tuple(cats),
        program=replace(q.program, short_name=short_name),
        entity_types=(EntityType("importer", et_name), *q.entity_types[1:]),
    )
    a = data.draw(assessments(q))
    path = workdir / "template.yaml"
    path.write_text(dump_answers(q, a), encoding="utf-8")
    loaded, _ = load_answers(path, q)
    for cid, ans in a.answers.items():
        if q.criterion(cid).applies(a.entity_type):
            assert loaded.answer(cid).value == ans.value

"""Every scoring rule of docs/scoring.md, with its boundaries."""

from __future__ import annotations

from fractions import Fraction

from aeo_check.loading import questionnaire_from_text
from aeo_check.model import (
    Answer,
    AnswerValue,
    Assessment,
    GateValue,
    Priority,
    Verdict,
)
from aeo_check.scoring import percent, score

Y, P, N, NA = AnswerValue.YES, AnswerValue.PARTIAL, AnswerValue.NO, AnswerValue.NA


def questionnaire(
    criteria: list[tuple],
    ready=None,
    nearly=70,
    must_w=3,
    should_w=1,
    gates=(),
    na_when=(),
    phases=None,
):
    """criteria: (id, category, level); ``na_when``: ids that state when N/A is legitimate;
    ``phases``: id -> phase (default 2)."""
    cats: dict[str, list[str]] = {}
    for cid, cat, level in criteria:
        extra = f"        na_when: It cannot apply to {cid}.\n" if cid in na_when else ""
        extra += f"        phase: {(phases or {}).get(cid, 2)}\n"
        cats.setdefault(cat, []).append(
            f"""      - id: "{cid}"
        title: Criterion {cid}
        level: {level}
        ask: Is {cid} in place?
        guidance: It is.
        remediation: Put {cid} in place.
        source: {{doc: d, ref: "{cid}"}}
        evidence_level: copy
{extra}"""
        )
    gates_text = "".join(
        f"""  - id: {g}
    title: Gate {g}
    ask: Gate {g}?
    remediation: Meet gate {g}.
    source: {{doc: d, ref: x}}
    evidence_level: copy
"""
        for g in gates
    )
    ready_line = f" ready_at: {ready}," if ready is not None else ""
    text = f"""format: aeo-check/questionnaire@1
id: t
version: "1"
program:
  name: T
  short_name: T
  agency: A
  country: US
  url: https://example.org
  criteria_document: {{id: d, title: D, date: "2020", verified: true}}
  contacts: [{{label: L, email: a@example.org, verified: true}}]
  apply: [{{step: Apply, verified: true}}]
  benefits: []
entity_types: [{{id: e, name: E}}]
scoring:
  {{must_weight: {must_w}, should_weight: {should_w},{ready_line}
   nearly_ready_at: {nearly}}}
eligibility:
{gates_text or "  []"}
categories:
"""
    if not gates_text:
        text = text.replace("eligibility:\n  []\n", "eligibility: []\n")
    for cat, items in cats.items():
        text += f"""  - id: "{cat}"
    title: Category {cat}
    criteria:
{"".join(items)}"""
    return questionnaire_from_text(text)


def assess(q, answers: dict[str, AnswerValue | None], gates=None):
    return score(
        q,
        Assessment(
            program="t",
            entity_type="e",
            answers={k: Answer(v, note="why" if v is NA else None) for k, v in answers.items()},
            eligibility=gates or {},
        ),
    )


def test_all_yes_is_100_and_ready():
    q = questionnaire([("1", "A", "must"), ("2", "A", "should")])
    r = assess(q, {"1": Y, "2": Y})
    assert r.overall == 100.0
    assert r.verdict is Verdict.READY
    assert not r.provisional
    assert r.gaps == ()


def test_credits_and_weights():
    # must yes (3*1) + must partial (3*.5) + should no (1*0) + should partial (1*.5)
    q = questionnaire(
        [("1", "A", "must"), ("2", "A", "must"), ("3", "A", "should"), ("4", "A", "should")]
    )
    r = assess(q, {"1": Y, "2": P, "3": N, "4": P})
    assert r.overall == round(100 * (3 + 1.5 + 0 + 0.5) / 8, 1) == 62.5


def test_unanswered_counts_zero_and_marks_provisional():
    q = questionnaire([("1", "A", "must"), ("2", "A", "should")])
    r = assess(q, {"1": Y})
    assert r.overall == 75.0
    assert r.provisional
    assert r.answer_counts["unanswered"] == 1
    assert [(g.id, g.answer, g.priority) for g in r.gaps] == [("2", "unanswered", Priority.MEDIUM)]


def test_na_drops_criterion_from_sums():
    q = questionnaire([("1", "A", "must"), ("2", "A", "should")])
    assert assess(q, {"1": Y, "2": NA}).overall == 100.0
    assert assess(q, {"1": NA, "2": N}).overall == 0.0


def test_na_on_every_criterion_of_a_category():
    q = questionnaire([("1", "A", "must"), ("2", "B", "must"), ("3", "B", "should")])
    r = assess(q, {"1": Y, "2": NA, "3": NA})
    by_id = {c.id: c for c in r.categories}
    assert by_id["B"].score is None
    assert by_id["B"].na == 2
    assert by_id["A"].score == 100.0
    assert r.overall == 100.0
    # the Must "2" states no case for N/A: an N/A to justify, which blocks ready
    assert r.verdict is Verdict.NEARLY_READY
    assert [(g.id, g.answer, g.priority) for g in r.gaps] == [("2", "na", Priority.HIGH)]


def test_no_applicable_criteria_at_all():
    q = questionnaire([("1", "A", "must")])
    r = assess(q, {"1": NA})
    assert r.overall is None
    assert r.verdict is Verdict.NOT_READY
    assert any("no score" in w for w in r.warnings)


def test_every_must_yes_and_every_should_no_is_ready():
    """The program requires the Musts and recommends the Shoulds: no score threshold."""
    crit = [("m1", "A", "must"), ("m2", "B", "must")] + [
        (f"s{i}", "A", "should") for i in range(30)
    ]
    q = questionnaire(crit, gates=["g"])
    r = assess(q, {"m1": Y, "m2": Y} | {f"s{i}": N for i in range(30)}, gates={"g": GateValue.YES})
    assert r.overall == round(100 * 6 / 36, 1) == 16.7
    assert r.verdict is Verdict.READY
    # a Should-only gap list: every gap medium, none blocks
    assert {g.priority for g in r.gaps} == {Priority.MEDIUM}
    assert len(r.gaps) == 30


def test_custom_ready_at_still_applies_when_set():
    q = questionnaire([("1", "A", "must"), ("2", "A", "should")], must_w=849, should_w=151,
                      ready=85)  # fmt: skip
    at_849 = assess(q, {"1": Y, "2": N})
    assert at_849.overall == 84.9
    assert at_849.verdict is Verdict.NEARLY_READY
    q2 = questionnaire([("1", "A", "must"), ("2", "A", "should")], must_w=850, should_w=150,
                       ready=85)  # fmt: skip
    at_850 = assess(q2, {"1": Y, "2": N})
    assert at_850.overall == 85.0
    assert at_850.verdict is Verdict.READY


def test_nearly_ready_at_is_inclusive():
    # a partial Must keeps the result from ready; the score decides nearly-ready or not-ready
    q = questionnaire([("1", "A", "must"), ("2", "A", "should")], must_w=2, should_w=3)
    # must partial (2 x .5) + should yes (3) = 4 of 5 = 80.0
    assert assess(q, {"1": P, "2": Y}).verdict is Verdict.NEARLY_READY
    q2 = questionnaire([("1", "A", "must"), ("2", "A", "should")], must_w=600, should_w=400,
                       nearly=70)  # fmt: skip
    # must partial (600 x .5) + should yes (400) = 700 / 1000 = 70.0 exactly
    r = assess(q2, {"1": P, "2": Y})
    assert r.overall == 70.0
    assert r.verdict is Verdict.NEARLY_READY
    q3 = questionnaire([("1", "A", "must"), ("2", "A", "should")], must_w=602, should_w=398,
                       nearly=70)  # fmt: skip
    r3 = assess(q3, {"1": P, "2": Y})
    assert r3.overall == 69.9
    assert r3.verdict is Verdict.NOT_READY


def test_must_na_with_and_without_na_when():
    crit = [("1", "A", "must"), ("2", "A", "must")]
    with_rule = questionnaire(crit, na_when={"2"})
    r = assess(with_rule, {"1": Y, "2": NA})
    assert r.verdict is Verdict.READY
    assert r.gaps == ()
    without = questionnaire(crit)
    r2 = assess(without, {"1": Y, "2": NA})
    assert r2.verdict is Verdict.NEARLY_READY
    assert [(g.id, g.answer, g.priority) for g in r2.gaps] == [("2", "na", Priority.HIGH)]
    assert r2.overall == 100.0  # N/A still leaves the score alone
    assert "record why it cannot apply" in r2.gaps[0].remediation
    assert [f.kind for f in r2.quality if f.id == "2"] == ["na-to-justify"]


def test_one_gate_unanswered_everything_else_yes_is_not_ready():
    q = questionnaire([("1", "A", "must")], gates=["g1", "g2"])
    r = assess(q, {"1": Y}, gates={"g1": GateValue.YES})
    assert r.verdict is Verdict.NEARLY_READY
    assert r.provisional
    assert [(g.id, g.priority, g.kind) for g in r.gaps] == [("g2", Priority.CRITICAL, "gate")]


def test_gate_no_is_a_blocker_gap_first():
    q = questionnaire([("1", "A", "must"), ("2", "A", "should")], gates=["g1", "g2"],
                      phases={"1": 1})  # fmt: skip
    r = assess(q, {"1": N, "2": N}, gates={"g1": GateValue.YES, "g2": GateValue.NO})
    assert r.verdict is Verdict.NOT_ELIGIBLE
    assert [(g.id, g.priority.value) for g in r.gaps] == [
        ("g2", "blocker"),
        ("1", "critical"),
        ("2", "medium"),
    ]
    assert r.gaps[0].title == "Gate g2"
    assert r.gaps[0].remediation == "Meet gate g2."
    assert r.gap_counts["blocker"] == 1


def test_within_a_priority_gaps_follow_phase_then_order():
    crit = [("1", "A", "must"), ("2", "A", "must"), ("3", "B", "must"), ("4", "B", "must")]
    q = questionnaire(crit, phases={"1": 3, "2": 2, "3": 1, "4": 2})
    r = assess(q, {"1": N, "2": N, "3": N, "4": N})
    assert [g.id for g in r.gaps] == ["3", "2", "4", "1"]
    assert [g.phase for g in r.gaps] == [1, 2, 2, 3]


def test_rounding_is_half_up_on_the_exact_value():
    assert percent(Fraction(1), Fraction(3)) == 33.3
    assert percent(Fraction(2), Fraction(3)) == 66.7
    assert percent(Fraction(1), Fraction(8)) == 12.5
    assert percent(Fraction(1), Fraction(16)) == 6.3  # 6.25 rounds half up
    assert percent(Fraction(0), Fraction(0)) is None


def test_ready_needs_every_must_yes_even_with_high_score():
    crit = [("m", "A", "must")] + [(f"s{i}", "A", "should") for i in range(50)]
    q = questionnaire(crit)
    r = assess(q, {"m": P} | {f"s{i}": Y for i in range(50)})
    assert r.overall > 95
    assert r.verdict is Verdict.NEARLY_READY  # partial Must blocks ready, not nearly-ready
    r2 = assess(q, {"m": N} | {f"s{i}": Y for i in range(50)})
    assert r2.verdict is Verdict.NOT_READY  # a Must answered no blocks nearly-ready too
    r3 = assess(q, {"m": None} | {f"s{i}": Y for i in range(50)})
    assert r3.verdict is Verdict.NOT_READY  # so does an unanswered Must


def test_not_eligible_wins_over_everything():
    q = questionnaire([("1", "A", "must")], gates=["g1", "g2"])
    r = assess(q, {"1": Y}, gates={"g1": GateValue.YES, "g2": GateValue.NO})
    assert r.overall == 100.0
    assert r.verdict is Verdict.NOT_ELIGIBLE
    assert [(g.id, g.answer) for g in r.eligibility] == [("g1", "yes"), ("g2", "no")]


def test_unanswered_gate_makes_result_provisional_not_ineligible():
    q = questionnaire([("1", "A", "must")], gates=["g1"])
    r = assess(q, {"1": Y})
    assert r.verdict is Verdict.NEARLY_READY  # provisional is never ready
    assert r.provisional


def test_gap_priorities_and_order():
    q = questionnaire(
        [
            ("1", "A", "should"),  # no -> medium
            ("2", "A", "must"),  # partial -> high
            ("3", "B", "should"),  # partial -> low
            ("4", "B", "must"),  # no -> critical
            ("5", "B", "must"),  # unanswered -> critical
            ("6", "B", "should"),  # unanswered -> medium
            ("7", "B", "must"),  # yes -> no gap
        ]
    )
    r = assess(q, {"1": N, "2": P, "3": P, "4": N, "5": None, "6": None, "7": Y})
    assert [(g.id, g.priority.value) for g in r.gaps] == [
        ("4", "critical"),
        ("5", "critical"),
        ("2", "high"),
        ("1", "medium"),
        ("6", "medium"),
        ("3", "low"),
    ]
    assert r.gap_counts == {"blocker": 0, "critical": 2, "high": 1, "medium": 2, "low": 1}


def test_applies_to_filters_criteria(mini):
    a = Assessment(program="mini", entity_type="importer", answers={"2.1": Answer(N)})
    r = score(mini, a)
    # 2.1 applies to carriers only: it neither scores nor makes a gap for an importer
    assert "2.1" not in [g.id for g in r.gaps]
    assert sum(c.applicable for c in r.categories) == 4
    carrier = score(mini, Assessment(program="mini", entity_type="carrier"))
    assert sum(c.applicable for c in carrier.categories) == 5


def test_criterion_weight_override():
    text_q = questionnaire([("1", "A", "must"), ("2", "A", "should")])
    from dataclasses import replace

    cat = text_q.categories[0]
    heavy = replace(cat.criteria[1], weight=9)
    q = replace(text_q, categories=(replace(cat, criteria=(cat.criteria[0], heavy)),))
    r = assess(q, {"1": Y, "2": N})
    assert r.overall == round(100 * 3 / 12, 1)

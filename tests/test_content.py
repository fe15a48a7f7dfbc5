"""The bundled questionnaires: the product's content, checked so an accident fails loudly."""

from __future__ import annotations

import re

import pytest

from aeo_check import catalog
from aeo_check.model import EvidenceLevel, Level
from aeo_check.plan import evidence_summary

PROGRAMS = {q.id: q for q in catalog.all_programs()}

# Criteria per business type. A change here must be deliberate (content added or removed
# against the official tables): update the number and say why in the commit.
PINNED = {
    "ctpat": {
        "importer": 93, "exporter": 91, "foreign-manufacturer": 94,
        "highway-carrier-us-canada": 84, "highway-carrier-us-mexico": 84,
        "mexican-long-haul-carrier": 84, "rail-carrier": 81, "sea-carrier": 83,
        "air-carrier": 81, "customs-broker": 48, "consolidator": 90,
        "third-party-logistics": 89, "marine-port-terminal": 81,
    },
    "pip": {
        "importer": 34, "exporter": 35, "highway-carrier": 37, "rail-carrier": 36,
        "marine-carrier": 36, "air-carrier": 36, "courier": 37, "warehouse-operator": 37,
        "freight-forwarder": 36, "shipping-agent": 26, "customs-broker": 26, "us-carrier": 37,
        "us-importer": 34,
    },
    "oea": {
        "importer-exporter": 39, "controladora": 39, "aeronaves": 39, "seciit": 39,
        "textil": 39, "tercerizacion-logistica": 39, "customs-broker": 35,
        "highway-carrier": 36, "courier": 42, "bonded-facility": 41, "rail-carrier": 36,
        "industrial-park": 35, "bonded-warehouse": 35,
    },
}  # fmt: skip

# Criteria per business type by evidence level: (official, copy, secondary, inferred).
# Re-grade only on a better source read (shared/reference/second-pass.md), and say which.
PINNED_LEVELS = {
    "ctpat": {
        "importer": (0, 2, 88, 3), "exporter": (0, 0, 4, 87),
        "foreign-manufacturer": (0, 3, 4, 87), "highway-carrier-us-canada": (0, 2, 7, 75),
        "highway-carrier-us-mexico": (0, 2, 7, 75), "mexican-long-haul-carrier": (0, 2, 5, 77),
        "rail-carrier": (0, 0, 4, 77), "sea-carrier": (0, 0, 6, 77), "air-carrier": (0, 0, 4, 77),
        "customs-broker": (0, 0, 5, 43), "consolidator": (0, 0, 4, 86),
        "third-party-logistics": (0, 2, 5, 82), "marine-port-terminal": (0, 0, 4, 77),
    },
    "pip": {
        "importer": (24, 0, 0, 10), "exporter": (24, 0, 0, 11),
        "highway-carrier": (24, 0, 0, 13), "rail-carrier": (24, 0, 0, 12),
        "marine-carrier": (24, 0, 0, 12), "air-carrier": (21, 0, 0, 15),
        "courier": (24, 0, 0, 13), "warehouse-operator": (24, 0, 0, 13),
        "freight-forwarder": (24, 0, 0, 12), "shipping-agent": (20, 0, 0, 6),
        "customs-broker": (20, 0, 0, 6), "us-carrier": (24, 0, 0, 13),
        "us-importer": (24, 0, 0, 10),
    },
    "oea": {
        "importer-exporter": (0, 37, 0, 2), "controladora": (0, 37, 0, 2),
        "aeronaves": (0, 37, 0, 2), "seciit": (0, 37, 0, 2), "textil": (0, 37, 0, 2),
        "tercerizacion-logistica": (0, 0, 0, 39), "customs-broker": (0, 34, 0, 1),
        "highway-carrier": (0, 0, 0, 36), "courier": (0, 42, 0, 0),
        "bonded-facility": (0, 41, 0, 0), "rail-carrier": (0, 27, 0, 9),
        "industrial-park": (0, 0, 0, 35), "bonded-warehouse": (0, 0, 0, 35),
    },
}  # fmt: skip

# Categories with no criterion for a business type, on purpose (documented in docs/sources/).
NO_CRITERIA_IN = {("ctpat", "customs-broker"): {"5", "8"}}

OFFICIAL_DOMAINS = {
    "ctpat": ("cbp.gov", "dhs.gov"),
    "pip": ("cbsa-asfc.gc.ca", "canada.ca"),
    "oea": ("gob.mx",),
}

MUTUAL_RECOGNITION = {
    frozenset({"ctpat", "pip"}): "2008-06",
    frozenset({"ctpat", "oea"}): "2014-10",
    frozenset({"pip", "oea"}): "2016-05",
}


def test_three_programs():
    assert set(PROGRAMS) == {"ctpat", "pip", "oea"}


@pytest.mark.parametrize("program", sorted(PINNED))
def test_pinned_criterion_counts(program):
    q = PROGRAMS[program]
    counts = {e.id: len(q.applicable_criteria(e.id)) for e in q.entity_types}
    assert counts == PINNED[program]


@pytest.mark.parametrize("program", sorted(PINNED))
def test_pinned_evidence_levels(program):
    q = PROGRAMS[program]
    counts = {
        e.id: tuple(len(ids) for ids in evidence_summary(q, e.id).values()) for e in q.entity_types
    }
    assert counts == PINNED_LEVELS[program]


def test_no_ctpat_type_but_importer_is_mostly_checked_against_cbp_text():
    q = PROGRAMS["ctpat"]
    for et in q.entity_types:
        levels = evidence_summary(q, et.id)
        checked = len(levels[EvidenceLevel.OFFICIAL]) + len(levels[EvidenceLevel.COPY])
        assert checked <= 5, et.id  # nobody has read CBP's per-type tables past page 1


def test_ctpat_business_type_facts():
    q = PROGRAMS["ctpat"]
    assert len(q.entity_types) == 13
    ids = {e.id for e in q.entity_types}
    assert {"sea-carrier", "air-carrier"} <= ids

    def applies(cid: str, et: str) -> bool:
        return any(c.id == cid for c in q.applicable_criteria(et))

    carriers = ("highway-carrier-us-canada", "highway-carrier-us-mexico")
    assert all(applies("6.3", et) for et in (*carriers, "mexican-long-haul-carrier"))
    assert applies("6.3", "third-party-logistics") and not applies("6.3", "importer")
    assert all(applies("11.5", et) and applies("7.37", et) for et in ids)
    assert applies("12.5", "customs-broker")
    assert applies("7.35", "sea-carrier") and applies("7.36", "sea-carrier")
    assert not any(applies("3.8", et) for et in carriers)


def test_oea_profiles_have_their_own_structure():
    q = PROGRAMS["oea"]
    broker = {c.id: c for c in q.applicable_criteria("customs-broker")}
    assert (
        "unauthorized" in broker["3.3"].title.lower()
        or "no autorizad" in (broker["3.3"].local_title or "").lower()
    )
    assert broker["5.5"].local_title == "Comunicación interna"
    assert broker["6.2"].local_title == "Control en recintos"
    assert "7.3" not in broker
    courier = {c.id: c for c in q.applicable_criteria("courier")}
    assert courier["6.3"].local_title == "Comprobación aduanera"
    assert "10.2" in courier
    company = {c.id for c in q.applicable_criteria("importer-exporter")}
    assert {"5.5", "9.1"} <= company


@pytest.mark.parametrize("program", sorted(PINNED))
def test_every_business_type_covers_every_category(program):
    q = PROGRAMS[program]
    for et in q.entity_types:
        own = q.for_entity(et.id)  # a business type with its own profile answers its categories
        empty = {
            cat.id for cat in own.categories if not any(c.applies(et.id) for c in cat.criteria)
        }
        assert empty == NO_CRITERIA_IN.get((program, et.id), set()), et.id


@pytest.mark.parametrize("program", sorted(PINNED))
def test_bundled_weights_and_no_ready_threshold(program):
    q = PROGRAMS[program]
    s = q.scoring
    # the verdict follows the program's rule: no score threshold for "ready"
    assert (s.must_weight, s.should_weight, s.ready_at, s.nearly_ready_at) == (3, 1, None, 70)
    assert all(c.weight is None for c in _all_criteria(q))


def _all_criteria(q):
    """Every criterion of a program, its profile files included."""
    seen = {id(q)}
    out = list(q.criteria())
    for prof in q.profiles.values():
        if id(prof) not in seen:
            seen.add(id(prof))
            out += prof.criteria()
    return out


def _all_gates(q):
    gates = {g.id: g for g in q.eligibility}
    for prof in q.profiles.values():
        gates.update({g.id: g for g in prof.eligibility})
    return list(gates.values())


CHECKS_LIST = "Answer yes only if all hold"


@pytest.mark.parametrize("program", sorted(PINNED))
def test_every_criterion_is_complete(program):
    q = PROGRAMS[program]
    for c in _all_criteria(q):
        assert c.level in (Level.MUST, Level.SHOULD)
        assert len(c.title.strip()) >= 4, c.id
        for text in (c.ask, c.guidance, c.remediation):
            assert len(text.strip()) >= 8, (c.id, text)
        assert c.ask.rstrip().endswith("?") or CHECKS_LIST in c.ask, c.id
        assert c.evidence, c.id
        assert c.phase in (1, 2, 3), c.id
        assert q.program.document(c.source.doc) is not None, c.id
        levels = {c.evidence_level, *(level for _, level in c.evidence_level_for)}
        if any(not level.checked for level in levels):
            assert c.verification_note, f"{c.id}: below 'copy' without a note saying why"


@pytest.mark.parametrize("program", sorted(PINNED))
def test_every_gate_has_a_title_guidance_and_what_to_do(program):
    for g in _all_gates(PROGRAMS[program]):
        assert g.title and len(g.title) <= 60, g.id
        assert g.guidance and "no further guidance" not in g.guidance.lower(), g.id
        assert g.remediation, g.id


# The heuristic for "one question per criterion": an ask that joins three clauses with "and",
# or holds two question marks, asks several things with one answer, unless it lists its checks
# and says how to answer ("Do all of these hold? (1) ...; (2) .... Answer yes only if all hold,
# partial if some do."). Reviewed exceptions, where the "and"s name one thing, go here.
ONE_QUESTION_EXCEPTIONS: set[tuple[str, str]] = set()


@pytest.mark.parametrize("program", sorted(PINNED))
def test_each_question_asks_one_thing_or_lists_its_checks(program):
    for c in _all_criteria(PROGRAMS[program]):
        if CHECKS_LIST in c.ask or (program, c.id) in ONE_QUESTION_EXCEPTIONS:
            continue
        assert c.ask.count(" and ") < 2, (c.id, c.ask)
        assert c.ask.count("?") < 2, (c.id, c.ask)


# Words that tell how a fact was sourced: they belong in verification notes and the
# methodology, never in text the client reads.
SOURCING_WORDS = re.compile(
    r"reference saw|third-party cop|seen (only )?in|unverified|not verified", re.IGNORECASE
)


@pytest.mark.parametrize("program", sorted(PINNED))
def test_client_text_says_nothing_about_sourcing(program):
    q = PROGRAMS[program]
    p = q.program
    texts = [c.note for c in p.contacts] + [s.step for s in p.apply] + list(p.benefits)
    for c in _all_criteria(q):
        texts += [c.ask, c.guidance, c.remediation, c.na_when, *c.evidence]
    for g in _all_gates(q):
        texts += [g.ask, g.guidance, g.remediation]
    for text in filter(None, texts):
        assert not SOURCING_WORDS.search(text), text


@pytest.mark.parametrize("program", sorted(PINNED))
def test_every_link_is_https_on_an_official_domain(program):
    q = PROGRAMS[program]
    p = q.program
    urls = [p.url, *(d.url for d in (p.criteria_document, *p.documents))]
    urls += [c.url for c in p.contacts] + [s.url for s in p.apply]
    domains = OFFICIAL_DOMAINS[program]
    for url in filter(None, urls):
        host = re.match(r"https://([^/]+)/?", url)
        assert host, url
        assert host.group(1).endswith(domains), url
    for c in p.contacts:
        if c.email:
            assert c.email.split("@")[1].endswith(domains), c.email


def test_mutual_recognition_dates_both_ways():
    for q in PROGRAMS.values():
        partners = {m.program: m.since for m in q.program.mutual_recognition}
        for other in PROGRAMS:
            if other == q.id:
                continue
            assert partners.get(other) == MUTUAL_RECOGNITION[frozenset({q.id, other})], (
                q.id,
                other,
            )


def test_ctpat_structure():
    q = PROGRAMS["ctpat"]
    assert [c.id for c in q.categories] == [str(i) for i in range(1, 13)]
    areas = [c.focus_area for c in q.categories]
    assert areas[:4] == ["Corporate Security"] * 4
    assert areas[4:8] == ["Transportation Security"] * 4
    assert areas[8:] == ["People and Physical Security"] * 4
    # official ids are numbers within their category: 4.8 lives in category 4
    for cat in q.categories:
        for c in cat.criteria:
            assert c.id.split(".")[0] == cat.id, c.id
    importer = {c.id: c.level.value for c in q.applicable_criteria("importer")}
    assert importer["1.1"] == "should" and importer["1.3"] == "must"
    assert importer["6.2"] == "must" and importer["3.9"] == "should"


def test_oea_has_the_eleven_standards_with_spanish_names():
    q = PROGRAMS["oea"]
    assert [c.id for c in q.categories] == [str(i) for i in range(1, 12)]
    assert all(c.local_title for c in q.categories)
    assert q.categories[1].local_title.lower().startswith("seguridad f")


def test_pip_ids_are_marked_as_working_ids():
    q = PROGRAMS["pip"]
    assert q.program.ids_note and "working" in q.program.ids_note
    assert all(not c.official_id for c in q.criteria())

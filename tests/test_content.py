"""The bundled questionnaires: the product's content, checked so an accident fails loudly."""

from __future__ import annotations

import re

import pytest

from aeo_check import catalog
from aeo_check.model import Level

PROGRAMS = {q.id: q for q in catalog.all_programs()}

# Criteria per business type. A change here must be deliberate (content added or removed
# against the official tables): update the number and say why in the commit.
PINNED = {
    "ctpat": {
        "importer": 93, "exporter": 91, "foreign-manufacturer": 93,
        "highway-carrier-us-canada": 85, "highway-carrier-us-mexico": 85,
        "mexican-long-haul-carrier": 85, "rail-carrier": 80, "customs-broker": 45,
        "consolidator": 90, "third-party-logistics": 89, "marine-port-terminal": 80,
    },
    "pip": {
        "importer": 34, "exporter": 35, "highway-carrier": 37, "rail-carrier": 36,
        "marine-carrier": 36, "air-carrier": 36, "courier": 37, "warehouse-operator": 37,
        "freight-forwarder": 36, "shipping-agent": 26, "customs-broker": 26, "us-carrier": 37,
        "us-importer": 34,
    },
    "oea": {
        "importer-exporter": 37, "customs-broker": 34, "highway-carrier": 34, "courier": 34,
        "bonded-facility": 33, "rail-carrier": 34, "industrial-park": 33, "bonded-warehouse": 33,
    },
}  # fmt: skip

# Categories with no criterion for a business type, on purpose (documented in docs/sources/).
NO_CRITERIA_IN = {("ctpat", "customs-broker"): {"5", "6", "8"}}

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
def test_every_business_type_covers_every_category(program):
    q = PROGRAMS[program]
    for et in q.entity_types:
        empty = {cat.id for cat in q.categories if not any(c.applies(et.id) for c in cat.criteria)}
        assert empty == NO_CRITERIA_IN.get((program, et.id), set()), et.id


@pytest.mark.parametrize("program", sorted(PINNED))
def test_bundled_weights_and_thresholds(program):
    q = PROGRAMS[program]
    s = q.scoring
    assert (s.must_weight, s.should_weight, s.ready_at, s.nearly_ready_at) == (3, 1, 85, 70)
    assert all(c.weight is None for c in q.criteria())


@pytest.mark.parametrize("program", sorted(PINNED))
def test_every_criterion_is_complete(program):
    q = PROGRAMS[program]
    for c in q.criteria():
        assert c.level in (Level.MUST, Level.SHOULD)
        for text in (c.title, c.ask, c.guidance, c.remediation):
            assert len(text.strip()) >= 8, (c.id, text)
        assert c.ask.rstrip().endswith("?"), c.id
        assert c.evidence, c.id
        assert q.program.document(c.source.doc) is not None, c.id
        if not c.verified or c.unverified_for:
            assert c.verification_note, f"{c.id}: unverified without a note saying why"


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

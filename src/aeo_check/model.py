"""The data that flows through aeo-check: questionnaires, answers, results.

Plain frozen dataclasses, standard library only. Loading (YAML -> model) lives in
:mod:`aeo_check.loading` and :mod:`aeo_check.answers`; scoring in :mod:`aeo_check.scoring`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    MUST = "must"
    SHOULD = "should"


class AnswerValue(StrEnum):
    YES = "yes"
    PARTIAL = "partial"
    NO = "no"
    NA = "na"


class GateValue(StrEnum):
    YES = "yes"
    NO = "no"


class Verdict(StrEnum):
    NOT_ELIGIBLE = "not-eligible"
    READY = "ready"
    NEARLY_READY = "nearly-ready"
    NOT_READY = "not-ready"


class Priority(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


PRIORITY_ORDER: tuple[Priority, ...] = (
    Priority.CRITICAL,
    Priority.HIGH,
    Priority.MEDIUM,
    Priority.LOW,
)

VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.NOT_ELIGIBLE: "Not eligible yet",
    Verdict.READY: "Ready to apply",
    Verdict.NEARLY_READY: "Nearly ready",
    Verdict.NOT_READY: "Not ready",
}


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    date: str | None = None
    url: str | None = None
    verified: bool = False


@dataclass(frozen=True)
class Contact:
    label: str
    email: str | None = None
    url: str | None = None
    phone: str | None = None
    note: str | None = None
    verified: bool = False


@dataclass(frozen=True)
class ApplyStep:
    step: str
    url: str | None = None
    verified: bool = False


@dataclass(frozen=True)
class MutualRecognition:
    program: str
    name: str
    since: str
    verified: bool = False


@dataclass(frozen=True)
class Program:
    name: str
    short_name: str
    agency: str
    country: str
    url: str
    criteria_document: Document
    documents: tuple[Document, ...] = ()
    contacts: tuple[Contact, ...] = ()
    apply: tuple[ApplyStep, ...] = ()
    benefits: tuple[str, ...] = ()
    mutual_recognition: tuple[MutualRecognition, ...] = ()
    ids_note: str | None = None
    description: str | None = None

    def document(self, doc_id: str) -> Document | None:
        for doc in (self.criteria_document, *self.documents):
            if doc.id == doc_id:
                return doc
        return None


@dataclass(frozen=True)
class EntityType:
    id: str
    name: str
    description: str | None = None


@dataclass(frozen=True)
class ScoringRules:
    must_weight: float = 3
    should_weight: float = 1
    ready_at: float = 85
    nearly_ready_at: float = 70


@dataclass(frozen=True)
class SourceRef:
    doc: str
    ref: str


@dataclass(frozen=True)
class Gate:
    """An eligibility gate: answered yes or no; a "no" means the company cannot apply yet."""

    id: str
    ask: str
    source: SourceRef
    verified: bool
    guidance: str | None = None
    applies_to: tuple[str, ...] | None = None
    official_id: bool = True
    verification_note: str | None = None

    def applies(self, entity_type: str) -> bool:
        return self.applies_to is None or entity_type in self.applies_to


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    level: Level
    ask: str
    guidance: str
    remediation: str
    source: SourceRef
    verified: bool
    category_id: str
    applies_to: tuple[str, ...] | None = None
    evidence: tuple[str, ...] = ()
    weight: float | None = None
    official_id: bool = True
    local_title: str | None = None
    verification_note: str | None = None
    unverified_for: tuple[str, ...] = ()

    def applies(self, entity_type: str) -> bool:
        return self.applies_to is None or entity_type in self.applies_to

    def verified_for(self, entity_type: str) -> bool:
        """True when the id, level and applicability to this entity type are confirmed."""
        return self.verified and entity_type not in self.unverified_for


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    criteria: tuple[Criterion, ...]
    focus_area: str | None = None
    local_title: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    program: Program
    entity_types: tuple[EntityType, ...]
    scoring: ScoringRules
    eligibility: tuple[Gate, ...]
    categories: tuple[Category, ...]
    language: str = "en"
    path: str | None = None

    def entity_type(self, entity_id: str) -> EntityType | None:
        for et in self.entity_types:
            if et.id == entity_id:
                return et
        return None

    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for cat in self.categories for c in cat.criteria)

    def criterion(self, criterion_id: str) -> Criterion | None:
        for c in self.criteria():
            if c.id == criterion_id:
                return c
        return None

    def category(self, category_id: str) -> Category | None:
        for cat in self.categories:
            if cat.id == category_id:
                return cat
        return None

    def applicable_gates(self, entity_type: str) -> tuple[Gate, ...]:
        return tuple(g for g in self.eligibility if g.applies(entity_type))

    def applicable_criteria(self, entity_type: str) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria() if c.applies(entity_type))

    def applicable_categories(self, entity_type: str) -> tuple[Category, ...]:
        """Categories that hold at least one criterion for this entity type, criteria filtered."""
        out = []
        for cat in self.categories:
            crits = tuple(c for c in cat.criteria if c.applies(entity_type))
            if crits:
                out.append(
                    Category(
                        id=cat.id,
                        title=cat.title,
                        criteria=crits,
                        focus_area=cat.focus_area,
                        local_title=cat.local_title,
                        description=cat.description,
                    )
                )
        return tuple(out)

    def weight_of(self, criterion: Criterion) -> float:
        if criterion.weight is not None:
            return criterion.weight
        if criterion.level is Level.MUST:
            return self.scoring.must_weight
        return self.scoring.should_weight


@dataclass(frozen=True)
class Action:
    owner: str | None = None
    due: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class Answer:
    value: AnswerValue | None = None  # None = unanswered
    note: str | None = None
    evidence: tuple[str, ...] = ()
    action: Action | None = None
    carried_from: str | None = None  # set when pre-filled through the crosswalk


@dataclass(frozen=True)
class Company:
    name: str = ""
    country: str | None = None
    address: str | None = None
    contact: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Assessment:
    """One company's answers to one program's questionnaire (an answers file)."""

    program: str
    entity_type: str
    company: Company = field(default_factory=Company)
    questionnaire_version: str | None = None
    assessor: str | None = None
    assessed_on: str | None = None
    eligibility: dict[str, GateValue | None] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    path: str | None = None

    def answer(self, criterion_id: str) -> Answer:
        return self.answers.get(criterion_id) or Answer()


@dataclass(frozen=True)
class CategoryScore:
    id: str
    title: str
    score: float | None  # None when every criterion of the category is N/A
    applicable: int
    answered: int
    na: int


@dataclass(frozen=True)
class Gap:
    id: str
    category: str
    category_title: str
    level: Level
    answer: str  # "no", "partial" or "unanswered"
    priority: Priority
    title: str
    ask: str
    remediation: str
    note: str | None = None
    evidence: tuple[str, ...] = ()
    action: Action | None = None


@dataclass(frozen=True)
class GateResult:
    id: str
    ask: str
    answer: str  # "yes", "no" or "unanswered"
    verified: bool = True


@dataclass(frozen=True)
class Result:
    questionnaire: Questionnaire
    assessment: Assessment
    overall: float | None  # None when no applicable criterion carries weight
    categories: tuple[CategoryScore, ...]
    verdict: Verdict
    provisional: bool
    eligibility: tuple[GateResult, ...]
    gaps: tuple[Gap, ...]
    answer_counts: dict[str, int]
    gap_counts: dict[str, int]
    warnings: tuple[str, ...] = ()

    @property
    def entity_type(self) -> EntityType:
        et = self.questionnaire.entity_type(self.assessment.entity_type)
        assert et is not None
        return et

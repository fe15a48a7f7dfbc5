"""The data that flows through aeo-check: questionnaires, answers, results.

Plain frozen dataclasses, standard library only. Loading (YAML -> model) lives in
:mod:`aeo_check.loading` and :mod:`aeo_check.answers`; scoring in :mod:`aeo_check.scoring`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


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
    BLOCKER = "blocker"  # an eligibility gate answered no
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


PRIORITY_ORDER: tuple[Priority, ...] = (
    Priority.BLOCKER,
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


class EvidenceLevel(StrEnum):
    """How a fact of the content was sourced (reference/second-pass.md)."""

    OFFICIAL = "official"  # read on the agency's own site or in its own document
    COPY = "copy"  # read in a stored copy of the agency's own document
    SECONDARY = "secondary"  # stated by a third party, or by the agency elsewhere
    INFERRED = "inferred"  # not seen for this program or business type; carried over

    @property
    def checked(self) -> bool:
        """True for the levels reports call "checked against the agency's text"."""
        return self in (EvidenceLevel.OFFICIAL, EvidenceLevel.COPY)


EVIDENCE_LEVELS: tuple[EvidenceLevel, ...] = tuple(EvidenceLevel)

EVIDENCE_LEVEL_LABELS: dict[EvidenceLevel, str] = {
    EvidenceLevel.OFFICIAL: "agency's own text",
    EvidenceLevel.COPY: "copy of the agency's text",
    EvidenceLevel.SECONDARY: "secondary source",
    EvidenceLevel.INFERRED: "inferred",
}


class Phase(IntEnum):
    FOUNDATIONS = 1
    CONTROLS = 2
    CHECKS = 3


PHASE_LABELS: dict[int, str] = {
    1: "Foundations",
    2: "Controls",
    3: "Checks and training",
}


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    date: str | None = None
    url: str | None = None
    evidence_level: EvidenceLevel = EvidenceLevel.INFERRED

    @property
    def verified(self) -> bool:
        return self.evidence_level.checked


@dataclass(frozen=True)
class Contact:
    label: str
    email: str | None = None
    url: str | None = None
    phone: str | None = None
    note: str | None = None
    evidence_level: EvidenceLevel = EvidenceLevel.INFERRED

    @property
    def verified(self) -> bool:
        return self.evidence_level.checked


@dataclass(frozen=True)
class ApplyStep:
    step: str
    url: str | None = None
    evidence_level: EvidenceLevel = EvidenceLevel.INFERRED

    @property
    def verified(self) -> bool:
        return self.evidence_level.checked


@dataclass(frozen=True)
class MutualRecognition:
    program: str
    name: str
    since: str
    evidence_level: EvidenceLevel = EvidenceLevel.INFERRED

    @property
    def verified(self) -> bool:
        return self.evidence_level.checked


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
    per_installation: bool = False  # the program certifies each installation (site) on its own

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
    ready_at: float | None = None  # optional extra condition for ready (custom questionnaires)
    nearly_ready_at: float = 70


@dataclass(frozen=True)
class SourceRef:
    doc: str
    ref: str


def _level_for(
    default: EvidenceLevel, by_type: tuple[tuple[str, EvidenceLevel], ...], entity: str | None
) -> EvidenceLevel:
    """A gate's or criterion's evidence level for one business type."""
    return next((level for et, level in by_type if et == entity), default)


@dataclass(frozen=True)
class Gate:
    """An eligibility gate: answered yes or no; a "no" means the company cannot apply yet."""

    id: str
    ask: str
    source: SourceRef
    evidence_level: EvidenceLevel
    guidance: str | None = None
    applies_to: tuple[str, ...] | None = None
    official_id: bool = True
    verification_note: str | None = None
    title: str | None = None
    remediation: str | None = None
    evidence_level_for: tuple[tuple[str, EvidenceLevel], ...] = ()  # (entity type, level)

    def applies(self, entity_type: str) -> bool:
        return self.applies_to is None or entity_type in self.applies_to

    def level_for(self, entity_type: str | None) -> EvidenceLevel:
        """The evidence level for one business type."""
        return _level_for(self.evidence_level, self.evidence_level_for, entity_type)

    @property
    def verified(self) -> bool:
        return self.evidence_level.checked

    @property
    def label(self) -> str:
        """What a reader sees: the short title, else the question (never a bare working id)."""
        return self.title or self.ask


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    level: Level
    ask: str
    guidance: str
    remediation: str
    source: SourceRef
    evidence_level: EvidenceLevel
    category_id: str
    applies_to: tuple[str, ...] | None = None
    evidence: tuple[str, ...] = ()
    weight: float | None = None
    official_id: bool = True
    local_title: str | None = None
    verification_note: str | None = None
    evidence_level_for: tuple[tuple[str, EvidenceLevel], ...] = ()  # (entity type, level)
    phase: int = 2
    na_when: str | None = None

    def applies(self, entity_type: str) -> bool:
        return self.applies_to is None or entity_type in self.applies_to

    def level_for(self, entity_type: str | None) -> EvidenceLevel:
        """The evidence level for one business type."""
        return _level_for(self.evidence_level, self.evidence_level_for, entity_type)

    @property
    def verified(self) -> bool:
        return self.evidence_level.checked

    def verified_for(self, entity_type: str) -> bool:
        """True when its id, level and applicability were read in the agency's text."""
        return self.level_for(entity_type).checked


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
    # business type id -> the questionnaire of its own profile (Mexico's E4, E6, ...): same
    # program, scoring and gates, its own categories. Empty for single-profile programs.
    profiles: dict[str, Questionnaire] = field(default_factory=dict, compare=False, repr=False)
    profile_document: str | None = None  # set on a profile's questionnaire: its document id

    def for_entity(self, entity_id: str) -> Questionnaire:
        """The questionnaire a business type answers: its profile's, or this one."""
        return self.profiles.get(entity_id, self)

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
        q = self.for_entity(entity_type)
        return tuple(g for g in q.eligibility if g.applies(entity_type))

    def applicable_criteria(self, entity_type: str) -> tuple[Criterion, ...]:
        q = self.for_entity(entity_type)
        return tuple(c for c in q.criteria() if c.applies(entity_type))

    def applicable_categories(self, entity_type: str) -> tuple[Category, ...]:
        """Categories that hold at least one criterion for this entity type, criteria filtered."""
        if entity_type in self.profiles:
            return self.profiles[entity_type].applicable_categories(entity_type)
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
class Installation:
    """The site assessed, where a program files a security profile per installation."""

    name: str | None = None
    address: str | None = None

    @property
    def given(self) -> bool:
        return bool(self.name or self.address)


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
    installation: Installation | None = None

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
    answer: str  # "no", "partial", "unanswered", or "na" (an N/A to justify)
    priority: Priority
    title: str
    ask: str
    remediation: str
    note: str | None = None
    evidence: tuple[str, ...] = ()
    action: Action | None = None
    phase: int = 2
    kind: str = "criterion"  # "criterion", or "gate" for an eligibility gate

    @property
    def is_gate(self) -> bool:
        return self.kind == "gate"

    @property
    def na_to_justify(self) -> bool:
        return self.answer == "na"


@dataclass(frozen=True)
class GateResult:
    id: str
    ask: str
    answer: str  # "yes", "no" or "unanswered"
    verified: bool = True
    title: str | None = None

    @property
    def label(self) -> str:
        return self.title or self.ask


@dataclass(frozen=True)
class QualityFinding:
    """A weakness of the answers themselves, which a validator would raise."""

    kind: str  # see QUALITY_KINDS
    id: str  # the criterion id
    message: str


QUALITY_KINDS: dict[str, str] = {
    "must-yes-no-evidence": "Must answered yes without evidence",
    "gap-no-action": "Partial or no without an action",
    "action-overdue": "Action past due and not done",
    "na-to-justify": "N/A to justify",
    "gap-no-note": "Partial or no without a note",
}


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
    quality: tuple[QualityFinding, ...] = ()

    @property
    def entity_type(self) -> EntityType:
        et = self.questionnaire.entity_type(self.assessment.entity_type)
        assert et is not None
        return et

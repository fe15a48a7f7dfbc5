"""The single source of truth for both file formats.

Each format is described once, as a tree of small type objects. The same tree
(1) converts a YAML node tree into plain values, collecting every problem with its line and
column, and (2) produces the published JSON Schema (``schemas/*.schema.json``) for editors.

Scalars are read as the text the user wrote: ``1.10`` stays ``"1.10"``, ``yes`` stays
``"yes"``. Only fields declared as numbers or booleans are parsed as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Problem

QUESTIONNAIRE_FORMAT = "aeo-check/questionnaire@1"
ANSWERS_FORMAT = "aeo-check/answers@1"

_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}


class LStr(str):
    """A string that remembers where it was written (1-based line and column)."""

    line: int | None
    col: int | None

    def __new__(cls, value: str, line: int | None = None, col: int | None = None) -> LStr:
        obj = super().__new__(cls, value)
        obj.line = line
        obj.col = col
        return obj


class LDict(dict):
    """A mapping that remembers where it and each of its keys were written."""

    line: int | None = None
    col: int | None = None
    key_pos: dict[str, tuple[int, int]]


class LList(list):
    line: int | None = None
    col: int | None = None


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class Ctx:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def error(self, node: Node | None, message: str) -> None:
        if node is None:
            self.problems.append(Problem(self.file, message))
        else:
            line, col = _pos(node)
            self.problems.append(Problem(self.file, message, line, col))


_MISSING = object()


def _plain(node: Node) -> bool:
    """A plain (unquoted) scalar: style None (pure-Python parser) or '' (libyaml)."""
    return isinstance(node, ScalarNode) and not node.style


def _is_null(node: Node) -> bool:
    return _plain(node) and (node.value in _NULLS or node.tag == "tag:yaml.org,2002:null")


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"{node.value!r}"


def _unquote(node: Node) -> str:
    """A hint for a number or boolean written in quotes (quoted text stays text)."""
    if isinstance(node, ScalarNode) and node.style in ("'", '"') and node.value.strip():
        return " in quotes; remove the quotes"
    return ""


class Type:
    description: str = ""

    def convert(self, node: Node, ctx: Ctx, where: str) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError


@dataclass
class Text(Type):
    description: str = ""
    pattern: str | None = None
    pattern_hint: str | None = None
    enum: tuple[str, ...] | None = None
    max_length: int = 20000
    fold_case: bool = False  # an enum value in any letter case reads as the lower-case value

    def convert(self, node: Node, ctx: Ctx, where: str) -> Any:
        if not isinstance(node, ScalarNode):
            ctx.error(node, f"{where}: expected text, found {_kind(node)}")
            return _MISSING
        value = node.value
        if _plain(node):
            value = value.strip()
        if not value.strip():
            ctx.error(node, f"{where}: must not be empty")
            return _MISSING
        if len(value) > self.max_length:
            ctx.error(node, f"{where}: text is longer than {self.max_length} characters")
            return _MISSING
        if self.fold_case and self.enum is not None and value.lower() in self.enum:
            value = value.lower()  # Yes, NO: read (and written back) as yes, no
        if self.enum is not None and value not in self.enum:
            ctx.error(node, f"{where}: {value!r} is not one of: {', '.join(self.enum)}")
            return _MISSING
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            hint = self.pattern_hint or f"must match {self.pattern}"
            ctx.error(node, f"{where}: {value!r} {hint}")
            return _MISSING
        line, col = _pos(node)
        return LStr(value, line, col)

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string", "minLength": 1}
        if self.enum is not None:
            out = {"type": "string", "enum": list(self.enum)}
        if self.pattern is not None:
            out["pattern"] = f"^(?:{self.pattern})$"
        if self.description:
            out["description"] = self.description
        return out


def Url(description: str = "") -> Text:
    return Text(
        description=description or "An https:// URL",
        pattern=r"https://[^\s/$.?#][^\s]*",
        pattern_hint="must be an https:// URL",
    )


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _not_a_real_date(value: str) -> str | None:
    """Why a value written like a date (YYYY-MM or YYYY-MM-DD) is not one; None if it is."""
    import calendar

    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", value)
    if m is None:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if m.group(3) is None:
        return None
    day = int(m.group(3))
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = _MONTHS[month - 1] + (f" {year}" if month == 2 else "")
        return f"{name} has {last} days"
    return None


@dataclass
class _Date(Text):
    """A date as text; a date that does not exist (2026-13-45, 2026-02-30) is named so."""

    def convert(self, node: Node, ctx: Ctx, where: str) -> Any:
        if isinstance(node, ScalarNode):
            raw = node.value.strip() if _plain(node) else node.value
            why = _not_a_real_date(raw)
            if why is not None:
                ctx.error(node, f"{where}: {raw!r} is not a real date ({why})")
                return _MISSING
        return super().convert(node, ctx, where)


def DateText(description: str = "") -> Text:
    return _Date(
        description=description or 'A date as text: "YYYY", "YYYY-MM" or "YYYY-MM-DD"',
        pattern=r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?",
        pattern_hint='must be a date written "YYYY", "YYYY-MM" or "YYYY-MM-DD"',
    )


def Id(description: str = "") -> Text:
    return Text(
        description=description or "An identifier, exactly as the program writes it",
        pattern=r"[A-Za-z0-9][A-Za-z0-9._\-/()]{0,63}",
        pattern_hint="is not a valid id (letters, digits, '.', '-', '_', '/', '(', ')'; "
        "at most 64 characters)",
    )


def Slug(description: str = "") -> Text:
    return Text(
        description=description or "A lower-case id: letters, digits and '-'",
        pattern=r"[a-z0-9][a-z0-9-]{0,63}",
        pattern_hint="must be lower-case letters, digits and '-'",
    )


@dataclass
class Number(Type):
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    integer: bool = False

    def convert(self, node: Node, ctx: Ctx, where: str) -> Any:
        if not _plain(node):
            ctx.error(node, f"{where}: expected a number, found {_kind(node)}{_unquote(node)}")
            return _MISSING
        try:
            value: float = (
                int(node.value) if re.fullmatch(r"-?\d+", node.value) else float(node.value)
            )
        except ValueError:
            ctx.error(node, f"{where}: expected a number, found {node.value!r}")
            return _MISSING
        if value != value or value in (float("inf"), float("-inf")):
            ctx.error(node, f"{where}: expected a finite number")
            return _MISSING
        if abs(value) > 1e15:  # reports format numbers as floats: 10**400 would overflow
            ctx.error(node, f"{where}: {node.value[:20]!r} is too large (at most 1e15)")
            return _MISSING
        if self.integer and value != int(value):
            ctx.error(node, f"{where}: must be a whole number")
            return _MISSING
        if self.minimum is not None and value < self.minimum:
            ctx.error(node, f"{where}: must be at least {self.minimum:g}")
            return _MISSING
        if self.maximum is not None and value > self.maximum:
            ctx.error(node, f"{where}: must be at most {self.maximum:g}")
            return _MISSING
        if self.exclusive_minimum is not None and value <= self.exclusive_minimum:
            ctx.error(node, f"{where}: must be greater than {self.exclusive_minimum:g}")
            return _MISSING
        return value

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.exclusive_minimum is not None:
            out["exclusiveMinimum"] = self.exclusive_minimum
        if self.description:
            out["description"] = self.description
        return out


@dataclass
class Bool(Type):
    description: str = ""

    def convert(self, node: Node, ctx: Ctx, where: str) -> Any:
        if _plain(node):
            low = node.value.lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
        ctx.error(node, f"{where}: expected true or false, found {_kind(node)}{_unquote(node)}")
        return _MISSING

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "boolean"}
        if self.description:
            out["description"] = self.description
        return out


@dataclass
class ListOf(Type):
    item: Type
    description: str = ""
    min_items: int = 0
    max_items: int = 10000

    def convert(self, node: Node, ctx: Ctx, where: str) -> Any:
        if not isinstance(node, SequenceNode):
            ctx.error(node, f"{where}: expected a list, found {_kind(node)}")
            return _MISSING
        if len(node.value) < self.min_items:
            ctx.error(node, f"{where}: needs at least {self.min_items} item(s)")
        if len(node.value) > self.max_items:
            ctx.error(node, f"{where}: has more than {self.max_items} items")
            return _MISSING
        out = LList()
        out.line, out.col = _pos(node)
        for i, child in enumerate(node.value):
            if _is_null(child):
                ctx.error(child, f"{where}[{i + 1}]: empty list item")
                continue
            value = self.item.convert(child, ctx, f"{where}[{i + 1}]")
            if value is not _MISSING:
                out.append(value)
        return out

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            out["minItems"] = self.min_items
        if self.description:
            out["description"] = self.description
        return out


@dataclass
class F:
    """A field of an :class:`Obj`."""

    type: Type
    required: bool = False
    nullable: bool = False
    description: str = ""


@dataclass
class Obj(Type):
    fields: dict[str, F]
    description: str = ""
    title: str | None = None
    allow_extra: bool = False

    def convert(self, node: Node, ctx: Ctx, where: str) -> Any:
        if not isinstance(node, MappingNode):
            what = where or "the file"  # the top level: no key to name
            ctx.error(node, f"{what}: expected a mapping (key: value), found {_kind(node)}")
            return _MISSING
        out = LDict()
        out.line, out.col = _pos(node)
        out.key_pos = {}
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                ctx.error(key_node, f"{where}: keys must be plain text")
                continue
            key = key_node.value
            path = f"{where}.{key}" if where else key
            if key in seen:
                ctx.error(key_node, f"{path}: duplicate key (each key may appear only once)")
                continue
            seen.add(key)
            spec = self.fields.get(key)
            if spec is None:
                if self.allow_extra:
                    continue
                known = ", ".join(self.fields)
                ctx.error(key_node, f"{path}: unknown key {key!r} (expected one of: {known})")
                continue
            out.key_pos[key] = _pos(key_node)
            if _is_null(value_node):
                if spec.required and not spec.nullable:
                    ctx.error(value_node, f"{path}: must not be empty")
                out[key] = None
                continue
            value = spec.type.convert(value_node, ctx, path)
            if value is not _MISSING:
                out[key] = value
        for name, spec in self.fields.items():
            if spec.required and name not in seen:
                ctx.error(node, f"{where + '.' if where else ''}{name}: missing (required)")
        return out

    def json_schema(self) -> dict[str, Any]:
        props: dict[str, Any] = {}
        required = []
        for name, spec in self.fields.items():
            sub = spec.type.json_schema()
            if spec.description:
                sub = {**sub, "description": spec.description}
            if spec.nullable:
                sub = {"anyOf": [sub, {"type": "null"}], "description": sub.get("description", "")}
            props[name] = sub
            if spec.required:
                required.append(name)
        out: dict[str, Any] = {
            "type": "object",
            "properties": props,
            "additionalProperties": self.allow_extra,
        }
        if required:
            out["required"] = required
        if self.title:
            out["title"] = self.title
        if self.description:
            out["description"] = self.description
        return out


@dataclass
class MapOf(Type):
    """A mapping with user-chosen keys (criterion ids) and values of one type."""

    key: Text
    value: Type
    description: str = ""
    nullable_values: bool = True

    def convert(self, node: Node, ctx: Ctx, where: str) -> Any:
        if not isinstance(node, MappingNode):
            shape = "id: answer" if self.nullable_values else "key: value"
            ctx.error(node, f"{where}: expected a mapping ({shape}), found {_kind(node)}")
            return _MISSING
        out = LDict()
        out.line, out.col = _pos(node)
        out.key_pos = {}
        for key_node, value_node in node.value:
            key = self.key.convert(key_node, ctx, f"{where} key")
            if key is _MISSING:
                continue
            path = f"{where}.{key}"
            if key in out or key in out.key_pos:
                ctx.error(
                    key_node,
                    f"{path}: duplicate key {str(key)!r} (each id may appear only once; "
                    "unquoted numbers such as 1.10 and 1.1 are different ids here)",
                )
                continue
            out.key_pos[key] = _pos(key_node)
            if _is_null(value_node):
                if not self.nullable_values:
                    ctx.error(value_node, f"{path}: must not be empty")
                    continue
                out[key] = None
                continue
            value = self.value.convert(value_node, ctx, path)
            if value is not _MISSING:
                out[key] = value
        return out

    def json_schema(self) -> dict[str, Any]:
        value = self.value.json_schema()
        if self.nullable_values:
            value = {"anyOf": [value, {"type": "null"}]}
        out: dict[str, Any] = {
            "type": "object",
            "propertyNames": self.key.json_schema(),
            "additionalProperties": value,
        }
        if self.description:
            out["description"] = self.description
        return out


@dataclass
class ScalarOrObj(Type):
    """A short scalar form or a long mapping form (answers: ``yes`` or ``{answer: yes, ...}``)."""

    scalar: Type
    obj: Obj
    description: str = ""

    def convert(self, node: Node, ctx: Ctx, where: str) -> Any:
        if isinstance(node, MappingNode):
            return self.obj.convert(node, ctx, where)
        return self.scalar.convert(node, ctx, where)

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"anyOf": [self.scalar.json_schema(), self.obj.json_schema()]}
        if self.description:
            out["description"] = self.description
        return out


# --------------------------------------------------------------------------------------------
# The questionnaire format
# --------------------------------------------------------------------------------------------

QUESTIONNAIRE_PROFILE_FORMAT = "aeo-check/profile@1"
EVIDENCE_LEVEL_VALUES = ("official", "copy", "secondary", "inferred")

_VERIFIED = F(
    Bool(),
    description="Deprecated (use evidence_level): true read as 'copy', false as 'inferred'",
)

_EVIDENCE_LEVEL = F(
    Text(enum=EVIDENCE_LEVEL_VALUES),
    description="How this fact was sourced: official (the agency's own text), copy (a stored "
    "copy of it), secondary (a third party, or the agency elsewhere), inferred (not seen)",
)

DOCUMENT = Obj(
    {
        "id": F(Slug("Short handle used by source.doc"), required=True),
        "title": F(Text(), required=True),
        "date": F(DateText("Edition date; omit when it is not known")),
        "url": F(Url()),
        "evidence_level": _EVIDENCE_LEVEL,
        "verified": _VERIFIED,
    },
    description="A source document",
)

SOURCE = Obj(
    {
        "doc": F(Slug("The id of a document declared under program"), required=True),
        "ref": F(
            Text(description="The place in the document: criterion id, section, page"),
            required=True,
        ),
    },
    description="Where this item comes from",
)

CONTACT = Obj(
    {
        "label": F(Text(), required=True),
        "email": F(
            Text(pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+", pattern_hint="is not an e-mail address")
        ),
        "url": F(Url()),
        "phone": F(Text()),
        "note": F(Text(description="What the contact is for, written for the client")),
        "evidence_level": _EVIDENCE_LEVEL,
        "verified": _VERIFIED,
    }
)

APPLY_STEP = Obj(
    {
        "step": F(Text(), required=True),
        "url": F(Url()),
        "evidence_level": _EVIDENCE_LEVEL,
        "verified": _VERIFIED,
    }
)

MUTUAL_RECOGNITION = Obj(
    {
        "program": F(Slug("Partner program id"), required=True),
        "name": F(Text(), required=True),
        "since": F(DateText(), required=True),
        "evidence_level": _EVIDENCE_LEVEL,
        "verified": _VERIFIED,
    }
)

PROGRAM = Obj(
    {
        "name": F(Text(), required=True),
        "short_name": F(Text(), required=True),
        "agency": F(Text(), required=True),
        "description": F(Text(description="One paragraph about the program")),
        "country": F(
            Text(pattern=r"[A-Z]{2}", pattern_hint="must be a two-letter country code"),
            required=True,
        ),
        "url": F(Url(), required=True),
        "ids_note": F(Text(description="Shown when criterion ids are working ids")),
        "per_installation": F(
            Bool(
                description="true when the program takes a security profile per installation: "
                "answers files then name the installation assessed"
            )
        ),
        "criteria_document": F(DOCUMENT, required=True),
        "documents": F(ListOf(DOCUMENT)),
        "contacts": F(ListOf(CONTACT, min_items=1), required=True),
        "apply": F(ListOf(APPLY_STEP, min_items=1), required=True),
        "benefits": F(ListOf(Text()), required=True),
        "mutual_recognition": F(ListOf(MUTUAL_RECOGNITION)),
    }
)

ENTITY_TYPE = Obj(
    {
        "id": F(Slug(), required=True),
        "name": F(Text(), required=True),
        "description": F(Text()),
    }
)

SCORING = Obj(
    {
        "must_weight": F(Number(exclusive_minimum=0), required=True),
        "should_weight": F(Number(exclusive_minimum=0), required=True),
        "ready_at": F(
            Number(minimum=0, maximum=100),
            description="Optional: a score 'ready' also needs (the bundled programs set none)",
        ),
        "nearly_ready_at": F(Number(minimum=0, maximum=100), required=True),
    }
)

_APPLIES_TO = F(
    ListOf(Slug(), min_items=1),
    description="Entity type ids this applies to; omitted means every entity type",
)

_EVIDENCE_LEVEL_FOR = F(
    MapOf(
        Text(enum=EVIDENCE_LEVEL_VALUES),
        ListOf(Slug(), min_items=1),
        nullable_values=False,
    ),
    description="Where the level differs by business type: level -> business type ids",
)

GATE = Obj(
    {
        "id": F(Id(), required=True),
        "official_id": F(Bool(description="false for a working id the program does not publish")),
        "title": F(Text(description="A short label shown instead of the id")),
        "ask": F(Text(), required=True),
        "guidance": F(Text()),
        "remediation": F(Text(description="What to do to meet the gate when the answer is no")),
        "applies_to": _APPLIES_TO,
        "source": F(SOURCE, required=True),
        "evidence_level": _EVIDENCE_LEVEL,
        "evidence_level_for": _EVIDENCE_LEVEL_FOR,
        "verified": _VERIFIED,
        "verification_note": F(Text(description="How the fact was sourced (methodology only)")),
    }
)

CRITERION = Obj(
    {
        "id": F(Id("The program's own identifier, exactly"), required=True),
        "official_id": F(Bool(description="false for a working id the program does not publish")),
        "title": F(Text(description="A short label"), required=True),
        "local_title": F(Text(description="The official name in the program's language")),
        "level": F(Text(enum=("must", "should")), required=True),
        "weight": F(Number(exclusive_minimum=0, description="Overrides the level's weight")),
        "applies_to": _APPLIES_TO,
        "ask": F(Text(), required=True),
        "guidance": F(Text(), required=True),
        "remediation": F(Text(), required=True),
        "evidence": F(ListOf(Text())),
        "phase": F(
            Number(minimum=1, maximum=3, integer=True),
            description="1 foundations, 2 controls, 3 checks and training (default 2)",
        ),
        "na_when": F(
            Text(description="When N/A is legitimate, in plain words for the client"),
        ),
        "source": F(SOURCE, required=True),
        "evidence_level": _EVIDENCE_LEVEL,
        "evidence_level_for": _EVIDENCE_LEVEL_FOR,
        "verified": _VERIFIED,
        "unverified_for": F(
            ListOf(Slug(), min_items=1),
            description="Deprecated (use evidence_level_for): business types read as 'inferred'",
        ),
        "verification_note": F(Text(description="How the fact was sourced (methodology only)")),
    }
)

CATEGORY = Obj(
    {
        "id": F(Id(), required=True),
        "title": F(Text(), required=True),
        "local_title": F(Text()),
        "focus_area": F(Text()),
        "description": F(Text()),
        "criteria": F(ListOf(CRITERION, min_items=1), required=True),
    }
)

QUESTIONNAIRE = Obj(
    {
        "format": F(Text(enum=(QUESTIONNAIRE_FORMAT,)), required=True),
        "id": F(Slug("Program id used on the command line"), required=True),
        "version": F(Text(description="Questionnaire version"), required=True),
        "language": F(Text(pattern=r"[a-z]{2}", pattern_hint="must be a language code")),
        "program": F(PROGRAM, required=True),
        "entity_types": F(ListOf(ENTITY_TYPE, min_items=1), required=True),
        "scoring": F(SCORING, required=True),
        "eligibility": F(ListOf(GATE)),
        "categories": F(ListOf(CATEGORY, min_items=1), required=True),
    },
    title="aeo-check questionnaire",
    description="One program's security questionnaire (aeo-check/questionnaire@1)",
)

PROFILE = Obj(
    {
        "format": F(Text(enum=(QUESTIONNAIRE_PROFILE_FORMAT,)), required=True),
        "program": F(Slug("The program id of the base questionnaire"), required=True),
        "entity_types": F(
            ListOf(Slug(), min_items=1),
            required=True,
            description="Business types (declared in the base questionnaire) this profile serves",
        ),
        "document": F(
            Slug("The id of the base questionnaire's document that holds this profile"),
            required=True,
        ),
        "eligibility": F(ListOf(GATE), description="Gates of this profile only"),
        "categories": F(ListOf(CATEGORY, min_items=1), required=True),
    },
    title="aeo-check questionnaire profile",
    description="The criteria of one security profile of a program whose business types answer "
    "different profiles (aeo-check/profile@1), in questionnaires/<program>/<profile>.yaml",
)

# --------------------------------------------------------------------------------------------
# The answers format
# --------------------------------------------------------------------------------------------

ANSWER_VALUES = ("yes", "partial", "no", "na")

ACTION = Obj(
    {
        "owner": F(Text(), nullable=True),
        "due": F(DateText("Due date, YYYY-MM-DD"), nullable=True),
        "status": F(Text(enum=("planned", "in-progress", "done", "blocked")), nullable=True),
    },
    description="The remediation task for this gap",
)

ANSWER_LONG = Obj(
    {
        "answer": F(
            Text(enum=ANSWER_VALUES, fold_case=True),
            nullable=True,
            description="yes | partial | no | na; empty = unanswered",
        ),
        "note": F(Text(), nullable=True, description="Required when the answer is na"),
        "evidence": F(ListOf(Text()), nullable=True),
        "action": F(ACTION, nullable=True),
        "carried_from": F(
            Text(description="Set when pre-filled from another program's answers"), nullable=True
        ),
    }
)

ANSWER = ScalarOrObj(
    Text(enum=ANSWER_VALUES, fold_case=True),
    ANSWER_LONG,
    description="yes | partial | no | na, or a mapping with answer, note, evidence, action",
)

COMPANY = Obj(
    {
        "name": F(Text(), nullable=True),
        "country": F(Text(), nullable=True),
        "address": F(Text(), nullable=True),
        "contact": F(Text(), nullable=True),
        "email": F(Text(), nullable=True),
        "phone": F(Text(), nullable=True),
    }
)

ANSWERS = Obj(
    {
        "format": F(Text(enum=(ANSWERS_FORMAT,)), required=True),
        "program": F(Slug("Program id"), required=True),
        "questionnaire_version": F(Text(), nullable=True),
        "entity_type": F(Slug("Business type id"), required=True),
        "company": F(COMPANY, nullable=True),
        "assessor": F(Text(), nullable=True),
        "assessed_on": F(DateText("Date of the assessment, YYYY-MM-DD"), nullable=True),
        "installation": F(
            Obj(
                {
                    "name": F(Text(), nullable=True),
                    "address": F(Text(), nullable=True),
                },
                description="The site assessed (programs with a profile per installation)",
            ),
            nullable=True,
        ),
        "eligibility": F(
            MapOf(Id(), Text(enum=("yes", "no"), fold_case=True)),
            nullable=True,
            description="Eligibility gate id: yes | no; empty = unanswered",
        ),
        "answers": F(
            MapOf(Id(), ANSWER),
            nullable=True,
            description="Criterion id: answer; empty = unanswered",
        ),
    },
    title="aeo-check answers",
    description="One company's answers to one program (aeo-check/answers@1)",
)


# --------------------------------------------------------------------------------------------
# The crosswalk format (links between criteria of the bundled programs)
# --------------------------------------------------------------------------------------------

CROSSWALK_FORMAT = "aeo-check/crosswalk@1"
CROSSWALK_PROGRAMS = ("ctpat", "pip", "oea")

CROSSWALK_LINK = Obj(
    {
        **{
            prog: F(Id(f"A {prog} criterion id, exactly as in questionnaires/{prog}.yaml"))
            for prog in CROSSWALK_PROGRAMS
        },
        "relation": F(
            Text(enum=("equivalent", "partial")),
            required=True,
            description="equivalent: a yes for one is a yes for the other; "
            "partial: related, must be confirmed",
        ),
        "reason": F(Text(description="One line: why these criteria match"), required=True),
    },
    description="A link between criteria of exactly two programs",
)

CROSSWALK_ENTITIES = Obj(
    {prog: F(Slug(f"A {prog} business type id")) for prog in CROSSWALK_PROGRAMS},
    description="Business types of different programs that describe the same kind of company",
)

CROSSWALK = Obj(
    {
        "format": F(Text(enum=(CROSSWALK_FORMAT,)), required=True),
        "entity_types": F(ListOf(CROSSWALK_ENTITIES, min_items=1), required=True),
        "links": F(ListOf(CROSSWALK_LINK, min_items=1), required=True),
    },
    title="aeo-check crosswalk",
    description="Mutual-recognition crosswalk between program criteria (aeo-check/crosswalk@1)",
)


@dataclass
class Converted:
    value: Any
    problems: list[Problem] = field(default_factory=list)


def convert(schema: Obj, node: Node | None, file: str) -> Converted:
    ctx = Ctx(file)
    if node is None:
        ctx.error(None, "the file is empty")
        return Converted(None, ctx.problems)
    value = schema.convert(node, ctx, "")
    return Converted(None if value is _MISSING else value, ctx.problems)


def json_schema(schema: Obj) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema.json_schema()}


def published_schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema, as published in ``schemas/``."""
    return {
        "questionnaire.schema.json": json_schema(QUESTIONNAIRE),
        "profile.schema.json": json_schema(PROFILE),
        "answers.schema.json": json_schema(ANSWERS),
        "crosswalk.schema.json": json_schema(CROSSWALK),
    }

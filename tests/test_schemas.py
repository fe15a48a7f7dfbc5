"""The published JSON Schemas are generated from the loader's definition and kept current."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from generate_schemas import rendered  # noqa: E402


def test_published_schemas_are_current():
    for name, text in rendered().items():
        published = (ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert published == text, (
            f"schemas/{name} is stale: run 'python tools/generate_schemas.py' and commit it"
        )


def test_schema_knows_every_criterion_field_the_loader_accepts():
    doc = json.loads((ROOT / "schemas" / "questionnaire.schema.json").read_text(encoding="utf-8"))
    crit = doc["properties"]["categories"]["items"]["properties"]["criteria"]["items"]
    assert {
        "id",
        "level",
        "applies_to",
        "ask",
        "guidance",
        "remediation",
        "evidence",
        "source",
        "phase",
        "na_when",
        "evidence_level",
        "evidence_level_for",
        "verified",  # deprecated forms, still read
        "unverified_for",
    } <= set(crit["properties"])
    assert crit["properties"]["evidence_level"]["enum"] == [
        "official",
        "copy",
        "secondary",
        "inferred",
    ]
    assert crit["properties"]["level"]["enum"] == ["must", "should"]
    assert crit["additionalProperties"] is False
    answers = json.loads((ROOT / "schemas" / "answers.schema.json").read_text(encoding="utf-8"))
    assert answers["properties"]["format"]["enum"] == ["aeo-check/answers@1"]


def test_bundled_questionnaires_match_the_json_schema():
    """Cross-check with an independent validator when one is installed."""
    import pytest

    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads(
        (ROOT / "schemas" / "questionnaire.schema.json").read_text(encoding="utf-8")
    )
    for path in sorted((ROOT / "questionnaires").glob("*.yaml")):
        if path.stem == "crosswalk":
            continue
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        # BaseLoader reads every scalar as text; the schema's numbers and booleans need types
        del data["scoring"]
        schema_copy = json.loads(json.dumps(schema))
        schema_copy["required"] = [r for r in schema_copy["required"] if r != "scoring"]
        _strip_non_string_types(data, schema_copy)
        jsonschema.validate(data, schema_copy)
    profile = json.loads((ROOT / "schemas" / "profile.schema.json").read_text(encoding="utf-8"))
    _strip_non_string_types(None, profile)
    paths = sorted((ROOT / "questionnaires").glob("*/*.yaml"))
    assert paths  # Mexico's OEA profiles
    for path in paths:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        jsonschema.validate(data, profile)


def _strip_non_string_types(data, schema):  # pragma: no cover - helper
    """Replace boolean/number sub-schemas by string ones (BaseLoader gives text)."""
    if isinstance(schema, dict):
        if schema.get("type") in ("boolean", "number", "integer"):
            schema.clear()
            schema["type"] = "string"
        for v in list(schema.values()):
            _strip_non_string_types(data, v)
    elif isinstance(schema, list):
        for v in schema:
            _strip_non_string_types(data, v)

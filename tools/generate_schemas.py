"""Regenerate schemas/*.schema.json from src/aeo_check/schema.py (the loader's own definition).

Run: python tools/generate_schemas.py   (tests/test_schemas.py fails when the copies are stale)
"""

from __future__ import annotations

import json
from pathlib import Path

from aeo_check.schema import published_schemas

OUT = Path(__file__).resolve().parents[1] / "schemas"


def rendered() -> dict[str, str]:
    return {
        name: json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        for name, doc in published_schemas().items()
    }


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, text in rendered().items():
        (OUT / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote schemas/{name}")


if __name__ == "__main__":
    main()

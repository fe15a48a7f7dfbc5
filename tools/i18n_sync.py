"""Create or update the PO files of the questionnaire text (like msgmerge).

    python tools/i18n_sync.py            # every bundled questionnaire, French and Spanish
    python tools/i18n_sync.py --check    # exit 1 when a file is missing, stale or incomplete

For each entry: a new English text gets an empty msgstr; a changed English text keeps the old
translation, marked "#, fuzzy" with the new msgid, until a translator checks it; entries whose
text is gone are dropped. See docs/translating.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from aeo_check import catalog  # noqa: E402
from aeo_check.i18n_content import Entry, po_path, read_po, sources, write_po  # noqa: E402

TARGETS = ("fr", "es")


def merged(texts: list[tuple[str, str]], old: list[Entry]) -> list[Entry]:
    by_ctx = {e.context: e for e in old}
    out = []
    for ctx, en in texts:
        prev = by_ctx.get(ctx)
        if prev is None:
            out.append(Entry(ctx, en))
        elif prev.msgid == en:
            out.append(prev)
        else:
            out.append(Entry(ctx, en, prev.msgstr, fuzzy=bool(prev.msgstr)))
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    root = ROOT / "questionnaires"
    problems = 0
    for source, texts in sources(catalog.all_programs()).items():
        for lang in TARGETS:
            path = po_path(root, lang, source)
            old = read_po(path) if path.exists() else []
            new = merged(texts, old)
            if check:
                todo = [e for e in new if e.fuzzy or not e.msgstr]
                if todo or not path.exists():
                    problems += 1
                    print(f"{path.relative_to(ROOT)}: {len(todo)} of {len(new)} to translate")
                continue
            write_po(path, new, language=lang, source=source)
            todo = sum(1 for e in new if e.fuzzy or not e.msgstr)
            print(f"{path.relative_to(ROOT)}: {len(new)} entries, {todo} to translate")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

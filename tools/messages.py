"""The interface text catalogs: extract, merge and compile (stdlib only; no xgettext needed).

    python tools/messages.py            # extract from src/, update fr/es .po, compile the .mo
    python tools/messages.py --check    # exit 1 when a catalog is stale or incomplete

Messages are the string literals passed to ``_()``, ``N_()``, ``gettext()``, ``ngettext()`` and
``pgettext()`` in ``src/aeo_check``. The template is ``src/aeo_check/locale/aeo_check.pot``.
Translations live in one PO file per language and *area* (``src/aeo_check/locale/<lang>/<area>.po``,
area = where the message is first used: ``interview``, ``reports``, ``workbook`` or ``cli``), so
that a translator, or two people working at once, can take one area without touching the others.
All areas of a language compile into one ``locale/<lang>/LC_MESSAGES/aeo_check.mo`` (committed,
shipped in the wheel; a test checks it is current). See docs/translating.md.
"""

from __future__ import annotations

import ast
import re
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "aeo_check"
LOCALE = SRC / "locale"
LANGS = ("fr", "es")
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);", "es": "nplurals=2; plural=(n != 1);"}
DOMAIN = "aeo_check"
FUNCS = {"_": 1, "N_": 1, "gettext": 1, "ngettext": 2, "pgettext": 2}


@dataclass
class Msg:
    msgid: str
    plural: str | None = None
    context: str | None = None
    strs: list[str] = field(default_factory=list)  # [msgstr] or [msgstr[0], msgstr[1]]
    fuzzy: bool = False
    refs: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)

    @property
    def translated(self) -> bool:
        return bool(self.strs) and all(self.strs) and not self.fuzzy


def extract(src: Path = SRC) -> list[Msg]:
    found: dict[tuple[str | None, str], Msg] = {}
    for path in sorted(src.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        rel = path.relative_to(src.parent).as_posix()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            fn = node.func
            name = (
                fn.id
                if isinstance(fn, ast.Name)
                else fn.attr
                if isinstance(fn, ast.Attribute)
                else None
            )
            if name not in FUNCS:
                continue
            args = node.args
            if not args or not all(
                isinstance(a, ast.Constant) and isinstance(a.value, str)
                for a in args[: FUNCS[name]]
            ):
                continue
            if name == "ngettext":
                msg = Msg(args[0].value, plural=args[1].value)
            elif name == "pgettext":
                msg = Msg(args[1].value, context=args[0].value)
            else:
                msg = Msg(args[0].value)
            if not msg.msgid:
                continue
            prev = found.setdefault(msg.key, msg)
            prev.refs.append(f"{rel}:{node.lineno}")
    return sorted(
        found.values(), key=lambda m: (m.refs[0].split(":")[0], int(m.refs[0].split(":")[1]))
    )


# --------------------------------------------------------------------------------------------
# PO files
# --------------------------------------------------------------------------------------------

_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}


def _q(text: str) -> str:
    return '"' + "".join(_ESC.get(c, c) for c in text) + '"'


def _uq(token: str) -> str:
    return re.sub(
        r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), token[1:-1]
    )


def _lines(keyword: str, text: str) -> list[str]:
    if len(text) < 70 and "\n" not in text[:-1]:
        return [f"{keyword} {_q(text)}"]
    out = [f'{keyword} ""']
    cur = ""
    for piece in re.findall(r"[^\s]*\s*", text):
        if not piece:
            continue
        if cur and (len(_q(cur + piece)) > 78 or cur.endswith("\n")):
            out.append(_q(cur))
            cur = ""
        cur += piece
    if cur:
        out.append(_q(cur))
    return out


def write_po(path: Path, msgs: list[Msg], lang: str | None) -> None:
    head = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"']
    if lang:
        head += [f'"Language: {lang}\\n"', f'"Plural-Forms: {PLURAL_FORMS[lang]}\\n"']
    out = [
        "# aeo-check interface messages" + (f", {lang}" if lang else " (template)") + ".",
        *head,
        "",
    ]
    for m in msgs:
        out += [f"#: {' '.join(m.refs[:3])}"]
        if m.fuzzy:
            out.append("#, fuzzy")
        if m.context is not None:
            out.append(f"msgctxt {_q(m.context)}")
        out += _lines("msgid", m.msgid)
        if m.plural is not None:
            out += _lines("msgid_plural", m.plural)
            strs = m.strs if len(m.strs) == 2 else ["", ""]
            out += _lines("msgstr[0]", strs[0]) + _lines("msgstr[1]", strs[1])
        else:
            out += _lines("msgstr", m.strs[0] if m.strs else "")
        out.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8", newline="\n")


def read_po(path: Path) -> list[Msg]:
    msgs: list[Msg] = []
    cur: dict[str, str] = {}
    last: str | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal cur, last, fuzzy
        if cur.get("msgid"):
            strs = [cur[k] for k in ("msgstr[0]", "msgstr[1]") if k in cur] or [
                cur.get("msgstr", "")
            ]
            msgs.append(Msg(cur["msgid"], cur.get("msgid_plural"), cur.get("msgctxt"), strs, fuzzy))
        cur, last, fuzzy = {}, None, False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        # a blank line ends an entry; so does a git conflict marker, so that after a merge
        # conflict re-running this tool keeps the translations of both sides
        if not line or line.startswith(("<<<<<<<", "|||||||", "=======", ">>>>>>>")):
            flush()
            continue
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr\[\d\]|msgstr)\s+(".*")$', line)
        if m:
            last = m.group(1)
            cur[last] = _uq(m.group(2))
        elif line.startswith('"') and last:
            cur[last] += _uq(line)
    flush()
    return msgs


def merge(template: list[Msg], old: list[Msg]) -> list[Msg]:
    by_key = {m.key: m for m in old}
    out = []
    for t in template:
        prev = by_key.get(t.key)
        strs = prev.strs if prev is not None and (prev.plural is None) == (t.plural is None) else []
        fuzzy = prev.fuzzy if prev is not None and prev.plural == t.plural else bool(strs)
        out.append(Msg(t.msgid, t.plural, t.context, list(strs), fuzzy, t.refs))
    return out


def compile_mo(msgs: list[Msg], lang: str) -> bytes:
    """A GNU .mo file (the format gettext reads): translated, non-fuzzy messages only."""
    header = (
        "Content-Type: text/plain; charset=UTF-8\n"
        f"Language: {lang}\nPlural-Forms: {PLURAL_FORMS[lang]}\n"
    )
    pairs = {b"": header.encode("utf-8")}
    for m in msgs:
        if not m.translated:
            continue
        key = m.msgid if m.plural is None else m.msgid + "\0" + m.plural
        if m.context is not None:
            key = m.context + "\x04" + key
        pairs[key.encode("utf-8")] = "\0".join(m.strs).encode("utf-8")
    keys = sorted(pairs)
    ids = b""
    strs = b""
    offsets = []
    for k in keys:
        v = pairs[k]
        offsets.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    n = len(keys)
    start = 7 * 4 + n * 16
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, start + o1]
        voffsets += [l2, start + len(ids) + o2]
    out = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + n * 8, 0, 0)
    out += struct.pack(f"{len(koffsets)}i", *koffsets)
    out += struct.pack(f"{len(voffsets)}i", *voffsets)
    return out + ids + strs


# Area of a message: the first matching prefix of the file that first uses it (paths relative
# to src/); anything else is "cli".
AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("interview", ("aeo_check/interview.py",)),
    (
        "reports",
        (
            "aeo_check/reports/",
            "aeo_check/plan.py",
            "aeo_check/scoring.py",
            "aeo_check/pipeline.py",
            "aeo_check/api.py",
            "aeo_check/batch.py",
        ),
    ),
    ("workbook", ("aeo_check/workbook",)),
    ("cli", ("",)),
)
AREA_NAMES = tuple(name for name, _ in AREAS)


def area_of(msg: Msg) -> str:
    first = msg.refs[0].split(":")[0] if msg.refs else ""
    return next(name for name, prefixes in AREAS if first.startswith(prefixes))


def po_path(lang: str, area: str) -> Path:
    return LOCALE / lang / f"{area}.po"


def mo_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def read_pool(lang: str) -> list[Msg]:
    """Every translation of ``lang``, whichever area file holds it now."""
    pool: list[Msg] = []
    for po in sorted((LOCALE / lang).glob("*.po")):
        pool += read_po(po)
    return pool


def by_area(msgs: list[Msg]) -> dict[str, list[Msg]]:
    out: dict[str, list[Msg]] = {name: [] for name in AREA_NAMES}
    for m in msgs:
        out[area_of(m)].append(m)
    return out


def status(template: list[Msg] | None = None) -> list[str]:
    """One line per area file that has something left to translate or whose .mo is not
    current; empty when every catalog is complete and compiled."""
    template = extract() if template is None else template
    lines = []
    for lang in LANGS:
        msgs = merge(template, read_pool(lang))
        for area, area_msgs in by_area(msgs).items():
            todo = [m for m in area_msgs if not m.translated]
            if todo:
                lines.append(
                    f"{po_path(lang, area).relative_to(ROOT)}: {len(todo)} of {len(area_msgs)}"
                    f" to translate (first: {todo[0].msgid[:60]!r})"
                )
        mo = mo_path(lang)
        if not mo.exists() or mo.read_bytes() != compile_mo(msgs, lang):
            lines.append(f"{mo.relative_to(ROOT)}: not current (run python tools/messages.py)")
    return lines


def main(argv: list[str]) -> int:
    template = extract()
    if "--check" in argv:
        lines = status(template)
        print("\n".join(lines) if lines else "every catalog is complete and compiled")
        return 1 if lines else 0
    write_po(LOCALE / f"{DOMAIN}.pot", template, None)
    for lang in LANGS:
        msgs = merge(template, read_pool(lang))
        for area, area_msgs in by_area(msgs).items():
            po = po_path(lang, area)
            if area_msgs or po.exists():
                write_po(po, area_msgs, lang)
            todo = sum(1 for m in area_msgs if not m.translated)
            if area_msgs:
                print(f"{po.relative_to(ROOT)}: {len(area_msgs)} messages, {todo} to translate")
        mo = mo_path(lang)
        mo.parent.mkdir(parents=True, exist_ok=True)
        mo.write_bytes(compile_mo(msgs, lang))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

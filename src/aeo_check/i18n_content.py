"""Questionnaire text in other languages: gettext PO files, one per questionnaire and language.

``questionnaires/i18n/<lang>/<source>.po`` holds, for every text a reader sees in
``questionnaires/<source>.yaml`` (``<source>`` is ``ctpat``, ``pip``, ``oea``, or a profile such
as ``oea-courier`` for ``questionnaires/oea/courier.yaml``), one entry::

    msgctxt "criterion 1.1 ask"
    msgid "Has a senior company official signed ...?"      <- the English it translates
    msgstr "Un dirigeant de l'entreprise a-t-il signé ...?"

The ``msgid`` is the English text the translation was written from: when the English changes,
the entry is stale (``tools/i18n_sync.py`` marks it ``#, fuzzy`` and the tests fail until a
translator updates it). Translators work on one language and one file at a time, with any PO
editor. Facts (ids, URLs, e-mail addresses, document titles, official Spanish names) are not
translated and have no entry.

This module only reads and lists; it imports nothing heavy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .model import Questionnaire

LANGUAGES = ("en", "fr", "es")


@dataclass(frozen=True)
class Entry:
    context: str
    msgid: str
    msgstr: str = ""
    fuzzy: bool = False


Translate = Callable[[str, str | None], str | None]


def _walk(q: Questionnaire, tr: Translate, *, profile: bool) -> Questionnaire:
    """The one list of translatable texts: ``tr(context, text)`` is called for each, in file
    order, and the questionnaire is rebuilt with what it returns. Listing the texts
    (:func:`source_texts`) and applying a translation (:func:`localize`) both walk it, so the
    two can never disagree on a context.

    ``profile``: only what a profile file holds (its gates and categories, no program block and
    no business types).
    """
    from dataclasses import replace

    def keep(context: str, text: str) -> str:
        return tr(context, text) or text  # a required text never becomes empty

    p = q.program
    entity_types = q.entity_types
    if not profile:
        p = replace(
            p,
            name=keep("program name", p.name),
            agency=keep("program agency", p.agency),
            description=tr("program description", p.description),
            ids_note=tr("program ids_note", p.ids_note),
            contacts=tuple(
                replace(
                    c,
                    label=keep(f"contact {i} label", c.label),
                    note=tr(f"contact {i} note", c.note),
                )
                for i, c in enumerate(p.contacts, 1)
            ),
            apply=tuple(
                replace(s, step=keep(f"apply {i}", s.step)) for i, s in enumerate(p.apply, 1)
            ),
            benefits=tuple(keep(f"benefit {i}", b) for i, b in enumerate(p.benefits, 1)),
            mutual_recognition=tuple(
                replace(m, name=keep(f"partner {i} name", m.name))
                for i, m in enumerate(p.mutual_recognition, 1)
            ),
        )
        entity_types = tuple(
            replace(
                et,
                name=keep(f"business type {et.id} name", et.name),
                description=tr(f"business type {et.id} description", et.description),
            )
            for et in q.entity_types
        )
    gates = tuple(
        replace(
            g,
            title=tr(f"gate {g.id} title", g.title),
            ask=keep(f"gate {g.id} ask", g.ask),
            guidance=tr(f"gate {g.id} guidance", g.guidance),
            remediation=tr(f"gate {g.id} remediation", g.remediation),
        )
        for g in q.eligibility
    )
    categories = []
    for cat in q.categories:
        title = keep(f"category {cat.id} title", cat.title)
        focus_area = tr(f"category {cat.id} focus_area", cat.focus_area)
        description = tr(f"category {cat.id} description", cat.description)
        crits = []
        for c in cat.criteria:
            title_c = keep(f"criterion {c.id} title", c.title)
            ask = keep(f"criterion {c.id} ask", c.ask)
            guidance = keep(f"criterion {c.id} guidance", c.guidance)
            remediation = keep(f"criterion {c.id} remediation", c.remediation)
            na_when = tr(f"criterion {c.id} na_when", c.na_when)
            evidence = tuple(
                keep(f"criterion {c.id} evidence {i}", e) for i, e in enumerate(c.evidence, 1)
            )
            crits.append(
                replace(
                    c,
                    title=title_c,
                    ask=ask,
                    guidance=guidance,
                    remediation=remediation,
                    na_when=na_when,
                    evidence=evidence,
                )
            )
        categories.append(
            replace(
                cat,
                title=title,
                focus_area=focus_area,
                description=description,
                criteria=tuple(crits),
            )
        )
    return replace(
        q, program=p, entity_types=entity_types, eligibility=gates, categories=tuple(categories)
    )


def source_texts(q: Questionnaire, *, profile: bool = False) -> list[tuple[str, str]]:
    """(context, English text) for every translatable text of a questionnaire, in file order.

    ``profile``: only what a profile file holds (its gates and categories, no program block).
    """
    out: list[tuple[str, str]] = []

    def record(context: str, text: str | None) -> str | None:
        if text:
            out.append((context, text))
        return text

    _walk(q, record, profile=profile)
    return out


def sources(bundled: list[Questionnaire]) -> dict[str, list[tuple[str, str]]]:
    """Translation source name -> its (context, English) texts, for the bundled programs."""
    out: dict[str, list[tuple[str, str]]] = {}
    for q in bundled:
        out[q.id] = source_texts(q)
        seen: set[int] = set()
        for prof in q.profiles.values():
            if id(prof) in seen or not prof.path:
                continue
            seen.add(id(prof))
            out[f"{q.id}-{Path(prof.path).stem}"] = profile_texts(q, prof)
    return out


def profile_texts(base: Questionnaire, prof: Questionnaire) -> list[tuple[str, str]]:
    """The texts of a profile file: its own gates (not the base's) and its categories."""
    base_ids = {g.id for g in base.eligibility}
    own = [g for g in prof.eligibility if g.id not in base_ids]
    from dataclasses import replace

    return source_texts(replace(prof, eligibility=tuple(own)), profile=True)


# --------------------------------------------------------------------------------------------
# PO files
# --------------------------------------------------------------------------------------------

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}


def _quote(text: str) -> str:
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in text) + '"'


def _unquote(token: str) -> str:
    body = token[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def _wrapped(keyword: str, text: str, width: int = 79) -> list[str]:
    if len(text) + len(keyword) + 3 <= width and "\n" not in text:
        return [f"{keyword} {_quote(text)}"]
    lines = [f'{keyword} ""']
    words = re.findall(r"\S+\s*", text)
    cur = ""
    for w in words:
        if cur and len(_quote(cur + w)) > width:
            lines.append(_quote(cur))
            cur = ""
        cur += w
    if cur:
        lines.append(_quote(cur))
    return lines


def write_po(path: Path, entries: list[Entry], *, language: str, source: str) -> None:
    head = [
        f"# aeo-check questionnaire text: {source}, language {language}.",
        "# msgid is the English the translation was written from; see docs/translating.md.",
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        f'"Language: {language}\\n"',
        "",
    ]
    body: list[str] = []
    for e in entries:
        if e.fuzzy:
            body.append("#, fuzzy")
        body.append(f"msgctxt {_quote(e.context)}")
        body += _wrapped("msgid", e.msgid)
        body += _wrapped("msgstr", e.msgstr)
        body.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(head + body)
    tmp = path.with_suffix(".po.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)


def read_po(path: Path) -> list[Entry]:
    """The entries of a PO file (the header entry left out), with their fuzzy flag."""
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    current: str | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal fields, fuzzy, current
        if "msgid" in fields and fields.get("msgid", "") != "":
            entries.append(
                Entry(
                    context=fields.get("msgctxt", ""),
                    msgid=fields["msgid"],
                    msgstr=fields.get("msgstr", ""),
                    fuzzy=fuzzy,
                )
            )
        fields, current, fuzzy = {}, None, False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
            continue
        if line.startswith("#"):
            continue
        m = re.match(r'(msgctxt|msgid|msgstr)\s+(".*")$', line)
        if m:
            if m.group(1) == "msgctxt" and "msgid" in fields:
                flush()
            current = m.group(1)
            fields[current] = _unquote(m.group(2))
        elif line.startswith('"') and current is not None:
            fields[current] += _unquote(line)
    flush()
    return entries


def po_path(root: Path, language: str, source: str) -> Path:
    return root / "i18n" / language / f"{source}.po"


# --------------------------------------------------------------------------------------------
# Applying a translation
# --------------------------------------------------------------------------------------------


def translations(folder: Path, language: str, source: str) -> dict[str, tuple[str, str]]:
    """context -> (English it was written from, translation), for the usable entries."""
    path = po_path(folder, language, source)
    if not path.is_file():
        return {}
    return {e.context: (e.msgid, e.msgstr) for e in read_po(path) if e.msgstr and not e.fuzzy}


def localize(q: Questionnaire, language: str, folder: Path | None = None) -> Questionnaire:
    """The questionnaire with every reader-facing text in ``language`` where a current
    translation exists; English elsewhere (a missing or stale entry never shows wrong text)."""
    from dataclasses import replace

    if language == "en" or q.language == language:
        return q
    if folder is None:
        if q.path is None:
            return q
        folder = Path(q.path).parent
    table = translations(folder, language, q.id)
    out = _apply(q, table, profile=False)
    if q.profiles:
        done: dict[int, Questionnaire] = {}
        profiles = {}
        for et, prof in q.profiles.items():
            if id(prof) not in done:
                src = f"{q.id}-{Path(prof.path).stem}" if prof.path else q.id
                ptable = {**table, **translations(folder, language, src)}
                done[id(prof)] = _apply(prof, ptable, profile=True)
            profiles[et] = done[id(prof)]
        out = replace(out, profiles=profiles)
        # a profile's questionnaire carries the program block and business types too
        out = replace(
            out,
            profiles={
                et: replace(p, program=out.program, entity_types=out.entity_types)
                for et, p in out.profiles.items()
            },
        )
    return replace(out, language=language)


def _apply(q: Questionnaire, table: dict[str, tuple[str, str]], profile: bool) -> Questionnaire:
    def tr(context: str, text: str | None) -> str | None:
        if not text:
            return text
        hit = table.get(context)
        return hit[1] if hit is not None and hit[0] == text else text

    return _walk(q, tr, profile=profile)

"""The language of everything aeo-check prints or writes: English, French or Spanish.

Interface text goes through gettext: ``_("...")`` marks a message, ``tools/extract_messages.py``
collects the marked messages into ``src/aeo_check/locale/aeo_check.pot``, translators fill
``locale/<lang>/LC_MESSAGES/aeo_check.po``, and ``tools/compile_catalogs.py`` writes the
``.mo`` files shipped in the wheel (a test checks they are current). Catalogs load lazily, on
the first message translated into a language other than English, so ``--help`` and
``--version`` pay nothing.

The language, first match wins: ``--lang``; ``AEO_CHECK_LANG``; the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``); English. Questionnaire text has its own files
(:mod:`aeo_check.i18n_content`). JSON keys and enumerated values never change with the language.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "fr", "es")
LANGUAGE_NAMES = {"en": "English", "fr": "français", "es": "español"}
DOMAIN = "aeo_check"

_current = "en"
_catalogs: dict[str, Any] = {}

MONTHS = {
    "en": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
    "fr": [
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ],
    "es": [
        "enero", "febrero", "marzo", "abril", "mayo", "junio",
        "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ],
}  # fmt: skip


class UnknownLanguage(ValueError):
    def __init__(self, value: str) -> None:
        super().__init__(f"unknown language {value!r} (choose one of: {', '.join(LANGUAGES)})")
        self.value = value


def normalize(value: str | None) -> str | None:
    """``fr_CA.UTF-8`` -> ``fr``; None for an empty value, C or POSIX."""
    if not value:
        return None
    code = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if code in ("", "c", "posix"):
        return None
    return code


def resolve(option: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to use. An unknown ``--lang`` or ``AEO_CHECK_LANG`` raises
    :class:`UnknownLanguage`; a locale in another language falls back to English."""
    env = os.environ if environ is None else environ
    for explicit in (option, env.get("AEO_CHECK_LANG")):
        if explicit:
            code = normalize(explicit)
            if code not in LANGUAGES:
                raise UnknownLanguage(explicit)
            return code
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            code = normalize(value)
            if code is None:
                continue
            return code if code in LANGUAGES else "en"
    return "en"


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise UnknownLanguage(lang)
    _current = lang


def current() -> str:
    return _current


def locale_dir() -> Path:
    return Path(__file__).resolve().parent / "locale"


def _catalog(lang: str) -> Any:
    cat = _catalogs.get(lang)
    if cat is None:
        import gettext

        cat = gettext.translation(
            DOMAIN, localedir=str(locale_dir()), languages=[lang], fallback=True
        )
        _catalogs[lang] = cat
    return cat


def gettext(message: str, lang: str | None = None) -> str:
    """``message`` in the current language (or ``lang``)."""
    lang = lang or _current
    if lang == "en":
        return message
    return str(_catalog(lang).gettext(message))


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    lang = lang or _current
    if lang == "en":
        return singular if n == 1 else plural
    return str(_catalog(lang).ngettext(singular, plural, n))


def pgettext(context: str, message: str, lang: str | None = None) -> str:
    lang = lang or _current
    if lang == "en":
        return message
    return str(_catalog(lang).pgettext(context, message))


_ = gettext


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet (module-level constants)."""
    return message


def fmt_number(value: float | None, digits: int = 1, lang: str | None = None) -> str:
    """92.7 in English, 92,7 in French and Spanish; "n/a" (translated) for None."""
    if value is None:
        return gettext("n/a", lang)
    text = f"{value:.{digits}f}"
    if (lang or _current) in ("fr", "es"):
        text = text.replace(".", ",")
    return text


def fmt_date(day: str | None, lang: str | None = None) -> str:
    """An ISO date as the language writes it: "December 2, 2026", "2 décembre 2026",
    "2 de diciembre de 2026". Partial or unreadable dates are returned as given."""
    if not day:
        return ""
    try:
        d = _dt.date.fromisoformat(day[:10])
    except ValueError:
        return day
    lang = lang or _current
    month = MONTHS[lang][d.month - 1]
    if lang == "fr":
        return f"{'1er' if d.day == 1 else d.day} {month} {d.year}"
    if lang == "es":
        return f"{d.day} de {month} de {d.year}"
    return f"{month} {d.day}, {d.year}"

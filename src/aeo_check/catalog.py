"""Finding questionnaires: the bundled ones (inside the installed package) and custom files."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import UsageError
from .i18n import _
from .model import Questionnaire

NOT_PROGRAMS = {"crosswalk"}


def bundled_dir() -> Path:
    """The folder of bundled questionnaires.

    In a wheel (pip, pipx) they are installed as ``aeo_check/questionnaires``; in a source
    checkout (editable install, tests) they are in the repository's ``questionnaires/``.
    """
    try:
        packaged = Path(str(resources.files("aeo_check") / "questionnaires"))
        if packaged.is_dir():
            return packaged
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - zipped installs
        pass
    return Path(__file__).resolve().parents[2] / "questionnaires"


def program_ids() -> list[str]:
    """Ids of the bundled programs, sorted."""
    folder = bundled_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yaml") if p.stem not in NOT_PROGRAMS)


@lru_cache(maxsize=32)
def _load_cached(path: str, stamp: tuple, display: str) -> Questionnaire:
    from .loading import load_questionnaire

    return load_questionnaire(Path(path), display=display)


def load_path(path: str | Path) -> Questionnaire:
    """Load a questionnaire file, cached by path, modification time and size."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        from .loading import load_questionnaire

        return load_questionnaire(p)  # raises the proper InputFileError
    from .loading import profile_paths

    stamp: list[tuple[str, int, int]] = [("", st.st_mtime_ns, st.st_size)]
    for prof in profile_paths(p):  # a changed profile file invalidates the cache too
        pst = prof.stat()
        stamp.append((prof.name, pst.st_mtime_ns, pst.st_size))
    # cached by the real file; errors name the path as the user wrote it
    return _load_cached(str(p.resolve()), tuple(stamp), str(p))


def get(program: str) -> Questionnaire:
    """The bundled questionnaire of a program id (``ctpat``, ``pip``, ``oea``)."""
    ids = program_ids()
    if program not in ids:
        known = ", ".join(ids) or _("none installed")
        raise UsageError(
            _("unknown program {program!r} (known programs: {known})").format(
                program=program, known=known
            )
        )
    return load_path(bundled_dir() / f"{program}.yaml")


def all_programs() -> list[Questionnaire]:
    return [get(p) for p in program_ids()]


def resolve(program_or_path: str) -> Questionnaire:
    """A program id, or the path of a custom questionnaire file."""
    if (
        program_or_path.endswith((".yaml", ".yml"))
        or "/" in program_or_path
        or ("\\" in program_or_path)
    ):
        return load_path(program_or_path)
    return get(program_or_path)

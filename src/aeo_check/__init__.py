"""aeo-check: self-assessment for customs trusted-trader programs (CTPAT, PIP, Mexico's OEA).

The Python API (documented in docs/python-api.md) is the same one the command line uses::

    import aeo_check
    q = aeo_check.get_questionnaire("ctpat")
    assessment, q = aeo_check.load_answers("answers.yaml")
    result = aeo_check.score(q, assessment)
    aeo_check.write_report(result, {"pdf": Path("out.pdf"), "json": Path("out.json")})

Names are imported lazily so that ``import aeo_check`` (and ``aeo-check --help``) stays fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {
    "get_questionnaire": ("aeo_check.catalog", "get"),
    "program_ids": ("aeo_check.catalog", "program_ids"),
    "load_questionnaire": ("aeo_check.loading", "load_questionnaire"),
    "load_answers": ("aeo_check.answers", "load_answers"),
    "save_answers": ("aeo_check.answers", "save_answers"),
    "dump_answers": ("aeo_check.answers", "dump_answers"),
    "new_assessment": ("aeo_check.answers", "new_assessment"),
    "score": ("aeo_check.scoring", "score"),
    "verdict_reasons": ("aeo_check.scoring", "verdict_reasons"),
    "action_plan": ("aeo_check.plan", "action_plan"),
    "assess": ("aeo_check.api", "assess"),
    "render": ("aeo_check.pipeline", "render"),
    "write_report": ("aeo_check.pipeline", "write_outputs"),
    "run_report": ("aeo_check.pipeline", "run_report"),
    "result_to_dict": ("aeo_check.reports.json", "result_to_dict"),
    "validate_file": ("aeo_check.api", "validate_file"),
    "run_batch": ("aeo_check.batch", "run_batch"),
    "compare": ("aeo_check.compare", "compare"),
    "load_crosswalk": ("aeo_check.crosswalk", "load_crosswalk"),
    "diff": ("aeo_check.diff", "diff"),
    "AeoCheckError": ("aeo_check.errors", "AeoCheckError"),
    "InputFileError": ("aeo_check.errors", "InputFileError"),
}

__all__ = ["__version__", *sorted(_API)]


def __getattr__(name: str) -> Any:
    target = _API.get(name)
    if target is None:
        raise AttributeError(f"module 'aeo_check' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(target[0])
    value = getattr(module, target[1])
    globals()[name] = value
    return value

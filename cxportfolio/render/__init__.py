"""Renderers: a check result in, a string out. I/O stays in the CLI.

`CHECK_RENDERERS` is the single list of `check --format` choices: adding a format means
adding a module and one entry here.
"""

from __future__ import annotations

from collections.abc import Callable

from cxportfolio.model.finding import CheckResult
from cxportfolio.render import github, gitlab, json_format, junit, sarif, text
from cxportfolio.render.options import RenderOptions

CheckRenderer = Callable[[CheckResult, RenderOptions], str]

CHECK_RENDERERS: dict[str, CheckRenderer] = {
    "text": text.render_check,
    "json": json_format.render_check,
    "github": github.render_check,
    "sarif": sarif.render_check,
    "gitlab": gitlab.render_check,
    "junit": junit.render_check,
}

__all__ = ["CHECK_RENDERERS", "RenderOptions"]

"""Renderers: a check result in, a string out. I/O stays in the CLI.

`CHECK_RENDERERS` is the single list of `check --format` choices: adding a format means
adding a module and one entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import import_module

from cxportfolio.model.finding import CheckResult
from cxportfolio.render.options import RenderOptions

CheckRenderer = Callable[[CheckResult, RenderOptions], str]


class _Renderers(Mapping[str, CheckRenderer]):
    """Format → its module's `render_check`, the module imported when the format is
    used: a check in pre-commit renders one format and need not load the XML or gzip
    machinery of the others."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = modules

    def __getitem__(self, name: str) -> CheckRenderer:
        return import_module(f"cxportfolio.render.{self._modules[name]}").render_check  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)


CHECK_RENDERERS: Mapping[str, CheckRenderer] = _Renderers({
    "text": "text", "json": "json_format", "github": "github", "sarif": "sarif", "gitlab": "gitlab", "junit": "junit",
})

__all__ = ["CHECK_RENDERERS", "RenderOptions"]

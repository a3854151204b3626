"""pydantic's plugin lookup, left out where no plugin may run (the console command).

pydantic asks `pydantic.plugin._loader.get_plugins()` for plugins as it builds each
model. That module's first line imports `importlib.metadata` (and with it email,
zipfile, csv, tempfile, socket…: some 10 ms, a thirtieth of a check of 100 initiatives
in pre-commit), even when `PYDANTIC_DISABLE_PLUGINS` says that no plugin is to be
loaded and it then looks nothing up. The console command sets that variable (cli.main)
and calls `skip_plugin_lookup`, which puts in the loader's place a module that answers
as the loader does while plugins are disabled: no plugin. Anything else it is asked,
and the lookup itself should plugins be enabled again, goes to the real module,
imported then. In-process use (click's runner, a library call) never gets it.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from typing import Any

LOADER = "pydantic.plugin._loader"
# pydantic's own values of the variable that mean "no plugin at all"; a list of plugin
# names disables those alone, and the real loader is needed to find the others.
ALL_DISABLED = ("__all__", "1", "true")


def plugins_disabled() -> bool:
    return os.environ.get("PYDANTIC_DISABLE_PLUGINS") in ALL_DISABLED


class _DisabledLoader(types.ModuleType):
    """The loader module while plugins are disabled."""

    def get_plugins(self, *args: Any, **kwargs: Any) -> Any:
        if plugins_disabled():
            return ()  # what the real get_plugins returns then, without looking
        return _real_loader().get_plugins(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            # the import system's questions (`__path__`: is it a package?) are answered
            # here, or every `from ._loader import …` would import the real module
            raise AttributeError(name)
        return getattr(_real_loader(), name)


def _real_loader() -> types.ModuleType:
    if isinstance(sys.modules.get(LOADER), _DisabledLoader):
        del sys.modules[LOADER]
    return importlib.import_module(LOADER)


def skip_plugin_lookup() -> None:
    """Stand in for pydantic's plugin loader while every plugin is disabled, unless the
    real one is already imported."""
    if plugins_disabled() and LOADER not in sys.modules:
        sys.modules[LOADER] = _DisabledLoader(LOADER)

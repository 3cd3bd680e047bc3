"""Output formats for event records. Every module in this package that registers a writer is a
format (`registry.register`); they are imported here, so adding a format is adding a module."""

import importlib
import pkgutil

from rasad.export.registry import WRITERS, Writer, write_events

for _mod in pkgutil.iter_modules(__path__):
    if _mod.name != "registry":
        importlib.import_module(f"{__name__}.{_mod.name}")

FORMATS = tuple(WRITERS)

__all__ = ["FORMATS", "WRITERS", "Writer", "write_events"]

"""Optional parts: a library an extra installs is imported only where it is used, and its absence
is one clear message naming the extra (`pip install 'rasad[html]'`), never a traceback at import."""

from __future__ import annotations

import importlib
from types import ModuleType


class MissingExtra(ImportError):
    """An optional library is not installed; the message names the extra that installs it."""


def need(module: str, extra: str, what: str) -> ModuleType:
    """`module`, imported; MissingExtra naming `extra` when it is not installed."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(f"{what} needs the '{extra}' extra: pip install 'rasad[{extra}]' "
                           f"({exc.name or module} is not installed)") from None

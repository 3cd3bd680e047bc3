"""Country profiles: knowledge kept as data files, one folder per country."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_PROFILE = "syria"


def profile_dir(name: str | None = None) -> Path:
    """Folder of a profile: RASAD_PROFILE_DIR overrides, else the packaged one."""
    override = os.environ.get("RASAD_PROFILE_DIR")
    if override:
        return Path(override)
    return Path(__file__).parent / (name or os.environ.get("RASAD_PROFILE", DEFAULT_PROFILE))

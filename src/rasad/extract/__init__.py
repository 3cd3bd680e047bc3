"""Event extraction: mentions (actors, triggers, casualties, sources) assembled into event records."""

from rasad.extract.pipeline import Result, extract_report

__all__ = ["Result", "extract_report"]

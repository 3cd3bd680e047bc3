"""Event extraction: mentions (actors, triggers, casualties, sources) assembled into event records."""

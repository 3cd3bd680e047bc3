"""Batch engines over the `process` verbs: the built-in worker pool (`pool`)."""

"""Ingestion: read any supported input into `Report`s, with clear per-item errors."""

from rasad.ingest.readers import IngestError, iter_inputs, read_text_report

__all__ = ["IngestError", "iter_inputs", "read_text_report"]

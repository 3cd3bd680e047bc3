"""Gazetteer loading, indexing, place finding in text and resolution to P-codes and coordinates."""

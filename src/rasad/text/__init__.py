"""Text layer: normalised view with offset map, sentences, numbers, dates."""

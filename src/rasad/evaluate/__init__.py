"""Evaluation against gold annotations, and benchmarks."""

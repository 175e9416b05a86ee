"""Measuring dehusk: the benchmark metric, gold standards and outputs to score."""

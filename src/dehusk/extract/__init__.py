"""Extraction: an input page or text dump cut into Blocks (and the naive flattening that makes dumps)."""

"""Repairs: bytes to text, broken encodings and odd characters, applied to kept text only."""

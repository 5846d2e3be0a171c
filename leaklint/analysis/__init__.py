"""Analyses shared by rules; each is computed lazily, once per file."""

"""Catalogue modules: each registers the entries of one source area (imported automatically)."""

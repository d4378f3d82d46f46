"""Helpers shared by entries of several sources (one module per shared topic)."""

"""Pauwels, lecture slides: one module per stated result."""

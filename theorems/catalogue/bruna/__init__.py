"""Bruna, lecture 9: one module per stated result."""

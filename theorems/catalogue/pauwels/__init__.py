"""Pauwels, "Optimization tools for deep-learning" (lecture slides): one module per stated result (`pauwels.<id>` in `<id with _>.py`), helpers shared by several results in `_*.py`."""

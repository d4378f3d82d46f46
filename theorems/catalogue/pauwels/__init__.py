"""Pauwels, "Optimization tools for deep-learning": one module per result (`pauwels.<id>` in `<id with _>.py`), helpers in `_*.py`."""

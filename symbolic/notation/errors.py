"""The error the notation compiler raises for text it cannot read or compile."""

from __future__ import annotations


class NotationError(ValueError):
    """An expression in notation is malformed or cannot be evaluated; the message says where and why.

    Front ends (the claim-file reader) re-raise it as their own error class, message unchanged.
    """

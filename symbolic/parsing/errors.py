"""The single exception type raised by the safe parser."""

from __future__ import annotations

__all__ = ["ParseError"]

_WINDOW = 30  # characters of context shown on each side of the error position


def _display_char(ch: str) -> str:
    """One printable ASCII character standing in for ``ch`` (keeps the caret aligned)."""
    if ch in "\t\n\r":
        return " "
    if " " <= ch <= "~":
        return ch
    return "?"


class ParseError(ValueError):
    """Raised when untrusted input cannot be parsed safely.

    Attributes:
        message: what is wrong, e.g. ``"unexpected ')'"``.
        position: 0-based index into ``text`` where the problem is, or ``None``.
        text: the input that was being parsed.

    ``str(error)`` names the 1-based column and shows the input with a caret under
    the offending character; characters outside printable ASCII are shown as ``?``
    so that control or bidirectional characters cannot garble the message.
    """

    message: str
    position: int | None
    text: str

    def __init__(self, message: str, position: int | None = None, text: str = "") -> None:
        super().__init__(message, position, text)
        self.message = message
        self.position = position
        self.text = text

    @property
    def column(self) -> int | None:
        """1-based column of the error, or ``None``."""
        return None if self.position is None else self.position + 1

    def __str__(self) -> str:
        if self.position is None:
            return self.message
        head = f"{self.message} at column {self.position + 1}"
        if not self.text:
            return head
        pos = max(0, min(self.position, len(self.text)))
        start = max(0, pos - _WINDOW)
        end = min(len(self.text), pos + _WINDOW)
        shown = "".join(_display_char(c) for c in self.text[start:end])
        prefix = "..." if start > 0 else ""
        suffix = "..." if end < len(self.text) else ""
        line = f"{head}: {prefix}{shown}{suffix}"
        caret = " " * (len(head) + 2 + len(prefix) + pos - start) + "^"
        return f"{line}\n{caret}"

    def __reduce__(self):  # keep pickling working with the custom __init__
        return (type(self), (self.message, self.position, self.text))

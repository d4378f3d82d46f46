"""mkdocs hooks: the page ``docs/contributing.md`` shows the root ``CONTRIBUTING.md`` (one
source), with its links into ``docs/`` made relative to the docs directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def on_page_markdown(markdown: str, page: Any, config: Any, **_: Any) -> str:
    if page.file.src_uri != "contributing.md":
        return markdown
    root = Path(config.config_file_path).parent
    return (root / "CONTRIBUTING.md").read_text(encoding="utf-8").replace("](docs/", "](")

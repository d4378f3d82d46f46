"""mkdocs hooks.

* The page ``docs/contributing.md`` shows the root ``CONTRIBUTING.md`` (one source), with its
  links into ``docs/`` made relative to the docs directory.
* The maths (``$...$`` in the Markdown, wrapped by ``pymdownx.arithmatex``) is typeset by
  MathJax served from the site itself (the table of contents repeats a heading's maths as
  bare ``\\(...\\)``: it is wrapped for MathJax too): the vendored ``tex-svg-full.js`` of
  ``django-static-mathjax`` and its configuration (:mod:`theorems.mathjax`, shared with
  ``theorems report``) are added to the site's files, so nothing is fetched from the internet
  when a page is viewed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

sys.path.insert(0, str(Path(__file__).resolve().parent))

from theorems.mathjax import MATHJAX_FILE, mathjax_config, mathjax_source  # noqa: E402

#: where the config and MathJax land in the site (listed in mkdocs.yml's extra_javascript)
CONFIG_URI = "assets/mathjax/config.js"
MATHJAX_URI = f"assets/mathjax/{MATHJAX_FILE}"


def on_files(files: Files, config: Any, **_: Any) -> Files:
    files.append(File.generated(config, CONFIG_URI, content=mathjax_config(arithmatex=True)))
    files.append(File.generated(config, MATHJAX_URI, abs_src_path=str(mathjax_source())))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, **_: Any) -> str:
    if page.file.src_uri != "contributing.md":
        return markdown
    root = Path(config.config_file_path).parent
    return (root / "CONTRIBUTING.md").read_text(encoding="utf-8").replace("](docs/", "](")


_NAV_ITEM = re.compile(r'(<span class="md-ellipsis">)(.*?)(</span>)', re.S)
_INLINE_MATH = re.compile(r"\\\((.+?)\\\)", re.S)


def on_post_page(output: str, page: Any, config: Any, **_: Any) -> str:
    """Wrap the maths of the table of contents (headings with formulas) for MathJax."""

    def wrap(m: re.Match[str]) -> str:
        inner = _INLINE_MATH.sub(lambda k: f'<span class="arithmatex">{k.group(0)}</span>', m.group(2))
        return m.group(1) + inner + m.group(3)

    return _NAV_ITEM.sub(wrap, output) if "\\(" in output else output

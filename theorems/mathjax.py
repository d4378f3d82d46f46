"""MathJax served from a site itself: the report and the docs site share one copy and one setup.

MathJax 3 comes from the ``django-static-mathjax`` package (it vendors MathJax's files; no
Django is needed): the single-file build ``tex-svg-full.js`` is copied into the site, so
nothing is fetched from the internet when a page is viewed. The macros are the ones the
generated LaTeX uses (``\\fitmath``, ``\\allowbreak``, ``\\E``, ``\\R``), so text written for
the book typesets the same in a browser.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

#: the single-file MathJax build copied into a site (TeX input, SVG output, all extensions)
MATHJAX_FILE = "tex-svg-full.js"

#: macros of the generated LaTeX that MathJax does not know
MACROS: dict[str, object] = {"fitmath": ["{#2}", 2, ""], "allowbreak": "", "E": "\\mathbb{E}", "R": "\\mathbb{R}"}


def mathjax_source() -> Path:
    """The path of the vendored ``tex-svg-full.js``; a one-line RuntimeError when it is missing."""
    try:
        base = resources.files("mathjax") / "static" / "mathjax" / "es5" / MATHJAX_FILE
    except ModuleNotFoundError:
        raise RuntimeError("MathJax is needed: pip install django-static-mathjax (in theorems[report] and theorems[docs])") from None
    path = Path(str(base))
    if not path.is_file():
        raise RuntimeError(f"MathJax not found at {path}: pip install django-static-mathjax")
    return path


def mathjax_config(*, arithmatex: bool = False) -> str:
    """The JavaScript that configures MathJax (to run before MathJax loads).

    ``arithmatex=False`` (the report): ``$...$``, ``\\(...\\)``, ``$$...$$`` and ``\\[...\\]``
    anywhere in the page. ``arithmatex=True`` (the docs site, Markdown with
    ``pymdownx.arithmatex`` in generic mode): only the ``\\(...\\)`` and ``\\[...\\]`` that
    arithmatex wrote in elements of class ``arithmatex``, so a dollar in code or prose stays.
    """
    tex: dict[str, object] = {"macros": MACROS, "processEscapes": True, "processEnvironments": True}
    config: dict[str, object] = {"tex": tex, "svg": {"fontCache": "global"}, "startup": {"typeset": True}}
    if arithmatex:
        tex.update(inlineMath=[["\\(", "\\)"]], displayMath=[["\\[", "\\]"]])
        config["options"] = {"ignoreHtmlClass": ".*|", "processHtmlClass": "arithmatex"}
    else:
        tex.update(inlineMath=[["$", "$"], ["\\(", "\\)"]], displayMath=[["$$", "$$"], ["\\[", "\\]"]])
    return "window.MathJax = " + json.dumps(config, indent=1) + ";\n"

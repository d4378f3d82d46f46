"""A headless Chromium for the tests that open generated pages (the report, the docs site).

``browser()`` skips the test with a message where no browser is installed. ``RENDER`` is the
script run in a page (``execute_async_script``): it waits for MathJax to finish and returns
the images and whether they loaded, the number of typeset formulas, MathJax's errors, the
page's text (``text``) and its text outside code (``prose``: ``<pre>``/``<code>`` removed, so
a literal dollar in a code sample is not taken for raw maths).
"""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest


def browser() -> Any:  # pragma: no cover - depends on the machine
    """A headless Chromium driven by selenium, or a skip saying what to install."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    if chromium is None or driver is None:
        pytest.skip("no headless browser: apt-get install chromium chromium-driver (the pages are not opened)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium not installed: pip install selenium")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        opts.add_argument(a)
    opts.binary_location = chromium
    return webdriver.Chrome(service=Service(driver), options=opts)


RENDER = """
const done = arguments[0];
if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) { done({error: 'MathJax did not load'}); return; }
MathJax.startup.promise.then(() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('pre, code, mjx-container, script, style').forEach(e => e.remove());
  done({
    images: Array.from(document.images).map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0]),
    maths: document.querySelectorAll('mjx-container').length,
    arithmatex: document.querySelectorAll('.arithmatex').length,
    untypeset: Array.from(document.querySelectorAll('.arithmatex')).filter(e => !e.querySelector('mjx-container')).map(e => e.textContent).slice(0, 5),
    errors: Array.from(document.querySelectorAll('[data-mjx-error], mjx-merror')).map(e => e.getAttribute('data-mjx-error') || e.textContent),
    text: document.body.innerText,
    prose: copy.textContent,
  });
}).catch(e => done({error: String(e)}));
"""

#: raw maths left in rendered text: ``$...$`` on one line, or ``\\(``, ``\\[`` delimiters
RAW_MATH = re.compile(r"\$[^$\n]{1,200}\$|\\\(|\\\)|\\\[|\\\]")

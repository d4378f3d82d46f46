"""theorems: stated results on the optimization dynamics of deep learning, as machine-checked claims.

The catalogue (:mod:`theorems.registry`, :mod:`theorems.catalogue`) is the single source;
the CLI, the pytest suite, the LaTeX output and the docs are derived from it.
"""

__version__ = "0.3.1"

"""The paper "Convergence of stochastic gradient descent under a local Lojasiewicz condition for deep
neural networks" (arXiv 2304.09221, seeds/004_8eaa607087e2c923.txt): one module per result.

Sections: 2 Preliminaries (assumptions, Lemma 2.1, noise models), 3 Main result (Theorem 3.1 and its
proof (3.3)-(3.22)), 4 Non-convergence with bounded noises (Lemmas 4.1-4.2, Theorem 4.4), Appendix A
Assumption 3 verification (a feedforward network), Appendix B Proof of Lemma 2.1. Modules named
``_*.py`` hold helpers shared by several results."""

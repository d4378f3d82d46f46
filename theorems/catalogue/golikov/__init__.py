"""Golikov, "Gradient descent dynamics" (Theoretical Deep Learning course, MIPT 2019): one module per result."""

"""Synthetic legacy landscape used for demos, tests and benchmarks."""

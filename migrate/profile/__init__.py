"""Profiling legacy sources: what is in each column, keys, duplicates, and rules to suggest."""

"""Comparing two versions of a project's rules on the same data (`migrate diff`)."""

"""Scaffolding a migration project from legacy sources (`migrate init`)."""

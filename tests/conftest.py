"""Shared test set-up: database fixtures live in tests/fixtures/db.py."""

pytest_plugins = ["tests.fixtures.db"]

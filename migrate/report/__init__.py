"""Run reports: the report model, its JSON and HTML renderings, and the rejects files."""

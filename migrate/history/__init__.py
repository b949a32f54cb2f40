"""The run history: a compact record of every run, kept in the project (`migrate history`)."""

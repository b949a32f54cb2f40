"""The `migrate` command line."""

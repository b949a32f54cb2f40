"""Reading legacy sources, writing load files and loading the SQL target."""

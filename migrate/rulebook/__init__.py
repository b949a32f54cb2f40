"""The mapping and rule book: what a business owner reads and signs before a migration runs."""

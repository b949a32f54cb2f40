"""migrate: a declarative data-migration validation and cleansing pipeline."""

__version__ = "0.1.0"

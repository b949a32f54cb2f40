"""The one way this package builds a jinja2 environment for its templates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


def template_environment(
    package: str, *, autoescape: bool = True, filters: dict[str, Callable[..., Any]] | None = None
) -> Environment:
    """An environment over ``<package>/templates``: strict about undefined names, tidy blocks.

    HTML pages escape every value; text outputs (YAML, Markdown) pass ``autoescape=False``.
    """
    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(filters or {})
    return env

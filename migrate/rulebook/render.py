"""Render the rule book to Markdown and to one self-contained HTML page.

Both come from the same :class:`~migrate.rulebook.model.RuleBook` and the templates
beside this module. HTML is autoescaped; Markdown text is escaped by the ``md``
filter, so a description can never break a table or inject markup.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from migrate.rulebook.model import RuleBook, build
from migrate.spec.loader import Project
from migrate.templating import template_environment

OUTPUTS = {"rulebook.md": "rulebook.md.j2", "rulebook.html": "rulebook.html.j2"}
_MD_SPECIAL = re.compile(r"([\\`*\[\]|#])|(?<!\w)_|_(?!\w)")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md(text: object) -> str:
    """Text for a Markdown table cell or paragraph: one line, markup characters escaped."""
    plain = " ".join(str(text).split())
    plain = "".join(_MD_ENTITIES.get(char, char) for char in plain)
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), plain)


def code(text: object) -> str:
    """An identifier as a Markdown code span (backticks and pipes cannot end it early)."""
    plain = " ".join(str(text).split()).replace("`", "'").replace("|", "\\|")
    return f"`{plain}`" if plain else ""


def anchor(text: object) -> str:
    """A heading's anchor, as GitHub makes it: lower case, punctuation dropped, spaces -> -."""
    return re.sub(r"[^\w\- ]", "", str(text).lower()).replace(" ", "-")


def capitalize_first(text: str) -> str:
    """Upper-case only the first letter (``capitalize`` would lower-case the rest)."""
    return text[:1].upper() + text[1:]


def failure_class(words: str) -> str:
    """CSS class of an ``if it fails`` cell."""
    return {"row rejected": "reject", "warning, row kept": "warn"}.get(words, "muted")


def _environment(autoescape: bool) -> jinja2.Environment:
    filters = {
        "md": md,
        "code": code,
        "anchor": anchor,
        "capitalize_first": capitalize_first,
        "failure_class": failure_class,
    }
    return template_environment("migrate.rulebook", autoescape=autoescape, filters=filters)


def render(book: RuleBook, name: str) -> str:
    """One output (``rulebook.md`` or ``rulebook.html``) as text."""
    env = _environment(autoescape=name.endswith(".html"))
    text = env.get_template(OUTPUTS[name]).render(book=book)
    return re.sub(r"\n{3,}", "\n\n", text)


def write_rulebook(project: Project, out_dir: Path) -> list[Path]:
    """Write ``rulebook.md`` and ``rulebook.html`` of ``project`` into ``out_dir``."""
    book = build(project)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in OUTPUTS:
        path = out_dir / name
        path.write_text(render(book, name), encoding="utf-8")
        written.append(path)
    return written

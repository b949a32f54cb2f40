"""Writing a profile as JSON (for tools and ``migrate init``) and as one HTML page (for people).

The page is self-contained (inline CSS, no scripts) and every value is escaped
by the template engine, so legacy text with markup in it is shown, not run.
"""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment

from migrate.profile.model import ProfileReport
from migrate.report.render import number
from migrate.templating import template_environment

TEMPLATE = "profile.html.j2"
JSON_NAME = "profile.json"
HTML_NAME = "profile.html"


def profile_json(report: ProfileReport) -> str:
    """The profile as JSON text: indented, non-ASCII kept."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def profile_html(report: ProfileReport) -> str:
    """The profile as one self-contained HTML page."""
    return _environment().get_template(TEMPLATE).render(report=report)


def write_profile(report: ProfileReport, out_dir: Path) -> tuple[Path, Path]:
    """Write ``profile.json`` and ``profile.html`` into ``out_dir``; return both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, html_path = out_dir / JSON_NAME, out_dir / HTML_NAME
    json_path.write_text(profile_json(report), encoding="utf-8")
    html_path.write_text(profile_html(report), encoding="utf-8")
    return json_path, html_path


def percent(value: float, decimals: int = 1) -> str:
    """A share as a percentage."""
    return f"{100 * value:.{decimals}f}%"


def _environment() -> Environment:
    return template_environment("migrate.profile", filters={"number": number, "percent": percent})

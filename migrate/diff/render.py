"""Writing an impact assessment as JSON (for tools) and one HTML page (for the change request)."""

from __future__ import annotations

import json
from pathlib import Path

from migrate.diff.model import DiffReport
from migrate.report.render import number
from migrate.templating import template_environment

TEMPLATE = "diff.html.j2"


def diff_json(report: DiffReport) -> str:
    """The assessment as JSON text: indented, non-ASCII kept."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def diff_html(report: DiffReport) -> str:
    """The assessment as one self-contained HTML page."""
    env = template_environment("migrate.diff", filters={"number": number, "signed": signed})
    return env.get_template(TEMPLATE).render(report=report)


def write_diff(report: DiffReport, out_dir: Path) -> tuple[Path, Path]:
    """Write ``diff.json`` and ``diff.html`` into ``out_dir``; return both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, html_path = out_dir / "diff.json", out_dir / "diff.html"
    json_path.write_text(diff_json(report), encoding="utf-8")
    html_path.write_text(diff_html(report), encoding="utf-8")
    return json_path, html_path


def signed(value: int) -> str:
    """A difference with its sign (``+3``, ``-2``, ``0``)."""
    return f"{value:+,}" if value else "0"

"""Writing a run report as JSON (for tools) and as one self-contained HTML page (for people).

The HTML page has its CSS inline and refers to nothing outside itself (no
scripts, fonts or images), so it can be mailed or archived as it is. Every
value is escaped by the template engine.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import Environment

from migrate.report.model import FunnelRow, ObjectReport, RunReport
from migrate.templating import template_environment

TEMPLATE = "report.html.j2"
BAR_PARTS = ("loaded", "merged", "rejected", "out_of_scope", "unaccounted")


def report_json(report: RunReport) -> str:
    """The report as JSON text: sorted keys, indented, non-ASCII kept."""
    return json.dumps(report.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_json(report: RunReport, path: Path) -> Path:
    """Write the report as UTF-8 JSON to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_json(report), encoding="utf-8")
    return path


def report_html(report: RunReport) -> str:
    """The report as one self-contained HTML page."""
    return _environment().get_template(TEMPLATE).render(report=report)


def write_html(report: RunReport, path: Path) -> Path:
    """Write the report as a UTF-8 HTML page to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_html(report), encoding="utf-8")
    return path


def render_template(name: str, **context: Any) -> str:
    """Render one of the report templates (HTML) with ``context``."""
    return _environment().get_template(name).render(**context)


def _environment() -> Environment:
    env = template_environment(
        "migrate.report", filters={"number": number, "seconds": seconds, "metric": metric}
    )
    env.globals.update(bar=bar, flatten=flatten, funnel_steps=funnel_steps, percent=percent)
    return env


def number(value: Any, decimals: int = 0) -> str:
    """A figure with thousands separators; blank for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:,.{decimals}f}"
    return str(value)


def seconds(value: Any) -> str:
    """A duration in seconds, to the millisecond."""
    return f"{float(value):,.3f} s" if value is not None else ""


def metric(value: Any) -> str:
    """A stage metric as short text: dicts as ``key: value`` pairs."""
    if isinstance(value, dict):
        return ", ".join(f"{key}: {metric(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(metric(item) for item in value)
    return number(value, 2) if isinstance(value, float) else number(value)


def bar(row: FunnelRow) -> list[dict[str, Any]]:
    """The parts of a funnel bar: fate, count and width in percent of the extracted rows."""
    total = max(row.extracted, row.accounted + row.unaccounted, 1)
    parts = []
    for name in BAR_PARTS:
        count = getattr(row, name)
        if count:
            parts.append({"name": name, "count": count, "width": round(100 * count / total, 2)})
    return parts


CHART_WIDTH = 400


def funnel_steps(obj: ObjectReport) -> list[dict[str, Any]]:
    """The object's funnel as chart steps: extracted, valid, after merging, loaded."""
    rows = obj.funnel
    extracted = sum(r.extracted for r in rows)
    valid = extracted - sum(r.rejected for r in rows)
    golden = valid - sum(r.merged for r in rows)
    steps = [
        ("Extracted", extracted, "extracted"),
        ("Passed the rules", valid, "valid"),
        ("After merging duplicates", golden, "golden"),
        ("Loaded in this batch", sum(r.loaded for r in rows), "loaded"),
    ]
    scale = CHART_WIDTH / max(extracted, 1)
    return [
        {"label": label, "count": count, "css": css, "width": round(max(count, 0) * scale, 1)}
        for label, count, css in steps
    ]


def percent(value: float | None) -> str:
    """A share in percent with one decimal; blank when there is none."""
    return "" if value is None else f"{value:.1f} %"


def flatten(data: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Nested figures as (dotted key, value) pairs, in key order."""
    for key in sorted(data, key=str):
        value = data[key]
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from flatten(value, f"{name}.")
        else:
            yield name, value

"""JSON Schemas (draft 2020-12) of the run report and the reconciliation report.

Tools that read ``report/report.json`` or ``report/reconcile.json`` can check
them against these; the run writes ``report/report.schema.json`` beside the
report. Every object is closed (``additionalProperties: false``), so a field
added to the report without its schema fails the schema tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"
INT: dict[str, Any] = {"type": "integer", "minimum": 0}
NUMBER: dict[str, Any] = {"type": "number"}
TEXT: dict[str, Any] = {"type": "string"}
MAYBE_TEXT: dict[str, Any] = {"type": ["string", "null"]}
BOOL: dict[str, Any] = {"type": "boolean"}
COUNTS: dict[str, Any] = {"type": "object", "additionalProperties": INT}
TEXTS: dict[str, Any] = {"type": "object", "additionalProperties": TEXT}


def record(**properties: dict[str, Any]) -> dict[str, Any]:
    """A closed object whose properties are all required."""
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }


def array(items: dict[str, Any]) -> dict[str, Any]:
    """A list of ``items``."""
    return {"type": "array", "items": items}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or null."""
    return {"anyOf": [schema, {"type": "null"}]}


FUNNEL_ROW = record(
    system=TEXT,
    extracted=INT,
    loaded=INT,
    merged=INT,
    rejected=INT,
    out_of_scope=INT,
    unaccounted=INT,
    closes=BOOL,
)
RULE_COUNT = record(
    rule=TEXT, severity=TEXT, owner=MAYBE_TEXT, field=MAYBE_TEXT, count=INT, example_reason=TEXT
)
UNMAPPED = record(value_map=TEXT, field=TEXT, value=TEXT, count=INT)
CONTROL_TOTAL = record(
    field=TEXT,
    group=TEXTS,
    extracted=NUMBER,
    loaded=NUMBER,
    rejected=NUMBER,
    merged=NUMBER,
    out_of_scope=NUMBER,
    difference=NUMBER,
    closes=BOOL,
)
CLUSTERS = record(
    clusters=INT,
    rows=INT,
    merged=INT,
    sizes=COUNTS,
    largest=array(record(golden_key=TEXT, size=INT, members=array(TEXT))),
)
FIELD_PROFILE = record(
    field=TEXT,
    personal=BOOL,
    before_rows=INT,
    before_filled=INT,
    before_distinct=INT,
    after_rows=INT,
    after_filled=INT,
    after_distinct=INT,
    findings=INT,
)
OBJECT = record(
    name=TEXT,
    funnel=array(FUNNEL_ROW),
    rejects_by_rule=array(RULE_COUNT),
    unmapped=array(UNMAPPED),
    control_totals=array(CONTROL_TOTAL),
    stages=array({"type": "object"}),
    match={"type": "object"},
    already_loaded=COUNTS,
    clusters=nullable(CLUSTERS),
    profile=array(FIELD_PROFILE),
    closes=BOOL,
)
TARGET_LOAD = record(
    mode={"enum": ["load", "simulation"]},
    target=TEXT,
    status=TEXT,
    batch=MAYBE_TEXT,
    label=MAYBE_TEXT,
    resumed=BOOL,
    repeated=BOOL,
    refused=INT,
    objects=array(record(name=TEXT, table=TEXT, rows=INT, inserted=INT, updated=INT, refused=INT)),
)
RUN_REPORT: dict[str, Any] = {
    "$schema": DRAFT,
    "title": "migrate run report",
    **record(
        project=TEXT,
        run_id=TEXT,
        scope=MAYBE_TEXT,
        started=TEXT,
        finished=TEXT,
        status=TEXT,
        objects=array(OBJECT),
        files=array(
            record(path=TEXT, rows=INT, sha256={"type": "string", "pattern": "^[0-9a-f]{64}$"})
        ),
        messages=array(TEXT),
        pulled_in=array(record(object=TEXT, key=TEXT, referenced_by=TEXT, by_key=TEXT, field=TEXT)),
        target_load=nullable(TARGET_LOAD),
    ),
}

RECONCILE_REPORT: dict[str, Any] = {
    "$schema": DRAFT,
    "title": "migrate reconciliation report",
    **record(
        project=TEXT,
        run_id=TEXT,
        scope=MAYBE_TEXT,
        target=TEXT,
        batch=MAYBE_TEXT,
        checked=TEXT,
        status={"enum": ["reconciled", "not reconciled"]},
        funnel=array(
            record(
                object=TEXT,
                system=TEXT,
                scope=TEXT,
                extracted=INT,
                mapped=INT,
                rejected=INT,
                merged=INT,
                out_of_scope=INT,
                loaded=INT,
                unaccounted=INT,
                closes=BOOL,
            )
        ),
        rules=array(record(object=TEXT, rule=TEXT, rows=INT)),
        totals=array(
            record(
                object=TEXT,
                field=TEXT,
                group=TEXTS,
                extracted=NUMBER,
                rejected=NUMBER,
                merged=NUMBER,
                out_of_scope=NUMBER,
                loaded=NUMBER,
                target=NUMBER,
                explained=NUMBER,
                difference=NUMBER,
                closes=BOOL,
            )
        ),
        objects=array(
            record(
                object=TEXT,
                table=TEXT,
                file_rows=INT,
                ledger_loaded=INT,
                in_target=INT,
                other_rows=INT,
                buckets=INT,
                buckets_differing=INT,
                rows_fetched=INT,
                closes=BOOL,
            )
        ),
        keys=array(
            record(
                object=TEXT,
                key=TEXT,
                problem={"enum": ["missing", "extra", "changed"]},
                detail=TEXT,
            )
        ),
        fields=array(
            record(object=TEXT, key=TEXT, column=TEXT, expected=MAYBE_TEXT, actual=MAYBE_TEXT)
        ),
        messages=array(TEXT),
    ),
}


def write_schema(schema: dict[str, Any], path: Path) -> Path:
    """Write a schema as indented JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path

"""A small project whose load files the GX and `migrate validate` tests write by hand."""

from __future__ import annotations

import csv
from pathlib import Path

MIGRATION = """\
project: gx-test
objects:
  customer:
    sources:
      - {name: erp, system: ERP, kind: csv, path: legacy.csv, key: [ID]}
load:
  formats: [csv]
"""
MAPPING = """\
object: customer
key: [customer_id]
fields:
  customer_id: {type: string, length: 6, required: true}
  name: {type: string, length: 10, required: true}
  zip: {type: string, pattern: '[0-9]{5}'}
  country: {type: string, allowed: [DE, FR]}
  sales_org: {type: string, check_table: {file: orgs.csv}}
  credit: {type: decimal, min: 0, precision: 7, scale: 2}
  visits: {type: integer, precision: 3}
  tax_no: {type: string}
  since: {type: date}
  changed: {type: date}
  active: {type: boolean}
checks:
  - id: V01
    when: {field: country, equals: FR}
    require: {field: tax_no, is_null: false}
  - id: V02
    compare: {field: changed, op: ">=", other: since}
    severity: warn
sources:
  erp: {customer_id: ID}
"""
COLUMNS = [
    "customer_id",
    "name",
    "zip",
    "country",
    "sales_org",
    "credit",
    "visits",
    "tax_no",
    "since",
    "changed",
    "active",
]
GOOD = [
    ["C1", "Anna", "12345", "DE", "1000", "10.5", "3", "", "2020-01-31", "2021-01-01", "true"],
    ["C2", "Ben", "", "FR", "2000", "0", "", "FR1", "2020-02-01", "", "false"],
    ["C3", "Cleo", "54321", "", "", "", "999", "", "", "", ""],
]


def make_project(root: Path) -> Path:
    """Write migration.yaml, the mapping and its check table under ``root``."""
    (root / "mappings").mkdir(parents=True, exist_ok=True)
    (root / "migration.yaml").write_text(MIGRATION, encoding="utf-8")
    (root / "mappings/customer.yaml").write_text(MAPPING, encoding="utf-8")
    (root / "mappings/orgs.csv").write_text("code,name\n1000,a\n2000,b\n", encoding="utf-8")
    return root


def write_load(out: Path, rows: list[list[str]]) -> Path:
    """Write ``out/load/customer.csv`` with ``rows`` under the mapping's columns."""
    path = out / "load" / "customer.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def bad_rows() -> list[list[str]]:
    """The good rows plus one row per defect (keys B1...), each failing one rule."""
    base = ["Bad", "", "", "", "", "", "", "", "", ""]
    changes = {
        "B1": {"name": "Bartholomew Jr"},  # length
        "B2": {"zip": "1234"},  # pattern
        "B3": {"country": "XX"},  # allowed
        "B4": {"sales_org": "9999"},  # check table
        "B5": {"credit": "-1"},  # range
        "B6": {"visits": "1000"},  # precision
        "B7": {"country": "FR"},  # V01: a FR customer without tax_no
        "B8": {"since": "2020-05-01", "changed": "2020-04-01"},  # V02 (warn)
        "C1": {},  # duplicate key
    }
    rows = [list(row) for row in GOOD]
    for key, change in changes.items():
        row = dict(zip(COLUMNS, [key, *base], strict=True)) | change
        rows.append([row[c] for c in COLUMNS])
    return rows

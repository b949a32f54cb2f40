"""A tiny migration project (customers and their orders, two regions) for fast load tests.

``make_project(folder)`` writes it; ``run_cli`` runs a ``migrate`` command on it.
The orders of region N are the pilot (scope ``north``); the batch plan has
``pilot`` (that scope) and ``rest`` (everything else).
"""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner, Result

from migrate.cli.main import cli

CUSTOMERS = 100
ORDERS = 400

MIGRATION = """\
project: tiny
objects:
  customer:
    sources:
      - {name: crm, system: CRM, kind: csv, path: data/customers.csv, key: [id]}
  order:
    sources:
      - {name: erp, system: ERP, kind: csv, path: data/orders.csv, key: [order_no]}
    depends_on: [customer]
    references:
      - {field: customer_id, object: customer}
    control_totals:
      - {field: amount, by: [region, currency]}
    target_table: orders
scopes:
  north:
    where: {field: region, equals: "N"}
    objects: [order]
batches:
  pilot: {scope: north, description: Region N and the customers its orders use}
  rest: {description: Everything the pilot did not load}
target:
  url: "sqlite:///{out}/target.sqlite"
"""

CUSTOMER_MAPPING = """\
object: customer
key: [customer_id]
fields:
  customer_id: {type: string, length: 10, required: true}
  name: {type: string, length: 40, required: true}
  email: {type: string, length: 60, personal: true}
  region: {type: string, length: 2, required: true}
sources:
  crm:
    customer_id: id
    name: name
    email: email
    region: region
"""

CUSTOMER_RULES = """\
object: customer
steps:
  - {id: CUS-MAIL, op: email, fields: [email], severity: warn, owner: CRM team}
"""

ORDER_MAPPING = """\
object: order
key: [order_no]
fields:
  order_no: {type: string, length: 10, required: true}
  customer_id: {type: string, length: 10, required: true}
  amount: {type: decimal, required: true}
  currency: {type: string, length: 3, required: true}
  region: {type: string, length: 2, required: true}
  order_date: {type: date}
sources:
  erp:
    order_no: order_no
    customer_id: customer_id
    amount: amount
    currency: currency
    region: region
    order_date: order_date
"""


def _customers() -> list[dict[str, str]]:
    rows = []
    for n in range(1, CUSTOMERS + 1):
        email = f"person{n}@example.com" if n % 10 else f"person{n} at example"
        rows.append({"id": f"C{n:04d}", "name": f"客户 {n}", "email": email, "region": "NS"[n % 2]})
    return rows


def _orders() -> list[dict[str, str]]:
    rows = []
    for n in range(1, ORDERS + 1):
        customer = (n * 7) % CUSTOMERS + 1
        rows.append(
            {
                "order_no": f"O{n:05d}",
                "customer_id": f"C{customer:04d}",
                "amount": f"{(n * 37) % 1000 + 0.25 * (n % 4):.2f}",
                "currency": "CNY" if n % 3 else "USD",
                "region": "NS"[n % 2 if n % 5 else 0],
                "order_date": f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
            }
        )
    return rows


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def make_project(folder: Path) -> Path:
    """Write the tiny project into ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "migration.yaml").write_text(MIGRATION, encoding="utf-8")
    (folder / "mappings").mkdir(exist_ok=True)
    (folder / "rules").mkdir(exist_ok=True)
    (folder / "mappings/customer.yaml").write_text(CUSTOMER_MAPPING, encoding="utf-8")
    (folder / "mappings/order.yaml").write_text(ORDER_MAPPING, encoding="utf-8")
    (folder / "rules/customer.yaml").write_text(CUSTOMER_RULES, encoding="utf-8")
    _write_csv(folder / "data/customers.csv", _customers())
    _write_csv(folder / "data/orders.csv", _orders())
    return folder


def run_cli(*args: str) -> Result:
    """Run ``migrate <args>`` in-process."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def make_package(folder: Path, *args: str) -> Path:
    """Make the project in ``folder`` and run it without a target; returns the output folder.

    ``args`` go to ``migrate run`` (e.g. ``--batch pilot``); the default is ``--all``. With
    ``--target URL`` the run leaves out rows earlier batches loaded there, and simulates.
    """
    project = folder if (folder / "migration.yaml").exists() else make_project(folder)
    name = "_".join(a.strip("-") for a in args if "://" not in a) or "all"
    out = project / f"out_{name}"
    # With a target, the run leaves out what earlier batches loaded and only simulates the load.
    target = ("--simulate",) if "--target" in args else ("--no-target",)
    result = run_cli(
        "run",
        "--project",
        str(project),
        "--out",
        str(out),
        "--quiet",
        *target,
        *(args or ("--all",)),
    )
    assert result.exit_code == 0, result.output
    return out

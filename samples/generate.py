"""Generate a deterministic legacy landscape: an old ERP, a CRM, and the truth behind them.

Usage::

    python samples/generate.py --customers 1000 --seed 42 --out samples/
    python samples/generate.py --customers 1000000 --only customers --out /tmp/big
    python samples/generate.py --only orders --order-lines 10000000 --out /tmp/big

Files (under ``--out``): ``legacy/erp/customers.csv`` (GB18030), ``legacy/crm/accounts.xlsx``,
``legacy/erp/materials.sqlite``, ``legacy/erp/order_lines.csv`` (GB18030) and, in UTF-8,
``truth/customer_entities.csv``, ``truth/material_entities.csv``, ``truth/defects.csv`` and
``truth/hard_negatives.csv``. With ``--only``, the truth rows of other objects already in
``defects.csv`` / ``hard_negatives.csv`` are kept.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from samples.gen.common import Obj
from samples.gen.customers import ERP_COLUMNS, build_crm, build_erp
from samples.gen.defects import DEFECT_COLUMNS
from samples.gen.entities import make_entities
from samples.gen.materials import Materials, build_materials, material_rows
from samples.gen.orders import ORDER_COLUMNS, default_order_lines, order_chunks
from samples.gen.plan import CRM, ERP, SIBLING_KINDS, CustomerPlan, make_plan
from samples.gen.writers import (
    LegacyCsv,
    read_truth,
    write_sqlite,
    write_truth,
    write_xlsx,
)

PARTS = ("customers", "materials", "orders")
OBJECTS = {"customers": "customer", "materials": "material", "orders": "sales_order_line"}
DEFAULT_OUT = Path(__file__).resolve().parent
ERP_CUSTOMERS = "legacy/erp/customers.csv"
CRM_ACCOUNTS = "legacy/crm/accounts.xlsx"
MARA = "legacy/erp/materials.sqlite"
ORDER_LINES = "legacy/erp/order_lines.csv"
CUSTOMER_TRUTH = "truth/customer_entities.csv"
MATERIAL_TRUTH = "truth/material_entities.csv"
DEFECTS = "truth/defects.csv"
HARD_NEGATIVES = "truth/hard_negatives.csv"
HARD_NEGATIVE_COLUMNS = ("object", "system_a", "legacy_key_a", "system_b", "legacy_key_b", "kind")
CRM_WIDTHS = {"Account Name": 40, "Street": 36, "Email": 30, "Credit Code": 22}

Row = tuple[str, ...]


def generate(
    out_dir: Path,
    customers: int,
    seed: int = 42,
    order_lines: int | None = None,
    only: set[str] | None = None,
) -> dict[str, int]:
    """Write the landscape for ``customers`` true customer entities; return rows per file."""
    parts = set(PARTS) if not only else set(only)
    if unknown := parts - set(PARTS):
        raise ValueError(f"unknown part(s) {sorted(unknown)}; choose from {PARTS}")
    out_dir = Path(out_dir)
    counts: dict[str, int] = {}
    defects: dict[str, list[Row]] = {}
    negatives: dict[str, list[Row]] = {}
    plan = make_plan(customers, seed) if parts & {"customers", "orders"} else None
    if "customers" in parts and plan is not None:
        counts |= _customers(out_dir, plan, seed, defects, negatives)
    mats = None
    if parts & {"materials", "orders"}:
        mats = build_materials(material_rows(customers), seed)
    if "materials" in parts and mats is not None:
        counts |= _materials(out_dir, mats, defects, negatives)
    if "orders" in parts and plan is not None and mats is not None:
        lines = default_order_lines(plan) if order_lines is None else order_lines
        counts |= _orders(out_dir, plan, mats, lines, seed, defects)
    counts[DEFECTS] = _merge_truth(out_dir / DEFECTS, DEFECT_COLUMNS, defects)
    if negatives:
        counts[HARD_NEGATIVES] = _merge_truth(
            out_dir / HARD_NEGATIVES, HARD_NEGATIVE_COLUMNS, negatives
        )
    return counts


def _customers(
    out: Path,
    plan: CustomerPlan,
    seed: int,
    defects: dict[str, list[Row]],
    negatives: dict[str, list[Row]],
) -> dict[str, int]:
    """ERP customers, CRM accounts and their entity truth."""
    ents = make_entities(plan, seed)
    erp = build_erp(plan, ents, seed)
    with LegacyCsv(out / ERP_CUSTOMERS, ERP_COLUMNS) as sink:
        sink.write(erp.columns)
    erp_truth = (erp.columns["KUNNR"], erp.variants, erp.defects)
    del erp
    crm = build_crm(plan, ents, seed)
    del ents
    n_crm = write_xlsx(out / CRM_ACCOUNTS, "Accounts", crm.columns, CRM_WIDTHS)
    entities = _entity_rows(
        plan, erp_truth[0], erp_truth[1], crm.columns["Account ID"], crm.variants
    )
    n_truth = write_truth(
        out / CUSTOMER_TRUTH, ("system", "legacy_key", "entity_id", "variant"), entities
    )
    defects["customer"] = [*erp_truth[2], *crm.defects]
    negatives["customer"] = _customer_negatives(plan)
    return {ERP_CUSTOMERS: len(plan.erp), CRM_ACCOUNTS: n_crm, CUSTOMER_TRUTH: n_truth}


def _entity_rows(
    plan: CustomerPlan, erp_keys: Obj, erp_var: Obj, crm_keys: Obj, crm_var: Obj
) -> Iterator[Row]:
    for system, rows, keys, variants in (
        (ERP, plan.erp, erp_keys, erp_var),
        (CRM, plan.crm, crm_keys, crm_var),
    ):
        for e, k, v in zip(rows.entity.tolist(), keys.tolist(), variants.tolist(), strict=True):
            yield (system, k, f"C{e + 1:07d}", v)


def _customer_negatives(plan: CustomerPlan) -> list[Row]:
    """(sibling row, partner's first row) for every near-namesake company."""
    first: dict[int, tuple[str, str]] = {}
    for system, rows in ((CRM, plan.crm), (ERP, plan.erp)):
        for e, k, o in zip(
            rows.entity.tolist(), rows.key.tolist(), rows.original.tolist(), strict=True
        ):
            if o:
                first[e] = (system, k)
    out: list[Row] = []
    for s in (plan.sibling_kind > 0).nonzero()[0].tolist():
        a, b = first[s], first[int(plan.sibling_of[s])]
        out.append(("customer", *a, *b, SIBLING_KINDS[plan.sibling_kind[s]]))
    return out


def _materials(
    out: Path, mats: Materials, defects: dict[str, list[Row]], negatives: dict[str, list[Row]]
) -> dict[str, int]:
    """MARA in SQLite plus its entity truth."""
    n = write_sqlite(out / MARA, "MARA", mats.columns, "MATNR")
    rows = zip(
        mats.columns["MATNR"].tolist(), mats.entity.tolist(), mats.variants.tolist(), strict=True
    )
    truth = ((code, f"M{e + 1:06d}", v) for code, e, v in rows)
    n_truth = write_truth(out / MATERIAL_TRUTH, ("legacy_key", "entity_id", "variant"), truth)
    defects["material"] = list(mats.defects)
    negatives["material"] = [
        ("material", ERP, a, ERP, b, "same_number_other_mtart") for a, b in mats.hard_negatives
    ]
    return {MARA: n, MATERIAL_TRUTH: n_truth}


def _orders(
    out: Path,
    plan: CustomerPlan,
    mats: Materials,
    lines: int,
    seed: int,
    defects: dict[str, list[Row]],
) -> dict[str, int]:
    """Order lines, written chunk by chunk."""
    found: list[Row] = []
    with LegacyCsv(out / ORDER_LINES, ORDER_COLUMNS) as sink:
        for cols, chunk_defects in order_chunks(plan, mats, lines, seed):
            sink.write(cols)
            found.extend(chunk_defects)
        written = sink.rows
    defects["sales_order_line"] = found
    return {ORDER_LINES: written}


def _merge_truth(path: Path, header: tuple[str, ...], new: dict[str, list[Row]]) -> int:
    """Replace the rows of regenerated objects, keep the others; fixed object order."""
    old_header, old_rows = read_truth(path)
    kept: dict[str, list[Row]] = {}
    if tuple(old_header) == header:
        for row in old_rows:
            if row[0] not in new:
                kept.setdefault(row[0], []).append(tuple(row))
    merged = kept | new
    order = [o for o in OBJECTS.values() if o in merged]
    return write_truth(path, header, (row for o in order for row in merged[o]))


def _only(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=1000, help="true customer entities")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    ap.add_argument("--order-lines", type=int, default=None, help="order lines to write")
    ap.add_argument(
        "--only",
        type=_only,
        action="extend",
        default=None,
        help=f"comma-separated parts: {', '.join(PARTS)}",
    )
    args = ap.parse_args(argv)
    start = time.perf_counter()
    counts = generate(
        args.out, args.customers, args.seed, args.order_lines, set(args.only) if args.only else None
    )
    for name, rows in counts.items():
        print(f"{rows:>10,}  {name}")
    print(f"done in {time.perf_counter() - start:.1f}s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Sales order lines (``VBAK``/``VBAP``-like), generated in chunks so they can be huge."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from samples.gen import dates
from samples.gen.common import (
    Ints,
    Obj,
    day,
    defect_count,
    draw_cumulative,
    obj,
    rng_for,
    zipf_weights,
)
from samples.gen.defects import UNMAPPED, DefectRow, bad_dates, record
from samples.gen.materials import CODE_FORMATS, PIECE, UNITS, Materials
from samples.gen.plan import CustomerPlan, unused_kunnr

ORDER_COLUMNS = (
    "VBELN",
    "POSNR",
    "KUNNR",
    "MATNR",
    "KWMENG",
    "VRKME",
    "NETWR",
    "WAERK",
    "AUDAT",
    "EDATU",
    "VKORG",
)
ORDER_DEFECTS = (
    "orphan_customer",
    "orphan_material",
    "impossible_date",
    "unmapped_value",
    "delivery_before_order",
    "negative_quantity",
)
CHUNK_LINES = 500_000
FIRST_VBELN = 4_500_000_001
FIRST_DAY, LAST_DAY = day("2020-01-01"), day("2024-12-31")


@dataclass
class Sources:
    """What order lines draw from: clean customer rows and clean material rows."""

    kunnr: Obj
    vkorg: Obj
    export: np.ndarray
    cust_cum: np.ndarray
    matnr: Obj
    meins: Obj
    unit_class: Ints
    price: np.ndarray
    mat_cum: np.ndarray
    plan: CustomerPlan
    material_numbers: Ints


def default_order_lines(plan: CustomerPlan) -> int:
    """About four lines per ERP customer row, at most 4,000."""
    return min(4 * len(plan.erp), 4000)


def order_chunks(
    plan: CustomerPlan, mats: Materials, lines: int, seed: int
) -> Iterator[tuple[dict[str, Obj], list[DefectRow]]]:
    """Yield (columns, defect records) for chunks of at most ``CHUNK_LINES`` lines."""
    src = _sources(plan, mats, seed)
    n_chunks = max(1, -(-lines // CHUNK_LINES))
    edges = np.linspace(FIRST_DAY, LAST_DAY + 1, n_chunks + 1).astype(np.int64)
    vbeln = FIRST_VBELN
    for c in range(n_chunks):
        size = min(CHUNK_LINES, lines - c * CHUNK_LINES)
        rng = rng_for(seed, f"orders.chunk.{c}")
        cols, defects, n_orders = _chunk(rng, src, size, vbeln, (edges[c], edges[c + 1]))
        vbeln += n_orders
        yield cols, defects


def _sources(plan: CustomerPlan, mats: Materials, seed: int) -> Sources:
    rng = rng_for(seed, "orders.sources")
    cust = np.flatnonzero(plan.erp.defect < 0)
    mat = np.flatnonzero(mats.clean)
    return Sources(
        kunnr=plan.erp.key[cust],
        vkorg=plan.erp.vkorg[cust],
        export=plan.erp.ktokd[cust] == "Z002",
        cust_cum=zipf_weights(rng, len(cust)),
        matnr=mats.columns["MATNR"][mat],
        meins=mats.columns["MEINS"][mat],
        unit_class=mats.unit_class[mat],
        price=mats.price[mat],
        mat_cum=zipf_weights(rng, len(mat), 0.9),
        plan=plan,
        material_numbers=mats.numbers,
    )


def _line_counts(rng: np.random.Generator, size: int) -> Ints:
    """Lines per order (1-10, mostly few) adding up to exactly ``size``."""
    counts = np.minimum(rng.geometric(0.4, size // 2 + 50), 10)
    while counts.sum() < size:
        counts = np.concatenate([counts, np.minimum(rng.geometric(0.4, size), 10)])
    cum = np.cumsum(counts)
    n_orders = int(np.searchsorted(cum, size)) + 1
    counts = counts[:n_orders].copy()
    counts[-1] -= int(cum[n_orders - 1] - size)
    return counts


def _chunk(
    rng: np.random.Generator, src: Sources, size: int, vbeln: int, span: tuple[int, int]
) -> tuple[dict[str, Obj], list[DefectRow], int]:
    """One chunk of order lines plus its defect records."""
    counts = _line_counts(rng, size)
    n = len(counts)
    cust = draw_cumulative(rng, src.cust_cum, n)
    audat = np.sort(rng.integers(span[0], span[1], n))
    head = {
        "VBELN": obj([str(v) for v in range(vbeln, vbeln + n)]),
        "KUNNR": src.kunnr[cust],
        "WAERK": _currencies(rng, src.export[cust]),
        "AUDAT": dates.spell_days(audat, dates.mixed_formats(rng, n)),
        "EDATU": dates.iso_days(audat + rng.integers(3, 90, n)),
        "VKORG": np.where(rng.random(n) < 0.95, src.vkorg[cust], "1000"),
    }
    cols = {k: obj(np.repeat(v, counts)) for k, v in head.items()}
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    posnr = (np.arange(size) - starts + 1) * 10
    cols["POSNR"] = obj([f"{p:06d}" for p in posnr.tolist()])
    cols |= _items(rng, src, size, cols["WAERK"])
    first_line = np.cumsum(counts) - counts
    defects = _corrupt(rng, src, cols, audat, first_line[counts == 1], counts == 1)
    return {k: cols[k] for k in ORDER_COLUMNS}, defects, n


def _currencies(rng: np.random.Generator, export: np.ndarray) -> Obj:
    """CNY in three spellings; export customers mostly pay in USD."""
    n = len(export)
    cny = rng.choice(np.array(["CNY", "RMB", "人民币"], dtype=object), n, p=(0.7, 0.2, 0.1))
    return np.where(export & (rng.random(n) < 0.8), "USD", cny)


def _items(rng: np.random.Generator, src: Sources, size: int, waerk: Obj) -> dict[str, Obj]:
    """Material, quantity, unit and net amount per line."""
    mat = draw_cumulative(rng, src.mat_cum, size)
    piece = src.unit_class[mat] == PIECE
    qty = np.where(
        piece, np.ceil(rng.lognormal(2.0, 1.2, size)), np.round(rng.lognormal(3.0, 1.5, size), 1)
    )
    unit = src.meins[mat].copy()
    swap = rng.random(size) < 0.1
    for i in np.flatnonzero(swap).tolist():
        options = UNITS[int(src.unit_class[mat[i]])]
        unit[i] = options[int(rng.integers(0, len(options)))]
    amount = qty * src.price[mat]
    return {
        "MATNR": src.matnr[mat],
        "KWMENG": _quantities(rng, qty),
        "VRKME": unit,
        "NETWR": _amounts(rng, amount, waerk),
    }


def _quantities(rng: np.random.Generator, qty: np.ndarray) -> Obj:
    """``12``, ``3.5``, and some German-style ``1.250,5``."""
    comma = rng.random(len(qty)) < 0.05
    out = []
    for q, c in zip(qty.tolist(), comma.tolist(), strict=True):
        text = f"{q:.1f}".removesuffix(".0")
        if c and "." in text:
            whole, frac = text.split(".")
            text = f"{int(whole):,}".replace(",", ".") + "," + frac
        out.append(text)
    return obj(out)


def _amounts(rng: np.random.Generator, amount: np.ndarray, waerk: Obj) -> Obj:
    """``1234.50``, ``12,345.60`` or ``¥1,234.00`` (yuan only)."""
    style = rng.choice(3, len(amount), p=(0.6, 0.25, 0.15))
    out = []
    for a, s, w in zip(amount.round(2).tolist(), style.tolist(), waerk.tolist(), strict=True):
        if s == 0:
            out.append(f"{a:.2f}")
        elif s == 2 and w != "USD":
            out.append(f"¥{a:,.2f}")
        else:
            out.append(f"{a:,.2f}")
    return obj(out)


def _corrupt(
    rng: np.random.Generator,
    src: Sources,
    cols: dict[str, Obj],
    audat: Ints,
    single_lines: Ints,
    single_orders: np.ndarray,
) -> list[DefectRow]:
    """One defect on each chosen single-line order; records sorted by line."""
    per_kind = min(defect_count(len(cols["VBELN"])), len(single_lines) // len(ORDER_DEFECTS))
    picked = rng.permutation(len(single_lines))[: per_kind * len(ORDER_DEFECTS)]
    order_of = np.flatnonzero(single_orders)[picked]
    lines = single_lines[picked]
    values = _defect_values(rng, src, per_kind)
    found: list[tuple[int, DefectRow]] = []
    for k, kind in enumerate(ORDER_DEFECTS):
        for j in range(per_kind):
            i, o = int(lines[k * per_kind + j]), int(order_of[k * per_kind + j])
            field, value = _apply(kind, j, values, cols, i, int(audat[o]))
            key = f"{cols['VBELN'][i]}/{cols['POSNR'][i]}"
            found.append((i, record("sales_order_line", "ERP", key, field, kind, value)))
    return [row for _, row in sorted(found)]


def _defect_values(rng: np.random.Generator, src: Sources, k: int) -> dict[str, list]:
    """Pre-drawn values for ``k`` defects of each kind."""
    top = int(src.material_numbers.max())
    free = np.setdiff1d(np.arange(1, 2 * top + 10), src.material_numbers)
    numbers = rng.choice(free, k, replace=len(free) < k)
    fmts = rng.integers(0, len(CODE_FORMATS), k)
    return {
        "kunnr": list(unused_kunnr(src.plan, rng, k)),
        "matnr": [CODE_FORMATS[f].format(n=n) for f, n in zip(fmts, numbers, strict=True)],
        "audat": bad_dates(rng, k, (0, 1, 2, 3, 4)),
        "early": rng.integers(1, 30, k).tolist(),
        "field": ["VRKME" if u < 0.5 else "WAERK" for u in rng.random(k)],
    }


def _apply(
    kind: str, j: int, values: dict[str, list], cols: dict[str, Obj], i: int, audat: int
) -> tuple[str, str]:
    """Overwrite one field of line ``i``; return (field, seeded value)."""
    if kind == "orphan_customer":
        field, value = "KUNNR", values["kunnr"][j]
    elif kind == "orphan_material":
        field, value = "MATNR", values["matnr"][j]
    elif kind == "impossible_date":
        field, value = "AUDAT", values["audat"][j]
    elif kind == "unmapped_value":
        field = values["field"][j]
        value = UNMAPPED[field]
    elif kind == "delivery_before_order":
        field, value = "EDATU", str(np.datetime64(audat - values["early"][j], "D"))
    else:
        field, value = "KWMENG", "-" + cols["KWMENG"][i]
        cols["NETWR"][i] = "-" + cols["NETWR"][i].lstrip("¥")
    cols[field][i] = value
    return field, value

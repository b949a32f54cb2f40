"""The customer skeleton: which entity lives in which system, how often, and its keys.

The plan is cheap (numbers only), so order lines can be generated from it without
building any customer text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from samples.gen.common import (
    Bools,
    Ints,
    Obj,
    choose_rows,
    day,
    defect_count,
    obj,
    pick,
    rng_for,
)

ERP, CRM = "ERP", "CRM"
# (defect kind, legacy column) per system; a row's ``defect`` indexes this tuple.
ERP_DEFECTS = (
    ("bad_uscc_check_digit", "STCD5"),
    ("missing_name", "NAME1"),
    ("impossible_date", "ERDAT"),
    ("unmapped_value", "KTOKD"),
    ("bad_email", "SMTP_ADDR"),
)
CRM_DEFECTS = (
    ("bad_uscc_check_digit", "Credit Code"),
    ("missing_name", "Account Name"),
    ("impossible_date", "Created"),
    ("bad_email", "Email"),
)
SALES_ORGS = ("1000", "2000", "3000")
HOME_P = (0.58, 0.17, 0.25)  # ERP only, ERP and CRM, CRM only
SIBLING_KINDS = ("", "other_city", "other_industry", "branch")
START, CRM_START, END = day("2005-01-01"), day("2014-01-01"), day("2024-12-31")


@dataclass
class SystemRows:
    """The rows of one system, in file order."""

    entity: Ints
    original: Bools
    created: Ints
    modified: Ints
    key: Obj
    vkorg: Obj
    ktokd: Obj
    defect: Ints

    def __len__(self) -> int:
        return len(self.entity)


@dataclass
class CustomerPlan:
    """Entities, hard-negative siblings and the rows of both systems."""

    entities: int
    sibling_of: Ints
    sibling_kind: Ints
    erp: SystemRows
    crm: SystemRows
    kunnr_numbers: Ints


def make_plan(entities: int, seed: int) -> CustomerPlan:
    """Lay out ``entities`` true customers over the ERP and the CRM."""
    rng = rng_for(seed, "customers.plan")
    home = rng.choice(3, size=entities, p=HOME_P)
    sibling_of, sibling_kind = _siblings(rng, entities)
    home[(sibling_kind > 0) & (home == 1)] = 0
    erp_dup = (home < 2) & (sibling_kind == 0) & (rng.random(entities) < 0.10)
    base_created = rng.integers(START, day("2023-06-30"), entities)
    vkorg = pick(rng, SALES_ORGS, entities, (0.45, 0.35, 0.2))
    ktokd = pick(rng, ("Z001", "Z002", "Z003"), entities, (0.85, 0.1, 0.05))
    protected = np.zeros(entities, dtype=bool)
    protected[sibling_of[sibling_of >= 0]] = True
    protected |= sibling_kind > 0
    erp = _erp_rows(rng, home, erp_dup, base_created, vkorg, ktokd)
    crm = _crm_rows(rng, home, base_created, vkorg, ktokd)
    singles = ~protected & ~erp_dup & (home != 1)
    _assign_defects(rng, erp, singles, len(ERP_DEFECTS))
    _assign_defects(rng, crm, singles, len(CRM_DEFECTS))
    numbers = _kunnr_numbers(rng, len(erp))
    erp.key = obj([f"{n:010d}" for n in numbers.tolist()])
    crm.key = obj([f"A-{i:06d}" for i in range(1, len(crm) + 1)])
    return CustomerPlan(entities, sibling_of, sibling_kind, erp, crm, numbers)


def _siblings(rng: np.random.Generator, n: int) -> tuple[Ints, Ints]:
    """About 3% of entities are near-namesakes ("hard negatives") of another entity."""
    is_sibling = rng.random(n) < 0.03
    is_sibling[0] = False
    partners = np.flatnonzero(~is_sibling)
    sibling_of = np.full(n, -1, dtype=np.int64)
    count = int(is_sibling.sum())
    sibling_of[is_sibling] = partners[rng.integers(0, len(partners), count)]
    kind = np.zeros(n, dtype=np.int64)
    kind[is_sibling] = rng.choice([1, 2, 3], size=count, p=(0.45, 0.35, 0.2))
    return sibling_of, kind


def _erp_rows(
    rng: np.random.Generator, home: Ints, dup: Bools, created: Ints, vkorg: Obj, ktokd: Obj
) -> SystemRows:
    """ERP rows: one per ERP entity plus a later second record for internal duplicates."""
    first = np.flatnonzero(home < 2)
    second = np.flatnonzero(dup)
    entity = np.concatenate([first, second])
    original = np.concatenate([np.ones(len(first), bool), np.zeros(len(second), bool)])
    made = created[entity].copy()
    made[~original] = np.minimum(made[~original] + rng.integers(60, 2500, len(second)), END - 30)
    org = vkorg[entity].copy()
    moved = ~original & (rng.random(len(entity)) < 0.2)
    org[moved] = pick(rng, SALES_ORGS, int(moved.sum()), (1, 1, 1))
    return _ordered(rng, entity, original, made, org, ktokd[entity].copy())


def _crm_rows(
    rng: np.random.Generator, home: Ints, created: Ints, vkorg: Obj, ktokd: Obj
) -> SystemRows:
    """CRM rows: prospects (CRM only) and accounts of companies also in the ERP."""
    entity = np.flatnonzero(home > 0)
    original = home[entity] == 2
    made = np.maximum(created[entity], CRM_START) + rng.integers(0, 900, len(entity))
    made = np.minimum(made, END - 30)
    org = vkorg[entity].copy()
    moved = rng.random(len(entity)) < 0.1
    org[moved] = pick(rng, SALES_ORGS, int(moved.sum()), (1, 1, 1))
    return _ordered(rng, entity, original, made, org, ktokd[entity].copy())


def _ordered(
    rng: np.random.Generator, entity: Ints, original: Bools, made: Ints, org: Obj, ktokd: Obj
) -> SystemRows:
    """Sort rows by creation day (keys are handed out in that order)."""
    order = np.lexsort((entity, made))
    made = made[order]
    modified = made + (rng.random(len(made)) * (END - made)).astype(np.int64)
    return SystemRows(
        entity=entity[order],
        original=original[order],
        created=made,
        modified=modified,
        key=obj([""] * len(made)),
        vkorg=org[order],
        ktokd=ktokd[order],
        defect=np.full(len(made), -1, dtype=np.int64),
    )


def _assign_defects(rng: np.random.Generator, rows: SystemRows, singles: Bools, kinds: int) -> None:
    """Give distinct single-record, non-sibling rows one defect kind each."""
    per_kind = defect_count(len(rows))
    chosen = choose_rows(rng, singles[rows.entity], per_kind * kinds)
    per_kind = len(chosen) // kinds
    for kind in range(kinds):
        rows.defect[chosen[kind * per_kind : (kind + 1) * per_kind]] = kind


def _kunnr_numbers(rng: np.random.Generator, count: int) -> Ints:
    """Ascending customer numbers with gaps where records were deleted long ago."""
    steps = np.ones(count, dtype=np.int64)
    gaps = rng.random(count) < 0.04
    steps[gaps] += rng.integers(1, 20, int(gaps.sum()))
    return 100_000 + np.cumsum(steps)


def unused_kunnr(plan: CustomerPlan, rng: np.random.Generator, count: int) -> Obj:
    """Customer numbers that belong to no customer row (for orphan order lines)."""
    used = plan.kunnr_numbers
    free = np.setdiff1d(np.arange(used[0], used[-1] + 1), used)
    if len(free) < count:
        free = np.concatenate([free, used[-1] + 1 + np.arange(count)])
    picked = rng.choice(free, size=count, replace=False)
    return obj([f"{n:010d}" for n in picked.tolist()])

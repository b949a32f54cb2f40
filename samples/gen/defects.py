"""Seeded defects (rows the rules must reject or warn about) and their truth records."""

from __future__ import annotations

import numpy as np

from samples.gen import dates
from samples.gen.common import Obj
from samples.gen.identifiers import wrong_check_digit
from samples.gen.plan import CRM_DEFECTS, ERP, ERP_DEFECTS, SystemRows

DEFECT_COLUMNS = ("object", "system", "legacy_key", "field", "defect", "value", "expect")
DefectRow = tuple[str, str, str, str, str, str, str]
WARN_ONLY = frozenset({"bad_email"})
UNMAPPED = {"KTOKD": "ZX9", "MEINS": "盒", "VRKME": "盒", "WAERK": "RMB元"}


def record(obj_name: str, system: str, key: str, field: str, kind: str, value: str) -> DefectRow:
    """One row of ``truth/defects.csv``."""
    expect = "warn" if kind in WARN_ONLY else "reject"
    return (obj_name, system, key, field, kind, value, expect)


def corrupt_email(email: str, u: float) -> str:
    """An address no validator accepts: ``a@@b.com``, ``info.b.com``, ``a@b``, ``a b@c.com``."""
    local, domain = email.split("@", 1)
    kind = int(u * 4)
    if kind == 0:
        return f"{local}@@{domain}"
    if kind == 1:
        return f"{local}.{domain}"
    if kind == 2:
        return f"{local}@{domain.split('.')[0]}"
    spaced = local.replace(".", " ", 1) if "." in local else f"{local[:2]} {local[2:]}"
    return f"{spaced}@{domain}"


def bad_dates(rng: np.random.Generator, size: int, formats: tuple[int, ...]) -> list[str]:
    """Impossible dates spelled in one of ``formats`` each."""
    year, month, dom = dates.impossible(rng, size)
    fmt = rng.choice(np.array(formats, dtype=np.int64), size)
    return list(dates.spell(year, month, dom, fmt))


def corrupt_customers(
    cols: dict[str, Obj],
    rows: SystemRows,
    parts: dict[str, np.ndarray],
    system: str,
    rng: np.random.Generator,
) -> list[DefectRow]:
    """Overwrite one field of each defect row; return the truth records in row order."""
    kinds = ERP_DEFECTS if system == ERP else CRM_DEFECTS
    key_col = "KUNNR" if system == ERP else "Account ID"
    hit = np.flatnonzero(rows.defect >= 0)
    u = rng.random(len(hit))
    fmts = (0, 1, 2, 3, 4) if system == ERP else (0, 1)
    wrong_dates = bad_dates(rng, len(hit), fmts)
    out: list[DefectRow] = []
    for j, i in enumerate(hit.tolist()):
        kind, field = kinds[rows.defect[i]]
        old = cols[field][i]
        if kind == "bad_uscc_check_digit":
            value = wrong_check_digit(old, u[j])
        elif kind == "missing_name":
            value = "" if u[j] < 0.8 else " "
        elif kind == "impossible_date":
            value = wrong_dates[j]
        elif kind == "unmapped_value":
            value = UNMAPPED[field]
        else:
            fallback = f"info@{parts['core_en'][i].lower()}.com"
            value = corrupt_email(old.strip() or fallback, u[j])
        cols[field][i] = value
        out.append(record("customer", system, cols[key_col][i], field, kind, value))
    return out

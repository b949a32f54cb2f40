"""The ERP material master (table ``MARA``) with legacy code variants and duplicates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from samples.gen import dates
from samples.gen.common import (
    Ints,
    Obj,
    choose_rows,
    day,
    defect_count,
    fullwidth,
    obj,
    rng_for,
)
from samples.gen.defects import UNMAPPED, DefectRow, bad_dates, record

MARA_COLUMNS = ("MATNR", "MTART", "MAKTX", "MEINS", "BRGEW", "ERSDA")
PIECE, WEIGHT, LENGTH = 0, 1, 2
UNITS = (("个", "件", "PCS", "EA", "PC"), ("KG", "千克"), ("M", "米"))
CODE_FORMATS = ("mat-{n}", "MAT{n:04d}", "M {n:06d}", "{n:06d}", "MAT-{n:06d}")
_BOLTS = tuple(f"M{d}x{ln}" for d in (6, 8, 10, 12, 16) for ln in (20, 30, 40, 50, 60))
# (material type, noun, unit class, specifications)
NOUNS: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    ("FERT", "数控车床", PIECE, ("CK6140", "CK6150", "CK6163", "CK6180")),
    ("FERT", "立式加工中心", PIECE, ("VMC850", "VMC1060", "VMC1270")),
    ("FERT", "减速电机", PIECE, ("0.75kW", "1.5kW", "2.2kW", "4kW", "5.5kW", "7.5kW", "11kW")),
    ("FERT", "液压泵站", PIECE, ("YZ-10", "YZ-20", "YZ-40", "YZ-63")),
    ("FERT", "电控柜", PIECE, ("KG-100", "KG-200", "KG-300", "KG-500")),
    ("FERT", "齿轮减速机", PIECE, ("ZQ250", "ZQ350", "ZQ400", "ZQ500")),
    ("FERT", "螺杆空压机", PIECE, ("7.5kW", "15kW", "22kW", "37kW")),
    ("HALB", "电机转子", PIECE, ("Φ80", "Φ120", "Φ160", "Φ200")),
    ("HALB", "铸件壳体", PIECE, ("HT200", "HT250", "QT450")),
    ("HALB", "焊接支架", PIECE, tuple(f"Q235-{k}" for k in "ABCDEFG")),
    ("HALB", "齿轮轴", PIECE, ("40Cr m2 z18", "40Cr m3 z24", "20CrMnTi m4 z30")),
    ("HALB", "PCB组件", PIECE, ("V1.0", "V1.2", "V2.0", "V2.1", "V3.0")),
    ("HALB", "主轴组件", PIECE, ("BT30", "BT40", "BT50")),
    ("HALB", "液压缸体", PIECE, ("Φ50x200", "Φ63x250", "Φ80x300", "Φ100x400")),
    ("ROH", "不锈钢六角螺栓", PIECE, _BOLTS),
    ("ROH", "六角螺母", PIECE, ("M6", "M8", "M10", "M12", "M16", "M20")),
    ("ROH", "冷轧钢板", WEIGHT, ("0.8mm", "1.0mm", "1.5mm", "2.0mm", "3.0mm")),
    ("ROH", "铝型材 6063-T5", LENGTH, ("20x20", "30x30", "40x40", "40x80")),
    ("ROH", "紫铜线", LENGTH, ("Φ1.5", "Φ2.5", "Φ4")),
    ("ROH", "ABS颗粒", WEIGHT, ("黑色", "白色", "灰色", "本色")),
    ("ROH", "深沟球轴承", PIECE, ("6203-2RS", "6204-2RS", "6205-2RS", "6206-2RS", "6305-ZZ")),
    ("ROH", "O型密封圈", PIECE, ("20x2.5", "30x3.1", "45x3.55", "60x5.3")),
    ("ROH", "无缝钢管", LENGTH, ("Φ25x3", "Φ32x4", "Φ48x4", "Φ60x5")),
    ("ROH", "液压油", WEIGHT, ("L-HM46", "L-HM68")),
)
MTARTS = ("FERT", "HALB", "ROH")
MATERIAL_DEFECTS = (("unmapped_value", "MEINS"), ("impossible_date", "ERSDA"))
_PRICE = {"FERT": (9.5, 1.0), "HALB": (6.0, 1.0), "ROH": (1.5, 1.2)}
_WEIGHT = {"FERT": (5.5, 1.0), "HALB": (1.5, 1.2), "ROH": (-2.5, 1.5)}


@dataclass
class Materials:
    """MARA rows plus what order lines need to know about them."""

    columns: dict[str, Obj]
    entity: Ints
    variants: Obj
    unit_class: Ints
    price: np.ndarray
    clean: np.ndarray
    numbers: Ints
    defects: list[DefectRow]
    hard_negatives: list[tuple[str, str]]


def material_rows(customers: int) -> int:
    """Default MARA size: about 0.3 rows per customer entity."""
    return max(60, round(customers * 0.3))


def build_materials(target_rows: int, seed: int) -> Materials:
    """Generate about ``target_rows`` MARA rows."""
    rng = rng_for(seed, "materials")
    n_ent = max(20, round(target_rows / 1.2))
    number, mtart, partner = _entities(rng, n_ent)
    noun = _nouns(rng, mtart)
    desc = _descriptions(rng, noun, number)
    unit_class = np.array([NOUNS[k][2] for k in noun.tolist()], dtype=np.int64)
    draws = zip(unit_class.tolist(), rng.random(n_ent).tolist(), strict=True)
    unit = obj([UNITS[c][int(u * len(UNITS[c]))] for c, u in draws])
    dup = (partner < 0) & ~np.isin(np.arange(n_ent), partner) & (rng.random(n_ent) < 0.23)
    entity = np.concatenate([np.arange(n_ent), np.flatnonzero(dup)])
    first = np.arange(len(entity)) < n_ent
    created = rng.integers(day("2008-01-01"), day("2023-12-31"), n_ent)[entity]
    created[~first] += rng.integers(30, 1500, int((~first).sum()))
    order = np.lexsort((entity, created))
    entity, first, created = entity[order], first[order], created[order]
    cols, variants = _rows(rng, entity, first, number, mtart, desc, unit, unit_class, created)
    price = np.exp(rng.normal(0, 1, n_ent) + [_PRICE[m][0] for m in mtart]).round(2)
    singles = (partner[entity] < 0) & ~np.isin(entity, partner) & ~dup[entity]
    defects = _corrupt(rng, cols, singles)
    clean = ~np.isin(cols["MATNR"], [d[2] for d in defects])
    return Materials(
        columns=cols,
        entity=entity,
        variants=variants,
        unit_class=unit_class[entity],
        price=price[entity],
        clean=clean,
        numbers=np.unique(number),
        defects=defects,
        hard_negatives=_pairs(cols["MATNR"], entity, first, partner),
    )


def _entities(rng: np.random.Generator, n_ent: int) -> tuple[Ints, Obj, Ints]:
    """Numbers and types; ~4% share a partner's number under another type."""
    numbers = rng.choice(np.arange(1, n_ent * 8 + 100), n_ent, replace=False)
    mtart = rng.choice(np.array(MTARTS, dtype=object), n_ent, p=(0.25, 0.25, 0.5))
    partner = np.full(n_ent, -1, dtype=np.int64)
    is_sib = rng.random(n_ent) < 0.04
    sib = np.flatnonzero(is_sib)
    partner[sib] = rng.choice(np.flatnonzero(~is_sib), len(sib), replace=False)
    shift = rng.integers(1, 3, len(sib))
    kind = np.array([MTARTS.index(m) for m in mtart[partner[sib]]], dtype=np.int64)
    mtart[sib] = obj([MTARTS[k] for k in ((kind + shift) % 3).tolist()])
    numbers[sib] = numbers[partner[sib]]
    return numbers, mtart, partner


def _nouns(rng: np.random.Generator, mtart: Obj) -> Ints:
    """A noun of the right material type per entity."""
    out = np.zeros(len(mtart), dtype=np.int64)
    for m in MTARTS:
        options = np.array([k for k, n in enumerate(NOUNS) if n[0] == m])
        rows = np.flatnonzero(mtart == m)
        out[rows] = options[rng.integers(0, len(options), len(rows))]
    return out


def _descriptions(rng: np.random.Generator, noun: Ints, number: Ints) -> Obj:
    """``noun spec``; a repeated description gets the drawing number appended."""
    specs = [NOUNS[k][3] for k in noun.tolist()]
    draws = zip(noun.tolist(), specs, rng.random(len(noun)).tolist(), strict=True)
    desc = obj([f"{NOUNS[k][1]} {s[int(u * len(s))]}" for k, s, u in draws])
    _, first = np.unique(desc.astype(str), return_index=True)
    again = np.setdiff1d(np.arange(len(desc)), first)
    desc[again] = desc[again] + obj([f" 图号{n:06d}" for n in number[again].tolist()])
    return desc


def _rows(
    rng: np.random.Generator,
    entity: Ints,
    first: np.ndarray,
    number: Ints,
    mtart: Obj,
    desc: Obj,
    unit: Obj,
    unit_class: Ints,
    created: Ints,
) -> tuple[dict[str, Obj], Obj]:
    """Spell every MARA row; second records get another code and small differences."""
    num = number[entity]
    fmt = _code_formats(rng, num)
    variants = obj(["original"] * len(entity))
    maktx = desc[entity].copy()
    meins = unit[entity].copy()
    for i in np.flatnonzero(~first).tolist():
        maktx[i], meins[i], variants[i] = _vary(rng, maktx[i], meins[i], unit_class[entity[i]])
    weight = np.exp(rng.normal(0, 1, len(unit)) + [_WEIGHT[m][0] for m in mtart])
    weight = np.where(unit_class == WEIGHT, 1.0, weight)[entity]
    codes = [CODE_FORMATS[f].format(n=n) for f, n in zip(fmt, num.tolist(), strict=True)]
    date_fmt = rng.choice([dates.COMPACT, dates.ISO], len(entity), p=(0.8, 0.2))
    cols = {
        "MATNR": obj(codes),
        "MTART": mtart[entity],
        "MAKTX": maktx,
        "MEINS": meins,
        "BRGEW": _weights(rng, weight),
        "ERSDA": dates.spell_days(created, date_fmt),
    }
    return cols, variants


def _code_formats(rng: np.random.Generator, num: Ints) -> list[int]:
    """A code format per row, different for rows that share a material number."""
    order = np.argsort(num, kind="stable")
    sorted_num = num[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_num)) + 1]
    group = np.cumsum(np.isin(np.arange(len(num)), starts)) - 1
    rank = np.arange(len(num)) - starts[group]
    base = rng.integers(0, len(CODE_FORMATS), len(starts))
    fmt = np.empty(len(num), dtype=np.int64)
    fmt[order] = (base[group] + rank) % len(CODE_FORMATS)
    return fmt.tolist()


def _vary(
    rng: np.random.Generator, maktx: str, meins: str, unit_class: int
) -> tuple[str, str, str]:
    """Small differences of a second record: spacing, full-width or × in the text, unit."""
    noun, _, spec = maktx.partition(" ")
    kind = int(rng.integers(0, 5))
    tokens = ["code_variant"]
    if kind == 1:
        maktx = f"{noun} {fullwidth(spec)}"
        tokens.append("desc_fullwidth")
    elif kind == 2:
        maktx = f"{noun}  {spec}" if rng.random() < 0.5 else f"{noun}{spec}"
        tokens.append("desc_spacing")
    elif kind == 3 and "x" in spec:
        maktx = f"{noun} {spec.replace('x', '×')}"
        tokens.append("desc_times")
    if rng.random() < 0.35:
        synonyms = [u for u in UNITS[unit_class] if u != meins]
        meins = synonyms[int(rng.integers(0, len(synonyms)))]
        tokens.append("unit_synonym")
    return maktx, meins, "+".join(tokens)


def _weights(rng: np.random.Generator, weight: np.ndarray) -> Obj:
    """Gross weight as text: ``1.5``, ``0.025``, some ``1,5``, a few blank."""
    text = [f"{w:.3f}".rstrip("0").rstrip(".") for w in weight.round(3).tolist()]
    comma = rng.random(len(text)) < 0.12
    blank = rng.random(len(text)) < 0.03
    out = [
        "" if b else t.replace(".", ",") if c else t
        for t, c, b in zip(text, comma.tolist(), blank.tolist(), strict=True)
    ]
    return obj(out)


def _corrupt(
    rng: np.random.Generator, cols: dict[str, Obj], singles: np.ndarray
) -> list[DefectRow]:
    """Unmapped units and impossible creation dates on single-record, non-sibling rows."""
    per_kind = defect_count(len(singles))
    chosen = choose_rows(rng, singles, per_kind * len(MATERIAL_DEFECTS))
    per_kind = len(chosen) // len(MATERIAL_DEFECTS)
    wrong = bad_dates(rng, per_kind, (dates.COMPACT, dates.ISO))
    out: list[DefectRow] = []
    for k, (kind, field) in enumerate(MATERIAL_DEFECTS):
        for j, i in enumerate(sorted(chosen[k * per_kind : (k + 1) * per_kind].tolist())):
            value = UNMAPPED[field] if kind == "unmapped_value" else wrong[j]
            cols[field][i] = value
            out.append(record("material", "ERP", cols["MATNR"][i], field, kind, value))
    return out


def _pairs(code: Obj, entity: Ints, first: np.ndarray, partner: Ints) -> list[tuple[str, str]]:
    """(sibling code, partner code) for materials sharing a number under another type."""
    original = {int(e): str(c) for e, c, f in zip(entity, code, first, strict=True) if f}
    sibs = np.flatnonzero(partner >= 0).tolist()
    return [(original[s], original[int(partner[s])]) for s in sibs]

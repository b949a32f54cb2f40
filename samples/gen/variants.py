"""How a second record of the same company differs from the first.

Rows are held as "parts": a dict of equally long object arrays (trade name, industry,
legal form, address pieces, phone, ...). Each variant edits the parts of one row and
reports whether it applied; names and addresses are spelled from the parts afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from samples.gen import vocab
from samples.gen.common import Ints, Obj, obj
from samples.gen.places import ADDRESS_ABBREVIATIONS, HK

Parts = dict[str, np.ndarray]
Variant = Callable[[Parts, int, float], bool]

LANGUAGE = ("english_name", "chinese_name")
EXCLUSIVE = (
    {"legal_suffix", "abbreviation"},
    {"phone_transposed", "missing_phone"},
    {"traditional", "english_name"},
)
ERP_MIX = {
    "legal_suffix": 0.16,
    "abbreviation": 0.16,
    "typo": 0.14,
    "address_variant": 0.14,
    "phone_transposed": 0.1,
    "missing_phone": 0.08,
    "missing_email": 0.07,
    "traditional": 0.05,
    "english_name": 0.05,
    "chinese_name": 0.05,
}
CRM_MIX = {
    "traditional": 0.18,
    "english_name": 0.12,
    "chinese_name": 0.05,
    "legal_suffix": 0.14,
    "abbreviation": 0.14,
    "typo": 0.1,
    "address_variant": 0.12,
    "phone_transposed": 0.05,
    "missing_phone": 0.05,
    "missing_email": 0.05,
}


def _legal_suffix(p: Parts, i: int, u: float) -> bool:
    """有限公司 ↔ 有限责任公司, city first ↔ (北京)/（北京）, Co., Ltd. → Company Limited."""
    if p["english"][i]:
        options = [v for v in vocab.EN_LEGAL_VARIANTS if v != p["legal_en"][i]]
        p["legal_en"][i] = options[int(u * len(options))]
        return True
    legal, style = p["legal_zh"][i], p["style"][i]
    if u < 0.5 and legal in ("有限公司", "有限责任公司", "股份有限公司"):
        p["legal_zh"][i] = "有限责任公司" if legal == "有限公司" else "有限公司"
        return True
    if style == 3 or p["branch_zh"][i]:
        return False
    p["style"][i] = {0: 2 if u < 0.75 else 1, 1: 2, 2: 1 if u < 0.75 else 0}[style]
    return True


def _abbreviation(p: Parts, i: int, u: float) -> bool:
    """Drop 科技 or the city, 有限公司 → 公司; International → Intl, Co., Ltd. → Co Ltd."""
    edits: list[Callable[[], None]] = []
    if p["style"][i] != 3 and not p["branch_zh"][i]:
        edits.append(partial(_set, p, "style", i, 3))
    if p["english"][i]:
        for long, short in (("International", "Intl"), ("Technology", "Tech")):
            if long in p["ind_en"][i]:
                edits.append(partial(_replace, p, "ind_en", i, long, short))
        if p["legal_en"][i] in ("Co., Ltd.", "Corp., Ltd."):
            short = p["legal_en"][i].replace(".,", "").replace(".", "")
            edits.append(partial(_set, p, "legal_en", i, short))
    else:
        if vocab.TECH_ZH in p["ind_zh"][i]:
            edits.append(partial(_replace, p, "ind_zh", i, vocab.TECH_ZH, ""))
        if p["legal_zh"][i].endswith("有限公司") or p["legal_zh"][i] == "有限责任公司":
            edits.append(partial(_set, p, "legal_zh", i, "公司"))
    if not edits:
        return False
    edits[int(u * len(edits))]()
    return True


def _replace(p: Parts, col: str, i: int, old: str, new: str) -> None:
    p[col][i] = p[col][i].replace(old, new)


def _set(p: Parts, col: str, i: int, value: object) -> None:
    p[col][i] = value


def _typo(p: Parts, i: int, u: float) -> bool:
    """One wrong character: a look-alike Chinese character or two swapped letters."""
    if not p["english"][i]:
        core = p["core_zh"][i]
        pos = int(u * len(core))
        p["core_zh"][i] = core[:pos] + vocab.CONFUSABLE[core[pos]] + core[pos + 1 :]
        return True
    core = p["core_en"][i]
    spots = [k for k in range(1, len(core) - 1) if core[k] != core[k + 1]]
    if not spots:
        return False
    k = spots[int(u * len(spots))]
    p["core_en"][i] = core[:k] + core[k + 1] + core[k] + core[k + 2 :]
    return True


def _address_variant(p: Parts, i: int, u: float) -> bool:
    """The same address written differently (no district, 北京市 prefix, 88#, 经开区 ...)."""
    edits: list[Callable[[], None]] = []
    if p["district"][i]:
        edits.append(partial(_set, p, "district", i, ""))
    if not p["city_prefix"][i] and p["city"][i] != HK:
        edits.append(partial(_set, p, "city_prefix", i, p["city_zh"][i] + "市"))
    if p["house_mark"][i] == "号":
        edits.append(partial(_set, p, "house_mark", i, "#"))
    if p["building"][i]:
        edits.append(partial(_set, p, "building", i, ""))
    for long, short in ADDRESS_ABBREVIATIONS:
        if long in p["road"][i]:
            edits.append(partial(_replace, p, "road", i, long, short))
    if not edits:
        return False
    edits[int(u * len(edits))]()
    return True


def _phone_transposed(p: Parts, i: int, u: float) -> bool:
    """Two neighbouring digits of the subscriber number swapped."""
    local = p["phone_local"][i]
    start = 3 if not p["phone_area"][i] else 2 if p["city"][i] == HK else 1
    spots = [k for k in range(start, len(local) - 1) if local[k] != local[k + 1]]
    if not spots:
        return False
    k = spots[int(u * len(spots))]
    p["phone_local"][i] = local[:k] + local[k + 1] + local[k] + local[k + 2 :]
    return True


def _blank(col: str) -> Variant:
    def apply(p: Parts, i: int, u: float) -> bool:
        if not p[col][i]:
            return False
        p[col][i] = ""
        return True

    return apply


def _traditional(p: Parts, i: int, u: float) -> bool:
    """Written in Traditional characters (converted when the row is spelled)."""
    if p["english"][i]:
        return False
    p["traditional"][i] = True
    return True


def _language(to_english: bool) -> Variant:
    def apply(p: Parts, i: int, u: float) -> bool:
        if bool(p["english"][i]) == to_english:
            return False
        p["english"][i] = to_english
        return True

    return apply


VARIANTS: dict[str, Variant] = {
    "english_name": _language(True),
    "chinese_name": _language(False),
    "traditional": _traditional,
    "legal_suffix": _legal_suffix,
    "abbreviation": _abbreviation,
    "typo": _typo,
    "address_variant": _address_variant,
    "phone_transposed": _phone_transposed,
    "missing_phone": _blank("phone_local"),
    "missing_email": _blank("email"),
}


def apply_variants(p: Parts, rows: Ints, mix: dict[str, float], rng: np.random.Generator) -> Obj:
    """Vary ``rows`` (one or two variants each, ~28% also lose the USCC); return labels."""
    size = len(p["english"])
    labels = obj(["original"] * size)
    kinds = list(mix)
    weights = np.array([mix[k] for k in kinds]) / sum(mix.values())
    cand = rng.choice(len(kinds), size=(len(rows), 6), p=weights)
    u = rng.random((len(rows), 3))
    wanted = np.where(rng.random(len(rows)) < 0.25, 2, 1)
    drop_code = rng.random(len(rows)) < 0.28
    fallback = kinds + kinds
    for j, i in enumerate(rows.tolist()):
        start = j % len(kinds)
        order = [kinds[k] for k in cand[j]] + fallback[start : start + len(kinds)]
        applied: list[str] = []
        for kind in order:
            if len(applied) == wanted[j]:
                break
            if _allowed(kind, applied) and VARIANTS[kind](p, i, u[j, len(applied)]):
                applied.append(kind)
        if drop_code[j] and p["uscc"][i]:
            p["uscc"][i] = ""
            applied.append("uscc_missing")
        labels[i] = "+".join(applied)
    return labels


def _allowed(kind: str, applied: list[str]) -> bool:
    """Language switches come first; some pairs would hide each other."""
    if kind in applied or (kind in LANGUAGE and applied):
        return False
    return not any(kind in group and group & set(applied) for group in EXCLUSIVE)

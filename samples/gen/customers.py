"""ERP customer rows and CRM account rows, spelled from the plan and the entities."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import opencc

from samples.gen import dates, vocab
from samples.gen.common import Ints, Obj, obj, rng_for
from samples.gen.defects import DefectRow, corrupt_customers
from samples.gen.entities import Entities
from samples.gen.noise import add_noise
from samples.gen.places import CITIES, CRM_PHONE_MIX, ERP_PHONE_MIX, HK, spell_phones
from samples.gen.plan import CRM, ERP, CustomerPlan, SystemRows
from samples.gen.variants import CRM_MIX, ERP_MIX, Parts, apply_variants

ERP_COLUMNS = (
    "KUNNR",
    "NAME1",
    "STRAS",
    "ORT01",
    "PSTLZ",
    "TELF1",
    "SMTP_ADDR",
    "STCD5",
    "ERDAT",
    "AEDAT",
    "VKORG",
    "KTOKD",
    "LAND1",
    "NAMEV",
)
CRM_COLUMNS = (
    "Account ID",
    "Account Name",
    "Street",
    "City",
    "Zip",
    "Phone",
    "Email",
    "Credit Code",
    "Created",
    "Sales Org",
    "Contact",
    "Modified",
)
NAME_LIMIT = 68  # leaves room for the stray spaces the noise adds
_CITY_ZH = obj([c.zh for c in CITIES])
_CITY_EN = obj([c.en for c in CITIES])
_IND_ZH = obj([zh for zh, _ in vocab.INDUSTRY])
_IND_EN = obj([en for _, en in vocab.INDUSTRY])
_LEGAL_ZH = obj([zh for zh, _, _ in vocab.LEGAL])
_LEGAL_EN = obj([en for _, en, _ in vocab.LEGAL])


@dataclass
class SystemTable:
    """Spelled columns of one system plus its truth rows."""

    columns: dict[str, Obj]
    variants: Obj
    defects: list[DefectRow]


def _table(items: list[tuple[str, ...]]) -> Obj:
    """A (city, index) lookup table of strings, padded with ''."""
    width = max(len(t) for t in items)
    out = np.full((len(items), width), "", dtype=object)
    for row, values in enumerate(items):
        out[row, : len(values)] = values
    return out


_DISTRICTS = _table([tuple(name for name, _ in c.districts) for c in CITIES])
_STREETS = _table([c.streets for c in CITIES])


def make_parts(ents: Entities, e: Ints) -> Parts:
    """Canonical parts of the rows whose entities are ``e``."""
    ind = ents.industry[e]
    tech = ents.tech[e]
    city = ents.city[e]
    branch = ents.branch[e]
    return {
        "english": ents.english[e].copy(),
        "traditional": np.zeros(len(e), dtype=bool),
        "style": ents.style[e].copy(),
        "city": city,
        "city_zh": _CITY_ZH[city],
        "name_city_zh": _CITY_ZH[ents.name_city[e]],
        "name_city_en": _CITY_EN[ents.name_city[e]],
        "core_zh": ents.core_zh(e),
        "core_en": ents.core_en(e),
        "ind_zh": _IND_ZH[ind] + np.where(tech, vocab.TECH_ZH, ""),
        "ind_en": _IND_EN[ind] + np.where(tech, " " + vocab.TECH_EN, ""),
        "legal_zh": _LEGAL_ZH[ents.legal[e]],
        "legal_en": np.where(city == HK, vocab.HK_LEGAL_EN, _LEGAL_EN[ents.legal[e]]),
        "branch_zh": np.where(branch, _CITY_ZH[city] + "分公司", ""),
        "branch_en": np.where(branch, " " + _CITY_EN[city] + " Branch", ""),
        "city_prefix": obj([""] * len(e)),
        "district": _DISTRICTS[city, ents.district[e]],
        "road": _STREETS[city, ents.street[e]],
        "house": obj([str(h) for h in ents.house[e].tolist()]),
        "house_mark": obj(["号"] * len(e)),
        "building": ents.building[e].copy(),
        "postcode": ents.postcode[e],
        "phone_area": ents.phone_area[e],
        "phone_local": ents.phone_local[e].copy(),
        "email": ents.email[e].copy(),
        "uscc": ents.uscc[e].copy(),
        "contact": ents.contact[e],
    }


def _fit(name: str) -> str:
    """Keep English names within the 70 characters of the target name field."""
    if len(name) > NAME_LIMIT:
        name = name.replace(f" {vocab.TECH_EN}", "", 1)
    return name[:NAME_LIMIT].rstrip()


def _name(p: Parts, i: int) -> str:
    """Spell one company name from its parts."""
    style = p["style"][i]
    if p["english"][i]:
        core, ind, legal = p["core_en"][i], p["ind_en"][i], p["legal_en"][i]
        city, branch = p["name_city_en"][i], p["branch_en"][i]
        if style == 0:
            return _fit(f"{city} {core} {ind} {legal}{branch}")
        if style == 3:
            return _fit(f"{core} {ind} {legal}{branch}")
        return _fit(f"{core} {ind} ({city}) {legal}{branch}")
    core, ind, legal = p["core_zh"][i], p["ind_zh"][i], p["legal_zh"][i]
    city, branch = p["name_city_zh"][i], p["branch_zh"][i]
    if style == 0:
        return f"{city}{core}{ind}{legal}{branch}"
    if style == 3:
        return f"{core}{ind}{legal}{branch}"
    left, right = ("(", ")") if style == 1 else ("（", "）")
    return f"{core}{ind}{left}{city}{right}{legal}{branch}"


def spell_names_streets(p: Parts) -> tuple[Obj, Obj]:
    """Company names and street lines; rows flagged traditional are converted."""
    size = len(p["english"])
    names = obj([_name(p, i) for i in range(size)])
    pieces = ("city_prefix", "district", "road", "house", "house_mark", "building")
    streets = p[pieces[0]] + p[pieces[1]] + p[pieces[2]] + p[pieces[3]] + p[pieces[4]]
    streets = streets + p[pieces[5]]
    flagged = np.flatnonzero(p["traditional"])
    if len(flagged):
        names[flagged] = _to_traditional(names[flagged])
        streets[flagged] = _to_traditional(streets[flagged])
    return names, streets


def _to_traditional(texts: Obj) -> Obj:
    converted = opencc.OpenCC("s2t").convert("\n".join(texts.tolist())).split("\n")
    return obj(converted)


def build_erp(plan: CustomerPlan, ents: Entities, seed: int) -> SystemTable:
    """The ERP customer master (``KNA1``-like columns)."""
    rng = rng_for(seed, "customers.erp")
    rows = plan.erp
    p, variants = _varied_parts(ents, rows, ERP_MIX, rng)
    names, streets = spell_names_streets(p)
    n = len(rows)
    city = np.where(rng.random(n) < 0.05, p["city_zh"] + "市", p["city_zh"])
    land = np.where(p["city"] == HK, "HK", np.where(rng.random(n) < 0.03, "PRC", "CN"))
    cols = {
        "KUNNR": rows.key,
        "NAME1": names,
        "STRAS": streets,
        "ORT01": np.where(p["city"] == HK, "香港", city),
        "PSTLZ": p["postcode"],
        "TELF1": spell_phones(p["phone_area"], p["phone_local"], rng.random(n), ERP_PHONE_MIX),
        "SMTP_ADDR": p["email"],
        "STCD5": p["uscc"],
        "ERDAT": dates.spell_days(rows.created, dates.mixed_formats(rng, n)),
        "AEDAT": dates.iso_days(rows.modified),
        "VKORG": rows.vkorg,
        "KTOKD": rows.ktokd.copy(),
        "LAND1": land,
        "NAMEV": p["contact"],
    }
    table = {k: obj(cols[k]) for k in ERP_COLUMNS}
    add_noise(table, rng, "NAME1", "STRAS", "NAMEV")
    defects = corrupt_customers(table, rows, p, ERP, rng)
    return SystemTable(table, variants, defects)


def build_crm(plan: CustomerPlan, ents: Entities, seed: int) -> SystemTable:
    """The CRM account list (an Excel export)."""
    rng = rng_for(seed, "customers.crm")
    rows = plan.crm
    p, variants = _varied_parts(ents, rows, CRM_MIX, rng)
    names, streets = spell_names_streets(p)
    n = len(rows)
    city = np.where(rng.random(n) < 0.5, p["city_zh"] + "市", p["city_zh"])
    as_text = rng.random(n) < 0.12
    text_dates = dates.spell_days(rows.created, rng.choice([0, 1], n))
    cols = {
        "Account ID": rows.key,
        "Account Name": names,
        "Street": streets,
        "City": np.where(p["city"] == HK, "香港", city),
        "Zip": np.where(rng.random(n) < 0.05, "", p["postcode"]),
        "Phone": spell_phones(p["phone_area"], p["phone_local"], rng.random(n), CRM_PHONE_MIX),
        "Email": p["email"],
        "Credit Code": p["uscc"],
        "Created": np.where(as_text, text_dates, _date_objects(rows.created)),
        "Sales Org": rows.vkorg,
        "Contact": p["contact"],
        "Modified": _date_objects(rows.modified),
    }
    table = {k: obj(cols[k]) for k in CRM_COLUMNS}
    add_noise(table, rng, "Account Name", "Street", "Contact")
    defects = corrupt_customers(table, rows, p, CRM, rng)
    return SystemTable(table, variants, defects)


def _date_objects(days: Ints) -> Obj:
    return obj([dates.to_date(d) for d in days.tolist()])


def _varied_parts(
    ents: Entities, rows: SystemRows, mix: dict[str, float], rng: np.random.Generator
) -> tuple[Parts, Obj]:
    """Parts of every row, with the duplicate records varied."""
    p = make_parts(ents, rows.entity)
    variants = apply_variants(p, np.flatnonzero(~rows.original), mix, rng)
    return p, variants

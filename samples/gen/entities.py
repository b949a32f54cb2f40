"""Canonical attributes of every true customer entity (vectorised)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from samples.gen import vocab
from samples.gen.common import Bools, Ints, Obj, index_pick, obj, pick, rng_for
from samples.gen.identifiers import make_uscc, organisation_codes
from samples.gen.places import CITIES, CITY_WEIGHTS, HK, HK_PREFIXES, MOBILE_PREFIXES
from samples.gen.plan import CustomerPlan

_P = len(vocab.CORE)
_CORE_ZH = obj([c for c, _ in vocab.CORE] + [""])
_CORE_EN = obj([p for _, p in vocab.CORE] + [""])
_N_IND = len(vocab.INDUSTRY)


@dataclass
class Entities:
    """One value per entity for each canonical attribute."""

    city: Ints  # address city
    name_city: Ints  # city in the name (differs from ``city`` only for branches)
    branch: Bools
    core: Ints  # shape (n, 3): trade-name character indices, ``_P`` = none
    industry: Ints
    tech: Bools
    legal: Ints
    style: Ints  # 0 city first, 1 "(北京)" after the trade name, 2 "（北京）"
    english: Bools
    district: Ints
    street: Ints
    house: Ints
    building: Obj
    postcode: Obj
    phone_area: Obj
    phone_local: Obj
    email: Obj
    uscc: Obj
    contact: Obj

    def core_zh(self, rows: Ints) -> Obj:
        """Chinese trade names of the given entities."""
        c = self.core[rows]
        return _CORE_ZH[c[:, 0]] + _CORE_ZH[c[:, 1]] + _CORE_ZH[c[:, 2]]

    def core_en(self, rows: Ints) -> Obj:
        """Pinyin trade names ("Hengtong") of the given entities."""
        c = self.core[rows]
        tail = obj([s.lower() for s in (_CORE_EN[c[:, 1]] + _CORE_EN[c[:, 2]]).tolist()])
        return _CORE_EN[c[:, 0]] + tail


def make_entities(plan: CustomerPlan, seed: int) -> Entities:
    """Draw names, addresses and contact data for every entity of the plan."""
    rng = rng_for(seed, "customers.entities")
    n = plan.entities
    city = rng.choice(len(CITIES), size=n, p=CITY_WEIGHTS)
    needs_code = _needs_code(plan)
    city[needs_code] = np.where(city[needs_code] == HK, 0, city[needs_code])
    core = _draw_core(rng, n)
    industry = rng.integers(0, _N_IND, n)
    tech = (rng.random(n) < 0.25) & ~np.isin(industry, _TECHY)
    legal = rng.choice(len(vocab.LEGAL), size=n, p=[w for _, _, w in vocab.LEGAL])
    english = rng.random(n) < np.where(city == HK, 0.6, 0.15)
    ents = Entities(
        city=city,
        name_city=city.copy(),
        branch=np.zeros(n, bool),
        core=core,
        industry=industry,
        tech=tech,
        legal=legal,
        style=rng.choice(3, n, p=(0.8, 0.06, 0.14)),
        english=english,
        **_blank_contact(n),
    )
    _unique_names(rng, ents, plan.sibling_kind == 0)
    _make_siblings(rng, ents, plan)
    _addresses(rng, ents)
    _contacts(rng, ents)
    _credit_codes(rng, ents, plan)
    return ents


_TECHY = [i for i, (zh, _) in enumerate(vocab.INDUSTRY) if zh in ("软件", "电子", "光电")]


def _blank_contact(n: int) -> dict[str, np.ndarray]:
    blank = {k: obj([""] * n) for k in ("building", "postcode", "phone_area", "phone_local")}
    blank |= {k: obj([""] * n) for k in ("email", "uscc", "contact")}
    return blank | {k: np.zeros(n, np.int64) for k in ("district", "street", "house")}


def _draw_core(rng: np.random.Generator, n: int) -> Ints:
    """Two or three different trade-name characters per entity."""
    first = rng.integers(0, _P, n)
    second = (first + rng.integers(1, _P, n)) % _P
    third = np.where(rng.random(n) < 0.2, rng.integers(0, _P, n), _P)
    third = np.where((third == first) | (third == second), _P, third)
    return np.stack([first, second, third], axis=1)


def _name_keys(ents: Entities) -> Ints:
    """An integer per entity that is equal exactly when the name parts are equal."""
    key = ents.name_city * (_P + 1) + ents.core[:, 0]
    key = (key * (_P + 1) + ents.core[:, 1]) * (_P + 1) + ents.core[:, 2]
    key = key * _N_IND + ents.industry
    return key * (len(CITIES) + 1) + np.where(ents.branch, ents.city + 1, 0)


def _unique_names(rng: np.random.Generator, ents: Entities, free: Bools) -> None:
    """Redraw trade names until no two free entities share city, trade name and industry."""
    for _ in range(100):
        keys = np.where(free, _name_keys(ents), -1 - np.arange(len(free)))
        _, first = np.unique(keys, return_index=True)
        clash = np.ones(len(keys), bool)
        clash[first] = False
        if not clash.any():
            return
        ents.core[clash] = _draw_core(rng, int(clash.sum()))
    raise RuntimeError("could not make company names unique")


def _make_siblings(rng: np.random.Generator, ents: Entities, plan: CustomerPlan) -> None:
    """Copy each sibling's name from its partner and change city, industry or branch."""
    sib = np.flatnonzero(plan.sibling_kind > 0)
    src = plan.sibling_of[sib]
    for attr in ("core", "industry", "tech", "legal", "style", "english", "city", "name_city"):
        getattr(ents, attr)[sib] = getattr(ents, attr)[src]
    kind = plan.sibling_kind[sib]
    taken = set(_name_keys(ents)[plan.sibling_kind == 0].tolist())
    for _ in range(100):
        _alter_sibling(rng, ents, sib, src, kind)
        keys = _name_keys(ents)[sib]
        clash = np.array([k in taken for k in keys.tolist()], dtype=bool)
        _, first = np.unique(keys, return_index=True)
        clash[np.setdiff1d(np.arange(len(sib)), first)] = True
        if not clash.any():
            return
        sib, src, kind = sib[clash], src[clash], kind[clash]
        taken |= set(keys[~clash].tolist())
    raise RuntimeError("could not make sibling names unique")


def _alter_sibling(
    rng: np.random.Generator, ents: Entities, sib: Ints, src: Ints, kind: Ints
) -> None:
    """Apply the sibling change: another city, another industry, or a branch office."""
    n_cn = len(CITIES) - 1
    other_city = (ents.name_city[src] + rng.integers(1, n_cn, len(sib))) % n_cn
    other_ind = (ents.industry[src] + rng.integers(1, _N_IND, len(sib))) % _N_IND
    city_kind, ind_kind, branch_kind = kind == 1, kind == 2, kind == 3
    ents.name_city[sib[city_kind]] = other_city[city_kind]
    ents.city[sib[city_kind]] = other_city[city_kind]
    ents.industry[sib[ind_kind]] = other_ind[ind_kind]
    ents.branch[sib[branch_kind]] = True
    ents.city[sib[branch_kind]] = other_city[branch_kind]


def _addresses(rng: np.random.Generator, ents: Entities) -> None:
    """District, street, house number, building and postcode."""
    n = len(ents.city)
    n_dist = np.array([len(c.districts) for c in CITIES])[ents.city]
    n_street = np.array([len(c.streets) for c in CITIES])[ents.city]
    ents.district = index_pick(rng, n_dist)
    ents.street = index_pick(rng, n_street)
    ents.house = np.minimum(1 + rng.lognormal(3.5, 1.0, n).astype(np.int64), 1999)
    ents.building = _buildings(rng, n)
    post = obj([c.post for c in CITIES])[ents.city]
    tail_num = (ents.district % 10) * 100 + rng.integers(0, 100, n)
    tail = obj([f"{v:03d}" for v in tail_num.tolist()])
    ents.postcode = np.where(post == "", "", post + tail)


def _buildings(rng: np.random.Generator, n: int) -> Obj:
    """Optional building part: ``A座1203室``, ``3号楼``, ``12层`` or nothing."""
    kind = rng.choice(4, size=n, p=(0.5, 0.2, 0.15, 0.15))
    letter = rng.choice(list("ABCD"), n)
    floor = rng.integers(1, 30, n)
    room = rng.integers(1, 20, n)
    forms = (
        lambda b, f, r: "",
        lambda b, f, r: f"{b}座{f}{r:02d}室",
        lambda b, f, r: f"{r}号楼",
        lambda b, f, r: f"{f}层",
    )
    parts = zip(kind.tolist(), letter.tolist(), floor.tolist(), room.tolist(), strict=True)
    return obj([forms[k](b, f, r) for k, b, f, r in parts])


def _contacts(rng: np.random.Generator, ents: Entities) -> None:
    """Phone, contact person and e-mail."""
    n = len(ents.city)
    is_hk = ents.city == HK
    is_mobile = ~is_hk & (rng.random(n) < 0.25)
    area = obj([c.area for c in CITIES])[ents.city]
    ents.phone_area = np.where(is_mobile, "", area)
    first = rng.choice(np.array(list("234569"), dtype=object), n)
    digits = obj([f"{v:07d}" for v in rng.integers(0, 10**7, n).tolist()])
    hk_prefix = pick(rng, HK_PREFIXES, n, [1.0] * len(HK_PREFIXES))
    first = np.where(is_hk, hk_prefix, first)
    digits = np.where(is_hk, obj([d[1:] for d in digits.tolist()]), digits)
    prefix = pick(rng, MOBILE_PREFIXES, n, [1.0] * len(MOBILE_PREFIXES))
    tail8 = obj([f"{v:08d}" for v in rng.integers(0, 10**8, n).tolist()])
    ents.phone_local = np.where(is_mobile, prefix + tail8, first + digits)
    ents.phone_local[rng.random(n) < 0.03] = ""
    surname = rng.choice(len(vocab.SURNAME), n, p=_surname_weights())
    given = rng.integers(0, len(vocab.GIVEN), (n, 2))
    two = rng.random(n) < 0.6
    sz, sp = obj([s for s, _ in vocab.SURNAME]), obj([p for _, p in vocab.SURNAME])
    gz, gp = obj([g for g, _ in vocab.GIVEN]), obj([p for _, p in vocab.GIVEN])
    given2_zh = np.where(two, gz[given[:, 1]], "")
    given2_py = np.where(two, gp[given[:, 1]], "")
    ents.contact = sz[surname] + gz[given[:, 0]] + given2_zh
    ents.email = _emails(rng, ents, sp[surname], gp[given[:, 0]] + given2_py)


def _surname_weights() -> np.ndarray:
    w = 1.0 / (np.arange(len(vocab.SURNAME)) + 3.0)
    return w / w.sum()


def _emails(rng: np.random.Generator, ents: Entities, surname: Obj, given: Obj) -> Obj:
    """Company-domain or free-mail addresses; about one in ten left blank."""
    n = len(ents.city)
    core = obj([s.lower() for s in ents.core_en(np.arange(n)).tolist()])
    tld = pick(rng, vocab.MAIL_TLDS, n, (0.5, 0.3, 0.15, 0.05))
    person = obj([f"{g.lower()}.{s.lower()}" for s, g in zip(surname, given, strict=True)])
    box = pick(rng, vocab.MAIL_BOXES, n, [1.0] * len(vocab.MAIL_BOXES))
    local = np.where(rng.random(n) < 0.5, box, person)
    provider = pick(rng, vocab.MAIL_PROVIDERS, n, [1.0] * len(vocab.MAIL_PROVIDERS))
    free = rng.random(n) < 0.35
    qq = obj([str(v) for v in rng.integers(10**6, 10**10, n).tolist()])
    local = np.where(free, np.where(provider == "qq.com", qq, person), local)
    email = obj(local + "@" + np.where(free, provider, core + tld))
    email[rng.random(n) < 0.1] = ""
    return email


def _credit_codes(rng: np.random.Generator, ents: Entities, plan: CustomerPlan) -> None:
    """USCC for mainland companies; some have none on file."""
    n = len(ents.city)
    pairs = zip(ents.city.tolist(), ents.district.tolist(), strict=True)
    region = obj([CITIES[c].districts[d][1] for c, d in pairs])
    prefix = pick(rng, ("91", "92", "93"), n, (0.94, 0.04, 0.02))
    codes = make_uscc(prefix, region, organisation_codes(rng, np.arange(n)))
    has = (ents.city != HK) & (rng.random(n) > 0.05)
    has[_needs_code(plan)] = True
    has &= ents.city != HK
    ents.uscc = np.where(has, codes, "")


def _needs_code(plan: CustomerPlan) -> Ints:
    """Entities whose row carries a bad check digit need a code to corrupt."""
    erp = plan.erp.entity[plan.erp.defect == 0]
    crm = plan.crm.entity[plan.crm.defect == 0]
    return np.concatenate([erp, crm])

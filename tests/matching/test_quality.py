"""Match quality on a synthetic Chinese company list with known duplicates."""

from __future__ import annotations

import random
import re
from itertools import combinations
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from migrate.stages import match
from tests.matching.helpers import make_context, make_frame, make_object

BRAND = list("华星宏达鑫盛金源恒通远航新天瑞祥嘉福康泰永安东方立信博创凯旋中兴长城海尔美德佳润")
INDUSTRY = ["科技", "电子", "贸易", "物流", "机械", "化工", "食品", "建材", "医药", "软件"]
CITIES = ["上海", "北京", "深圳", "广州", "杭州", "南京", "成都", "武汉"]
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司", "公司"]
LEGAL = re.compile(r"(集团)?(股份)?(有限责任|有限)?公司$")


def name_key(name: str) -> str:
    """What a cleansing rule would build: no city, brackets, spaces or legal form."""
    key = re.sub(r"[（）()\s]", "", name)
    for city in CITIES:
        key = key.replace(city, "")
    return LEGAL.sub("", key)


def _variant(rng: random.Random, city: str, core: str, suffix: str) -> str:
    """Another system's spelling of the same company."""
    other = rng.choice([s for s in SUFFIXES if s != suffix])
    style = rng.random()
    if style < 0.35:
        return f"{city}{core}{other}"
    if style < 0.6:
        return f"{core}（{city}）{suffix}"
    if style < 0.8:
        return f"{core}{other}"
    chars = list(core)  # a typo in the name itself (never the first character)
    chars[rng.randrange(1, len(chars))] = rng.choice(BRAND)
    return f"{city}{''.join(chars)}{suffix}"


def synthetic(seed: int = 7) -> tuple[list[dict[str, Any]], list[int]]:
    """Records from three systems and, per record, the id of the real company."""
    rng = random.Random(seed)
    cores: set[str] = set()
    while len(cores) < 400:
        cores.add("".join(rng.sample(BRAND, 3)) + rng.choice(INDUSTRY))
    records: list[dict[str, Any]] = []
    entity: list[int] = []
    for number, core in enumerate(sorted(cores)):
        city, suffix = rng.choice(CITIES), rng.choice(SUFFIXES[:4])
        phone = f"0{rng.randint(10, 99)}-{rng.randint(10_000_000, 99_999_999)}"
        records.append({"name": f"{city}{core}{suffix}", "phone": phone, "city": city})
        entity.append(number)
        for system in rng.sample(["CRM", "WEB"], rng.choice([0, 0, 1, 2])):
            name = _variant(rng, city, core, suffix)
            roll = 1.0 if name_key(name) != core else rng.random()  # typo'd names keep the phone
            copy_phone = None if roll < 0.2 else phone.replace("-", "") if roll < 0.6 else phone
            copy_city = None if rng.random() < 0.3 else city
            records.append(
                {"name": name, "phone": copy_phone, "city": copy_city, "_system": system}
            )
            entity.append(number)
    order = list(range(len(records)))
    rng.shuffle(order)
    return [records[i] for i in order], [entity[i] for i in order]


def _pairs(groups: list[int]) -> set[tuple[int, int]]:
    members: dict[int, list[int]] = {}
    for rid, group in enumerate(groups):
        members.setdefault(group, []).append(rid)
    return {pair for rows in members.values() for pair in combinations(rows, 2)}


SPEC = {
    "blocking": [
        {"name": "phone", "key": [{"field": "phone", "transform": "digits"}]},
        {"name": "name2", "key": [{"field": "name_key", "transform": "prefix", "length": 2}]},
        {"name": "name_snm", "key": [{"field": "name_key"}], "window": 5},
    ],
    "compare": [
        {"field": "name_key", "method": "jaro_winkler", "weight": 3},
        {"field": "phone_digits", "method": "exact", "weight": 1},
        {"field": "city", "method": "exact", "weight": 1},
    ],
    "thresholds": {"auto_merge": 0.9, "review": 0.7},
    "cluster_floor": 0.6,
}


@pytest.mark.parametrize(
    "mode",
    [
        {},
        {"mode": "fellegi_sunter", "thresholds": {"auto_merge": 0.9, "review": 0.5}},
    ],
    ids=["weights", "fellegi_sunter"],
)
def test_pairwise_precision_and_recall(tmp_path: Path, mode: dict[str, Any]) -> None:
    records, truth = synthetic()
    frame = make_frame(records, ["name", "phone", "city"])
    frame["name_key"] = frame["name"].map(name_key).astype("str")
    frame["phone_digits"] = frame["phone"].str.replace(r"\D", "", regex=True)
    obj = make_object(["name", "phone", "city"], match={**SPEC, **mode})
    out, result = match.run(frame, obj, make_context(tmp_path, frame))
    found, expected = _pairs(out["_cluster"].tolist()), _pairs(truth)
    precision = len(found & expected) / len(found)
    recall = len(found & expected) / len(expected)
    assert len(expected) > 300
    assert precision >= 0.95, precision
    assert recall >= 0.95, recall
    n = len(frame)
    assert result.metrics["candidate_pairs"] < n * (n - 1) // 2 / 20
    assert pd.Series(out["_cluster"]).value_counts().max() <= 3

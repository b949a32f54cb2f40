"""The two matchers under benchmark, each run in a child process (see ``bench.memory``).

``run_migrate`` runs ``migrate.matching.engine.match_frame`` with a match spec
(the hand-weighted or the Fellegi-Sunter mode); ``bench.splink_tool.run_splink``
runs Splink 5 the same way.

Both read the data set's Parquet file, time only the matching itself, and write
what they found to ``out_path`` (Parquet: ``unique_id, cluster_id`` per record)
and ``<out_path>.pairs.parquet`` (the pairs they declared matches). They return
``seconds`` and ``pairs_compared`` (and, for migrate, ``blocking_recall``).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd


def _part(field: str, transform: str = "exact", length: int | None = None) -> dict[str, Any]:
    """One blocking key part."""
    part: dict[str, Any] = {"field": field}
    if transform != "exact":
        part["transform"] = transform
    if length is not None:
        part["length"] = length
    return part


# Blocking on people: each pass recovers true pairs that the others miss because of one
# kind of error (a typo in a name, a wrong birth-date digit, day and month swapped, names
# swapped, a changed e-mail provider or a typo in the address, a wrong phone digit, a
# missing value). The first six passes are the earlier set (blocking recall 0.988-0.989);
# the eight after them raise it to about 0.996 at 100,000 and 1,000,000 records, for about
# 2.6 times the candidate pairs at 100,000 and 3.8 times at 1,000,000 (first_surname3 and
# city_surname grow faster than the records: cities and three-letter prefixes are few).
PEOPLE_BLOCKING: list[dict[str, Any]] = [
    {"name": "dob_initial", "key": [_part("dob"), _part("surname", "prefix", 1)]},
    {"name": "full_name", "key": [_part("first_name"), _part("surname")], "unordered": True},
    {"name": "names_sorted", "key": [_part("surname"), _part("first_name")], "window": 4},
    {"name": "first_dob", "key": [_part("first_name"), _part("dob")]},
    {"name": "email", "key": [_part("email")]},
    {"name": "phone", "key": [_part("phone")]},
    # names swapped, or one of them cut to an initial, with the birth date right
    {
        "name": "dob_initials",
        "key": [_part("dob"), _part("first_name", "prefix", 1), _part("surname", "prefix", 1)],
        "unordered": True,
    },
    # surname missing or mistyped beyond its first letter
    {"name": "dob_first_initial", "key": [_part("dob"), _part("first_name", "prefix", 1)]},
    # both names damaged or missing
    {"name": "dob_city", "key": [_part("dob"), _part("city")]},
    # the same address at another provider, or a typo late in it, sorts alongside
    {"name": "email_sorted", "key": [_part("email")], "window": 3},
    # a wrong digit late in the number
    {"name": "phone_sorted", "key": [_part("phone")], "window": 2},
    # the birth date wrong and the surname mistyped after its third letter
    {"name": "first_surname3", "key": [_part("first_name"), _part("surname", "prefix", 3)]},
    # the birth date wrong or missing and the first name damaged
    {"name": "city_surname", "key": [_part("city"), _part("surname")]},
    # typos in both names that still sort together
    {"name": "first_sorted", "key": [_part("first_name"), _part("surname")], "window": 4},
]
# Weights (used by the weights mode only) favour what strangers seldom share: birth date,
# e-mail and phone; names collide within a population and blocking already pairs records
# by name, so a name agreement says little among the candidates. Names are compared by
# Levenshtein: Jaro-Winkler gives two strangers' names about 0.5, which lifted strangers
# sharing a birth date (the dob_* passes pair them) over auto_merge when e-mail and phone
# are missing, and cluster precision fell as the population grew. First name and surname
# are compared in either order (``either_order_with``: records with the two swapped score
# like straight ones), which let the names weigh 2 each instead of 1: a swapped true pair
# no longer pays for it, and strangers sharing only a birth date stay below auto_merge
# (at 1,000,000 records cluster precision 0.983 -> 0.997; chosen on seeds 7 and 11 at
# 100,000 records, where name weights 1.5 to 2 and auto_merge 0.78 to 0.80 are within
# 0.0005 of each other).
PEOPLE_COMPARE: list[dict[str, Any]] = [
    {"field": "first_name", "method": "levenshtein", "weight": 2, "either_order_with": "surname"},
    {"field": "surname", "method": "levenshtein", "weight": 2},
    {"field": "dob", "method": "levenshtein", "weight": 6},
    {"field": "city", "method": "exact", "weight": 1},
    {"field": "email", "method": "levenshtein", "weight": 6},
    {"field": "phone", "method": "levenshtein", "weight": 8},
]
# Fellegi-Sunter compares names and the birth date by Jaro-Winkler: a swapped day and
# month keeps the common "yyyy-" prefix and lands in a middle agreement level instead of
# the lowest (Levenshtein puts it with a stranger's date); first name and surname in
# either order, as above. Weights play no part here.
PEOPLE_FS_COMPARE: list[dict[str, Any]] = [
    {"field": "first_name", "method": "jaro_winkler", "either_order_with": "surname"},
    {"field": "surname", "method": "jaro_winkler"},
    {"field": "dob", "method": "jaro_winkler"},
    {"field": "city", "method": "exact"},
    {"field": "email", "method": "levenshtein"},
    {"field": "phone", "method": "levenshtein"},
]
# Thresholds and chaining guard chosen on seeds 7 and 11 at 100,000 records. Weights: merge
# from 0.78, split a cluster where two of its records score below 0.7. Fellegi-Sunter: merge
# from a match probability of 0.07, split where two records score below 0.001 (chosen when
# a pair with names swapped scored about 0.003-0.08; with the names compared in either
# order, merging from 0.03 to 0.15 and floors from 0.001 to 0.01 stay within 0.0005 of
# each other in pairwise and cluster F1, so they were kept).
SPECS: dict[str, dict[str, dict[str, Any]]] = {
    "people": {
        "weights": {
            "blocking": PEOPLE_BLOCKING,
            "compare": PEOPLE_COMPARE,
            "thresholds": {"auto_merge": 0.78, "review": 0.6},
            "mode": "weights",
            "cluster_floor": 0.7,
        },
        "fellegi_sunter": {
            "blocking": PEOPLE_BLOCKING,
            "compare": PEOPLE_FS_COMPARE,
            "thresholds": {"auto_merge": 0.07, "review": 0.05},
            "mode": "fellegi_sunter",
            "cluster_floor": 0.001,
        },
    },
}


# The weights mode on the companies: the demo's blocking, its own comparisons. A weighted
# mean of raw similarities has no notion of "this much agreement is usual between
# strangers", so only comparisons on which non-matches score low earn weight: the name in
# pinyin by partial ratio (one record may carry the Chinese name, the other its English
# translation, so the Chinese name key would count against half of those true pairs, and a
# name with its city dropped from the front is found inside the other), the credit code,
# phone, and street and postcode only when exactly equal (the blocking pairs many strangers
# at one address). Chosen on generator seed 42 and checked on seed 43 at 10,000, 100,000
# and 1,000,000 entities; F1 stays above Splink's for auto_merge 0.76 to 0.78; see README.
COMPANY_WEIGHTS_COMPARE: list[dict[str, Any]] = [
    {"field": "name_pinyin", "method": "partial", "weight": 3},
    {"field": "tax_id", "method": "exact", "weight": 8},
    {"field": "phone", "method": "levenshtein", "weight": 6},
    {"field": "street", "method": "exact", "weight": 1},
    {"field": "postal_code", "method": "exact", "weight": 1},
]
COMPANY_WEIGHTS: dict[str, Any] = {
    "compare": COMPANY_WEIGHTS_COMPARE,
    "thresholds": {"auto_merge": 0.77, "review": 0.6},
    "mode": "weights",
    "cluster_floor": 0.7,
}


def company_specs() -> dict[str, dict[str, Any]]:
    """The demo's customer match section in its own (Fellegi-Sunter) mode, and its blocking
    with ``COMPANY_WEIGHTS`` in the weights mode."""
    import yaml

    from bench.match_data import ROOT

    rules = yaml.safe_load((ROOT / "rules/customer.yaml").read_text("utf-8"))["match"]
    return {
        "fellegi_sunter": {**rules, "mode": "fellegi_sunter"},
        "weights": {**rules, **COMPANY_WEIGHTS},
    }


def run_migrate(data_path: str, dataset: str, mode: str, out_path: str) -> dict[str, Any]:
    """Match with migrate's engine; returns figures, writes clusters and matched pairs."""
    from migrate.matching.engine import match_frame
    from migrate.spec.match import MatchSpec

    spec_dict = SPECS[dataset][mode] if dataset in SPECS else company_specs()[mode]
    spec = MatchSpec.model_validate(spec_dict)
    frame = read_frame(data_path, ["unique_id", "cluster", *spec.fields()])
    truth = frame.pop("cluster").to_numpy()
    started = time.perf_counter()
    outcome = match_frame(frame, spec)
    seconds = time.perf_counter() - started
    ids = frame["unique_id"].to_numpy()
    pd.DataFrame({"unique_id": ids, "cluster_id": ids[outcome.roots]}).to_parquet(out_path)
    kept = outcome.kept
    left, right = outcome.candidates.left, outcome.candidates.right
    pd.DataFrame({"a": ids[left[kept]], "b": ids[right[kept]]}).to_parquet(
        out_path + ".pairs.parquet"
    )
    return {
        "seconds": round(seconds, 2),
        "peak_mib": own_peak_mib(),
        "phases": outcome.seconds,
        "pairs_compared": len(outcome.candidates),
        "blocking_recall": _blocking_recall(truth, left, right),
    }


def read_frame(data_path: str, columns: list[str] | None = None) -> pd.DataFrame:
    """The data set (only ``columns``: those the tool reads) as a frame, for either tool
    alike; Arrow's allocator keeps the Parquet reader's freed buffers, which would count
    towards the tool's peak, unless told to give them back."""
    import pyarrow as pa

    frame = pd.read_parquet(data_path, columns=columns)
    pa.default_memory_pool().release_unused()
    return frame


def own_peak_mib() -> float:
    """This process's own peak resident memory (VmHWM starts afresh at exec; ru_maxrss
    does not, so a spawned child would report at least its parent's peak)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _blocking_recall(truth: np.ndarray, left: np.ndarray, right: np.ndarray) -> float:
    """Share of true duplicate pairs among the candidate pairs."""
    proposed = int((truth[left] == truth[right]).sum())
    sizes = np.bincount(truth[truth >= 0])
    total = int((sizes * (sizes - 1) // 2).sum())
    return round(proposed / max(total, 1), 5)

"""The two matchers under benchmark, each run in a child process (see ``bench.memory``).

``run_migrate`` runs ``migrate.matching.engine.match_frame`` with a match spec
(the hand-weighted or the Fellegi-Sunter mode); ``run_splink`` runs Splink 5 with
its DuckDB backend the documented way: blocking rules, the prior from
deterministic rules, u by random sampling, m by expectation maximisation,
predictions clustered at match probability 0.5.

Both read the data set's Parquet file, time only the matching itself, and write
what they found to ``out_path`` (Parquet: ``unique_id, cluster_id`` per record)
and ``<out_path>.pairs.parquet`` (the pairs they declared matches). They return
``seconds`` and ``pairs_compared`` (and, for migrate, ``blocking_recall``).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import pandas as pd

PEOPLE_BLOCKING: list[dict[str, Any]] = [
    {
        "name": "dob_initial",
        "key": [{"field": "dob"}, {"field": "surname", "transform": "prefix", "length": 1}],
    },
    {
        "name": "full_name",
        "key": [{"field": "first_name"}, {"field": "surname"}],
        "unordered": True,
    },
    {
        "name": "names_sorted",
        "key": [{"field": "surname"}, {"field": "first_name"}],
        "window": 4,
    },
    {"name": "first_dob", "key": [{"field": "first_name"}, {"field": "dob"}]},
    {"name": "email", "key": [{"field": "email"}]},
    {"name": "phone", "key": [{"field": "phone"}]},
]
# Weights (used by the weights mode only) favour what strangers seldom share: birth date,
# e-mail and phone; names collide within a population and blocking already pairs records
# by name, so a name agreement says little among the candidates.
PEOPLE_COMPARE: list[dict[str, Any]] = [
    {"field": "first_name", "method": "jaro_winkler", "weight": 1},
    {"field": "surname", "method": "jaro_winkler", "weight": 1},
    {"field": "dob", "method": "levenshtein", "weight": 6},
    {"field": "city", "method": "exact", "weight": 1},
    {"field": "email", "method": "levenshtein", "weight": 6},
    {"field": "phone", "method": "levenshtein", "weight": 8},
]
SPECS: dict[str, dict[str, dict[str, Any]]] = {
    "people": {
        "weights": {
            "blocking": PEOPLE_BLOCKING,
            "compare": PEOPLE_COMPARE,
            "thresholds": {"auto_merge": 0.78, "review": 0.6},
            "mode": "weights",
            "cluster_floor": 0.6,
        },
        "fellegi_sunter": {
            "blocking": PEOPLE_BLOCKING,
            "compare": PEOPLE_COMPARE,
            "thresholds": {"auto_merge": 0.5, "review": 0.2},
            "mode": "fellegi_sunter",
            "cluster_floor": 0.01,
        },
    },
}


# The weights mode on the companies: the demo's blocking, its own comparisons. A weighted
# mean of raw similarities has no notion of "this much agreement is usual between
# strangers", so only comparisons on which non-matches score low earn weight: the name in
# pinyin (one record may carry the Chinese name, the other its English translation, so
# the Chinese name key would count against half of those true pairs), the credit code,
# phone, street and postcode. Chosen on two generator seeds (42, 43) at 10,000 entities,
# where F1 stays within 0.001 of its best for auto_merge 0.70 to 0.78; see README.
COMPANY_WEIGHTS_COMPARE: list[dict[str, Any]] = [
    {"field": "name_pinyin", "method": "levenshtein", "weight": 2},
    {"field": "tax_id", "method": "exact", "weight": 8},
    {"field": "phone", "method": "levenshtein", "weight": 4},
    {"field": "street", "method": "token_set", "weight": 2},
    {"field": "postal_code", "method": "exact", "weight": 2},
]
COMPANY_WEIGHTS: dict[str, Any] = {
    "compare": COMPANY_WEIGHTS_COMPARE,
    "thresholds": {"auto_merge": 0.75, "review": 0.6},
    "mode": "weights",
    "cluster_floor": 0.6,
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
    used = [part.field for p in spec.blocking for part in p.key] + [c.field for c in spec.compare]
    frame = read_frame(data_path, ["unique_id", "cluster", *dict.fromkeys(used)])
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


def _splink_people() -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    import splink.comparison_library as cl
    from splink import block_on

    comparisons = [
        cl.NameComparison("first_name"),
        cl.NameComparison("surname"),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        cl.EmailComparison("email"),
        cl.LevenshteinAtThresholds("phone", [1, 2]),
    ]
    blocking = [
        block_on("first_name", "surname"),
        block_on("surname", "dob"),
        block_on("first_name", "dob"),
        block_on("email"),
        block_on("phone"),
    ]
    prior = [block_on("first_name", "surname", "dob"), block_on("email")]
    training = [block_on("first_name", "surname"), block_on("dob")]
    return comparisons, blocking, prior, training


def _splink_companies() -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    import splink.comparison_library as cl
    from splink import block_on

    comparisons = [
        cl.JaroWinklerAtThresholds("name_key", [0.95, 0.85, 0.7]),
        cl.JaroWinklerAtThresholds("name_pinyin", [0.95, 0.85, 0.7]),
        cl.ExactMatch("tax_id"),
        cl.LevenshteinAtThresholds("phone", [1, 2]),
        cl.JaroWinklerAtThresholds("street", [0.9, 0.7]),
        cl.ExactMatch("postal_code"),
    ]
    blocking = [
        block_on("tax_id"),
        block_on("phone"),
        block_on("name_key"),
        block_on("name_pinyin"),
        block_on("postal_code", "substr(name_key, 1, 4)"),
    ]
    prior = [block_on("tax_id")]
    training = [block_on("tax_id"), block_on("name_key")]
    return comparisons, blocking, prior, training


SPLINK_SETTINGS = {"people": _splink_people, "companies": _splink_companies}
SPLINK_COMPARED = {
    "people": ["first_name", "surname", "dob", "city", "email", "phone"],
    "companies": ["name_key", "name_pinyin", "tax_id", "phone", "street", "postal_code"],
}


def splink_rules(dataset: str) -> list[list[str]]:
    """The prediction blocking rules as column lists (for blocking recall)."""
    if dataset == "people":
        return [
            ["first_name", "surname"],
            ["surname", "dob"],
            ["first_name", "dob"],
            ["email"],
            ["phone"],
        ]
    return [["tax_id"], ["phone"], ["name_key"], ["name_pinyin"], ["postal_code", "name_key:4"]]


def run_splink(data_path: str, dataset: str, mode: str, out_path: str) -> dict[str, Any]:
    """Match with Splink 5 (DuckDB); returns figures, writes clusters and matched pairs."""
    from splink import DuckDBAPI, Linker, SettingsCreator
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    used = sorted({part.partition(":")[0] for rule in splink_rules(dataset) for part in rule})
    frame = read_frame(
        data_path, list(dict.fromkeys(["unique_id", *SPLINK_COMPARED[dataset], *used]))
    )
    comparisons, blocking, prior, training = SPLINK_SETTINGS[dataset]()
    started = time.perf_counter()
    db_api = DuckDBAPI()
    table = db_api.register(frame)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(table, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(prior, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    for rule in training:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.5)
    found = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    pairs = predictions.as_pandas_dataframe()[["unique_id_l", "unique_id_r"]]
    seconds = time.perf_counter() - started
    found.to_parquet(out_path)
    pairs.set_axis(["a", "b"], axis=1).to_parquet(out_path + ".pairs.parquet")
    peak = own_peak_mib()  # before counting pairs, which is not part of the matching
    counted = count_comparisons_from_blocking_rules(
        table, blocking_rules=blocking, link_type="dedupe_only", record_sample_proportion=1.0
    )
    return {
        "seconds": round(seconds, 2),
        "peak_mib": peak,
        "pairs_compared": int(counted[-1]["cumulative_comparison_count"]),
    }

"""Splink 5 (DuckDB backend) under benchmark, run in a child process like
``bench.match_tools.run_migrate``: blocking rules, the prior from deterministic
rules, u by random sampling, m by expectation maximisation, predictions clustered
at match probability 0.5. It reads the data set's Parquet file, times only the
matching, and writes ``unique_id, cluster_id`` to ``out_path`` and the pairs it
declared matches to ``<out_path>.pairs.parquet``.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from bench.match_tools import own_peak_mib, read_frame


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

"""Splink 5 (DuckDB backend) under benchmark, run in a child process like
``bench.match_tools.run_migrate``, configured the way Splink's documentation and
examples recommend (tutorial "Estimating model parameters", the "training rationale"
topic guide, the ``deduplicate_50k_synthetic`` example, "Data prerequisites"):

* empty strings are made NULL, since Splink treats only NULL as missing;
* comparisons from the comparison library suited to each column, with term frequency
  adjustments on names and cities; where two columns carry one fact (an e-mail address
  made of the names, a pinyin made of the name key, a postcode that follows from the
  street) a comparison built from the level library takes them together, since the
  Fellegi-Sunter model counts every comparison as independent evidence;
* blocking rules for predictions, one per kind of error they recover;
* the prior from deterministic rules with a guessed recall, u by random sampling
  (10^7 pairs), m by expectation maximisation in training sessions that between them
  estimate every comparison, blocked on fields that the other compared fields do not
  depend on;
* predictions and clusters at match probability 0.5.

The same configuration runs at every size and uses no truth. It reads the data set's
Parquet file, times only the matching, and writes ``unique_id, cluster_id`` to
``out_path`` and the pairs it declared matches to ``<out_path>.pairs.parquet``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from bench.match_tools import own_peak_mib, read_frame

# A rule is a list of parts, every part equal on both sides: ``"field"`` or
# ``"field:n"`` (its first n characters); the form ``bench_match`` reads for blocking
# recall, turned into Splink's ``block_on`` by ``_block``.
Rule = list[str]


@dataclass(frozen=True)
class SplinkConfig:
    """One data set's Splink model: what is compared and how it is trained."""

    comparisons: list[Any]
    blocking: list[Rule]  # blocking_rules_to_generate_predictions
    prior: list[Rule]  # deterministic rules for probability_two_random_records_match
    recall: float  # the guessed recall of those rules
    training: list[Rule]  # one EM training session per rule
    derived: dict[str, list[str]]  # extra columns: name -> the columns joined by a space


def _block(rule: Rule) -> Any:
    from splink import block_on

    parts = []
    for part in rule:
        name, _, cut = part.partition(":")
        parts.append(f"substr({name}, 1, {cut})" if cut else name)
    return block_on(*parts)


def _email_comparison() -> Any:
    """``EmailComparison``'s levels with its Jaro-Winkler ones (> 0.88 on the address,
    on the user name) made Levenshtein <= 2 levels (one typo, a transposition included;
    DuckDB's Damerau-Levenshtein is many times slower): these addresses are made of the
    owner's names, so Jaro-Winkler, which rewards a shared beginning, ranks two
    same-named strangers' addresses as a typo and counts the names a second time (the
    Fellegi-Sunter model takes comparisons as independent given the match status)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import ColumnExpression

    user = ColumnExpression("email").regex_extract("^[^@]+")
    return cl.CustomComparison(
        output_column_name="email",
        comparison_levels=[
            cll.NullLevel("email"),
            cll.ExactMatchLevel("email").configure(tf_adjustment_column="email"),
            cll.ExactMatchLevel(user).configure(label_for_charts="Exact match on username"),
            cll.LevenshteinLevel("email", 2),
            cll.LevenshteinLevel(user, 2).configure(
                label_for_charts="Levenshtein <= 2 on username"
            ),
            cll.ElseLevel(),
        ],
    )


def _splink_people() -> SplinkConfig:
    import splink.comparison_library as cl

    return SplinkConfig(
        comparisons=[
            # the 50k example's name comparison: swapped names get a level of their own,
            # and term frequencies of the full name (a derived column) on an exact match
            cl.ForenameSurnameComparison(
                "first_name", "surname", forename_surname_concat_col_name="full_name"
            ),
            # told the data's date format (ISO, also DuckDB's default)
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
            # cities are few and of Zipf-like frequency: a match on a small one says more
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            _email_comparison(),
            cl.LevenshteinAtThresholds("phone", [1, 2]),  # a wrong digit
        ],
        blocking=[
            ["first_name", "surname"],  # the birth date wrong or missing
            ["dob"],  # names mistyped, cut to an initial or swapped
            ["email"],  # both names and the birth date damaged
            ["phone"],  # names and the birth date damaged, no e-mail
            ["city", "surname"],  # the first name and the birth date damaged
            ["first_name", "surname:4"],  # a late typo in the surname, dob wrong
        ],
        # the documented example's rules and recall ("training rationale")
        prior=[["first_name", "surname", "dob"], ["email"]],
        recall=0.7,
        # dob: no other field depends on it, so strangers born on one day look like any
        # strangers (blocking on the names would not do: the e-mail address is made of the
        # names, so same-named strangers agree on it and EM takes them for matches, which
        # spoils the m of dob, city and phone); phone estimates dob, which dob cannot
        training=[["dob"], ["phone"]],
        derived={"full_name": ["first_name", "surname"]},
    )


def _company_name_comparison() -> Any:
    """The name key and its pinyin as one comparison, as ``ForenameSurnameComparison``
    makes one of two name columns: the pinyin is made from the name key (an English name
    is its own pinyin), so as two comparisons they would count one agreement twice.
    Exact levels carry term frequencies (company names repeat across cities); the fuzzy
    levels compare the pinyin, the script both Chinese and English names have."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name_pinyin"),
            cll.ExactMatchLevel("name_key").configure(tf_adjustment_column="name_key"),
            cll.ExactMatchLevel("name_pinyin").configure(tf_adjustment_column="name_pinyin"),
            cll.JaroWinklerLevel("name_pinyin", 0.95),
            cll.JaroWinklerLevel("name_pinyin", 0.85),
            cll.JaroWinklerLevel("name_pinyin", 0.7),
            cll.ElseLevel(),
        ],
    )


def _address_comparison() -> Any:
    """The street and the postcode as one comparison: the postcode follows from the
    address, so two companies on neighbouring numbers of one road (street Jaro-Winkler
    >= 0.9) also share a postcode, and as two comparisons that one fact would count
    twice. Each street level is split by whether the postcodes agree."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    postcode = cll.ExactMatchLevel("postal_code")
    levels: list[Any] = [cll.NullLevel("street")]
    for street in (
        cll.ExactMatchLevel("street"),
        cll.JaroWinklerLevel("street", 0.9),
        cll.JaroWinklerLevel("street", 0.7),
    ):
        levels += [cll.And(street, postcode), street]
    levels += [postcode, cll.ElseLevel()]
    return cl.CustomComparison(output_column_name="address", comparison_levels=levels)


def _splink_companies() -> SplinkConfig:
    import splink.comparison_library as cl

    return SplinkConfig(
        comparisons=[
            _company_name_comparison(),
            cl.ExactMatch("tax_id"),
            cl.LevenshteinAtThresholds("phone", [1, 2]),  # a wrong digit
            _address_comparison(),
        ],
        blocking=[
            ["tax_id"],
            ["phone"],  # no credit code on one side
            ["name_key"],
            ["name_pinyin"],  # a character replaced by a homophone
            ["postal_code", "name_key:4"],  # a typo late in the name
            # the name in another script on the other side, no credit code, a new phone
            ["street"],
        ],
        # the credit code and the phone belong to one company: near-certain matches
        prior=[["tax_id"], ["phone"]],
        recall=0.7,
        # the credit code: no other field depends on it, and it estimates all the other
        # comparisons; the exact name key estimates the credit code
        training=[["tax_id"], ["name_key"]],
        derived={},
    )


SPLINK_SETTINGS = {"people": _splink_people, "companies": _splink_companies}
SPLINK_COMPARED = {
    "people": ["first_name", "surname", "dob", "city", "email", "phone"],
    "companies": ["name_key", "name_pinyin", "tax_id", "phone", "street", "postal_code"],
}


def splink_rules(dataset: str) -> list[list[str]]:
    """The prediction blocking rules as column lists (for blocking recall)."""
    return [list(rule) for rule in SPLINK_SETTINGS[dataset]().blocking]


def _input_frame(frame: Any, dataset: str, config: SplinkConfig) -> Any:
    """The records as Splink reads them: compared text with empty strings as NULL
    ("Data prerequisites": Splink treats only NULL as missing), plus the derived columns
    (NULL where a part is)."""
    out = frame[["unique_id"]].copy()
    for name in SPLINK_COMPARED[dataset]:
        text = frame[name].astype("str").str.strip()
        out[name] = text.where(text != "")
    for name, parts in config.derived.items():
        joined = out[parts[0]]
        for part in parts[1:]:
            joined = joined + " " + out[part]
        out[name] = joined
    return out


def fit(db_api: Any, table: Any, config: SplinkConfig) -> Any:
    """A trained Splink linker over ``table``."""
    from splink import Linker, SettingsCreator

    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=config.comparisons,
        blocking_rules_to_generate_predictions=[_block(rule) for rule in config.blocking],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(table, settings, log_level=logging.WARNING)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [_block(rule) for rule in config.prior], recall=config.recall
    )
    # the documented sample size ("at least 10 million"); a seed makes runs repeatable
    training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    for rule in config.training:
        # as in the 50k example: EM on the comparison vectors alone, which is faster
        training.estimate_parameters_using_expectation_maximisation(
            _block(rule), estimate_without_term_frequencies=True
        )
    return linker


def run_splink(data_path: str, dataset: str, mode: str, out_path: str) -> dict[str, Any]:
    """Match with Splink 5 (DuckDB); returns figures, writes clusters and matched pairs."""
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    config = SPLINK_SETTINGS[dataset]()
    frame = read_frame(data_path, ["unique_id", *SPLINK_COMPARED[dataset]])
    started = time.perf_counter()
    db_api = DuckDBAPI()
    table = db_api.register(_input_frame(frame, dataset, config))
    linker = fit(db_api, table, config)
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.5)
    found = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    pairs = predictions.as_pandas_dataframe()[["unique_id_l", "unique_id_r"]]
    seconds = time.perf_counter() - started
    found.to_parquet(out_path)
    pairs.set_axis(["a", "b"], axis=1).to_parquet(out_path + ".pairs.parquet")
    peak = own_peak_mib()  # before counting pairs, which is not part of the matching
    counted = count_comparisons_from_blocking_rules(
        table,
        blocking_rules=[_block(rule) for rule in config.blocking],
        link_type="dedupe_only",
        record_sample_proportion=1.0,
    )
    return {
        "seconds": round(seconds, 2),
        "peak_mib": peak,
        "pairs_compared": int(counted[-1]["cumulative_comparison_count"]),
    }

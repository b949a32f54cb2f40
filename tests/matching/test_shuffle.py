"""Scoring shuffled by blocking key: blocks stay whole, every pair is scored once, and the
figures are the in-process ones bit for bit, in this process and on a Dask cluster."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pytest

from migrate.engine.dask_engine import DaskEngine
from migrate.engine.local import LocalEngine
from migrate.matching import shuffle
from migrate.matching.blocking import Candidates, blocking_key, candidate_pairs
from migrate.matching.engine import MatchOutcome, match_frame
from migrate.matching.scoring import CHUNK
from migrate.spec.match import MatchSpec
from migrate.stages import match
from tests.matching.helpers import make_context, make_frame, make_object

Item = TypeVar("Item")
Result = TypeVar("Result")

BLOCKING: list[dict[str, Any]] = [
    {"name": "city", "key": [{"field": "city"}], "max_block": 60},
    {"name": "stem", "key": [{"field": "name", "transform": "prefix", "length": 2}]},
    {"name": "phone", "key": [{"field": "phone", "transform": "digits"}], "window": 4},
    {"name": "swapped", "key": [{"field": "first"}, {"field": "last"}], "unordered": True},
]
COMPARE: list[dict[str, Any]] = [
    {"field": "name", "method": "jaro_winkler", "weight": 3},
    {"field": "name", "method": "partial", "weight": 1},
    {"field": "phone", "method": "levenshtein", "weight": 2},
    {"field": "amount", "method": "numeric", "weight": 0.5},
    {"field": "born", "method": "date", "weight": 1},
    {"field": "last", "method": "exact", "weight": 1},
]


def _spec(mode: str) -> MatchSpec:
    return MatchSpec.model_validate(
        {
            "blocking": BLOCKING,
            "compare": COMPARE,
            "thresholds": {"auto_merge": 0.8, "review": 0.6},
            "mode": mode,
            "cluster_floor": 0.5,
        }
    )


def _frame(n: int = 400, seed: int = 3) -> pd.DataFrame:
    """Names with shared stems and typos, near copies of rows, cities, phones, amounts,
    dates in mixed formats (parsed per value: a partition's rows must parse as the whole
    column's), swapped first and last names, missing values; indexed by position."""
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefg"))
    stems = ["".join(rng.choice(letters, 5)) for _ in range(50)]
    extra = [("".join(rng.choice(letters, int(rng.integers(0, 3))))) for _ in range(n)]
    days = pd.Timestamp("1960-01-01") + pd.to_timedelta(rng.integers(0, 20_000, n), unit="D")
    formats = np.array(["%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d", "%B %d, %Y"])
    born = [d.strftime(f) for d, f in zip(days, rng.choice(formats, n), strict=True)]
    first, last = rng.choice(["an", "bo", "cy"], n), rng.choice(["li", "wu", "xu", "ma"], n)
    swap = rng.random(n) < 0.3
    records = {
        "name": [s + e for s, e in zip(rng.choice(stems, n), extra, strict=True)],
        "city": rng.choice(list("stuvwxyz"), n),
        "phone": [f"+86 {x}" for x in rng.integers(10_000, 10_300, n)],
        "amount": [str(x) for x in rng.integers(0, 500, n)],
        "born": born,
        "first": np.where(swap, last, first),
        "last": np.where(swap, first, last),
    }
    frame = pd.DataFrame(records, dtype="str")
    copies = rng.random(n) < 0.35  # a third are another row again, with a typo in the name
    originals = rng.integers(0, n, n)[copies]
    frame.loc[copies] = frame.iloc[originals].to_numpy()
    frame.loc[copies, "name"] = frame.loc[copies, "name"] + rng.choice(letters, int(copies.sum()))
    for column in frame.columns:
        frame.loc[rng.random(n) < 0.08, column] = None
    return frame


class Shuffling:
    """A distributed stand-in: runs each partition here, records what it was sent."""

    name = "shuffling"

    def __init__(self, workers: int = 2) -> None:
        self.workers = workers
        self.sent: list[shuffle.Partition] = []

    def map_ordered(
        self, work: Callable[[Item], Result], items: Iterable[Item]
    ) -> Iterator[Result]:
        for item in items:
            assert isinstance(item, shuffle.Partition)
            self.sent.append(item)
            yield work(item)

    def close(self) -> None:
        """Nothing to release."""


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return _frame()


@pytest.fixture(scope="module")
def candidates(frame: pd.DataFrame) -> Candidates:
    return candidate_pairs(frame, _spec("weights").blocking)


@pytest.fixture(scope="module")
def cluster() -> Iterator[DaskEngine]:
    with DaskEngine(workers=2) as engine:
        yield engine


def _pair_key(frame: pd.DataFrame, candidates: Candidates, index: int, rows: np.ndarray) -> Any:
    """The key value a pair is partitioned by in pass ``index``: its rows' key sorting first."""
    spec = _spec("weights").blocking[index]
    key = blocking_key(frame, spec.key, spec.unordered)
    values = np.c_[key.to_numpy()[candidates.left[rows]], key.to_numpy()[candidates.right[rows]]]
    return [min(a, b) for a, b in values]


def test_the_passes_overlap_and_each_pass_is_some_pairs_first(candidates: Candidates) -> None:
    first = shuffle.first_pass(candidates.mask, len(BLOCKING))
    assert sorted(set(first.tolist())) == [0, 1, 2, 3]
    several = np.array([bin(int(m)).count("1") > 1 for m in candidates.mask])
    assert several.any()
    lowest = np.array([(int(m) & -int(m)).bit_length() - 1 for m in candidates.mask])
    np.testing.assert_array_equal(first, lowest)


def test_every_block_goes_whole_to_one_partition(
    frame: pd.DataFrame, candidates: Candidates
) -> None:
    part = shuffle.partition_ids(frame, candidates, _spec("weights").blocking, 7)
    first = shuffle.first_pass(candidates.mask, len(BLOCKING))
    assert len(np.unique(part)) == 7  # the pairs do spread
    for index in range(len(BLOCKING)):
        rows = np.flatnonzero(first == index)
        keys = pd.Series(_pair_key(frame, candidates, index, rows))
        per_key = pd.Series(part[rows]).groupby(keys.to_numpy()).nunique()
        assert (per_key == 1).all(), BLOCKING[index]["name"]
        assert len(per_key) > 7  # many blocks, so "one partition each" says something
    within = first == 0  # the city pass: both rows share the key
    city = frame["city"].to_numpy()
    assert (city[candidates.left[within]] == city[candidates.right[within]]).all()


def test_a_keys_partition_does_not_depend_on_the_other_rows(frame: pd.DataFrame) -> None:
    passes = _spec("weights").blocking[:1]

    def by_city(rows: pd.DataFrame) -> dict[str, int]:
        found = candidate_pairs(rows, passes)
        part = shuffle.partition_ids(rows, found, passes, 5)
        return dict(zip(rows["city"].to_numpy()[found.left], part.tolist(), strict=True))

    whole, half = by_city(frame), by_city(frame.iloc[::2])
    assert len(half) == len(whole) > 3
    assert half == whole


def test_every_pair_lands_once_with_only_its_rows_and_compared_columns(
    frame: pd.DataFrame, candidates: Candidates
) -> None:
    spec = _spec("weights")
    compared = frame[spec.compared_fields()]
    plan = shuffle.shuffle(frame, candidates, spec.blocking, 9)
    seen: list[np.ndarray] = []
    for part in shuffle.partitions(compared, candidates, plan):
        assert list(part.frame.columns) == ["name", "phone", "amount", "born", "last"]
        assert (part.left < part.right).all() and part.left.dtype == np.int32
        positions = part.frame.index.to_numpy()  # the frame is indexed by position
        touched = np.union1d(positions[part.left], positions[part.right])
        np.testing.assert_array_equal(positions, touched)  # its rows, no other
        seen.append(positions[part.left] * len(frame) + positions[part.right])
        np.testing.assert_array_equal(
            seen[-1],
            candidates.left[plan.pairs_of(part.number)] * len(frame)
            + candidates.right[plan.pairs_of(part.number)],
        )
    codes = np.concatenate(seen)
    expected = candidates.left.astype(np.int64) * len(frame) + candidates.right
    assert len(codes) == len(expected) == len(np.unique(codes))
    np.testing.assert_array_equal(np.sort(codes), expected)
    assert len(seen) == len(plan.numbers()) == 9


def test_partitions_are_twice_the_workers_or_a_chunk_of_pairs_each_in_whole_rounds() -> None:
    assert shuffle.partition_count(0, 3) == 6
    assert shuffle.partition_count(10 * CHUNK, 5) == 10
    assert shuffle.partition_count(10 * CHUNK, 3) == 12
    assert shuffle.partition_count(10 * CHUNK + 1, 1) == 11


def _bits(values: np.ndarray) -> np.ndarray:
    """float64 values as their bits (NaN payloads and signed zeros compared too)."""
    return np.ascontiguousarray(values).view(np.uint64)


@pytest.mark.parametrize("mode", ["weights", "fellegi_sunter"])
@pytest.mark.parametrize("parts", [1, 4, 13])
def test_shuffled_scores_are_the_in_process_scores_bit_for_bit(
    frame: pd.DataFrame, candidates: Candidates, mode: str, parts: int
) -> None:
    spec = _spec(mode)
    whole = shuffle.PairScorer.of(spec).score(frame, candidates.left, candidates.right)
    done: list[tuple[int, int]] = []
    shuffled, count = shuffle.score_shuffled(
        frame, candidates, spec, LocalEngine(), lambda d, t: done.append((d, t)), parts
    )
    assert count == parts
    assert done[-1] == (len(candidates), len(candidates)) and len(done) == parts
    np.testing.assert_array_equal(shuffled.codes, whole.codes)
    if mode == "weights":
        assert whole.score is not None and shuffled.score is not None
        np.testing.assert_array_equal(_bits(shuffled.score), _bits(whole.score))
        assert shuffled.level is None and (whole.score > 0.8).any()
    else:
        assert whole.level is not None and shuffled.level is not None
        np.testing.assert_array_equal(shuffled.level, whole.level)
        assert set(np.unique(whole.level).tolist()) == {-1, 0, 1, 2, 3}


def _assert_same_outcome(mine: MatchOutcome, local: MatchOutcome) -> None:
    """Scores, similarities, contributions, decisions and clusters, bit for bit."""
    np.testing.assert_array_equal(_bits(mine.scored.score), _bits(local.scored.score))
    np.testing.assert_array_equal(mine.scored.sims.codes, local.scored.sims.codes)
    np.testing.assert_array_equal(mine.scored.contrib[:], local.scored.contrib[:])
    assert mine.scored.model == local.scored.model
    for name in ("decision", "reviewed", "note"):
        assert list(getattr(mine, name)) == list(getattr(local, name))
    np.testing.assert_array_equal(mine.kept, local.kept)
    np.testing.assert_array_equal(mine.roots, local.roots)
    assert mine.clusters_split == local.clusters_split


@pytest.mark.parametrize("mode", ["weights", "fellegi_sunter"])
def test_a_distributed_engine_gets_the_in_process_match(frame: pd.DataFrame, mode: str) -> None:
    spec = _spec(mode)
    local = match_frame(frame, spec)
    engine = Shuffling(workers=3)
    mine = match_frame(frame, spec, engine=engine)
    _assert_same_outcome(mine, local)
    assert local.scored.ran_on is None
    assert mine.scored.ran_on == {"engine": "shuffling", "partitions": 6}
    assert len(engine.sent) == 6
    assert (local.decision == "match").sum() > 10 and len(np.unique(local.roots)) < len(frame)
    if mode == "fellegi_sunter":
        assert local.scored.model is not None and local.scored.model["iterations"] > 1


@pytest.mark.parametrize("mode", ["weights", "fellegi_sunter"])
def test_a_comparison_reading_two_fields_gets_both_and_the_same_figures(
    frame: pd.DataFrame, mode: str
) -> None:
    compare = [
        {"field": "first", "method": "jaro_winkler", "either_order_with": "last"},
        {"field": "last", "method": "levenshtein"},
        {"field": "name", "method": "jaro_winkler", "weight": 2},
    ]
    spec = MatchSpec.model_validate({**_spec(mode).model_dump(), "compare": compare})
    assert spec.compared_fields() == ["first", "last", "name"]
    engine = Shuffling()
    _assert_same_outcome(match_frame(frame, spec, engine=engine), match_frame(frame, spec))
    assert {tuple(part.frame.columns) for part in engine.sent} == {("first", "last", "name")}


def test_partitions_are_built_only_as_the_engine_asks_for_them(
    frame: pd.DataFrame, candidates: Candidates, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[int] = []
    make = shuffle.partitions

    def counted(*args: Any) -> Iterator[shuffle.Partition]:
        for part in make(*args):
            built.append(part.number)
            yield part

    class OneAtATime(Shuffling):
        def map_ordered(
            self, work: Callable[[Item], Result], items: Iterable[Item]
        ) -> Iterator[Result]:
            for taken, item in enumerate(items, start=1):
                assert len(built) == taken  # none built ahead of the one in hand
                yield work(item)

    monkeypatch.setattr(shuffle, "partitions", counted)
    spec = _spec("weights")
    _, count = shuffle.score_shuffled(frame, candidates, spec, OneAtATime(), parts=8)
    assert built == list(range(8)) and count == 8


def test_the_local_engine_scores_in_process_without_partitions(frame: pd.DataFrame) -> None:
    outcome = match_frame(frame, _spec("weights"), engine=LocalEngine())
    assert outcome.scored.ran_on is None
    _assert_same_outcome(outcome, match_frame(frame, _spec("weights")))


@pytest.mark.parametrize("mode", ["weights", "fellegi_sunter"])
def test_a_dask_cluster_gets_the_in_process_match(
    frame: pd.DataFrame, cluster: DaskEngine, mode: str
) -> None:
    spec = _spec(mode)
    mine = match_frame(frame, spec, engine=cluster)
    _assert_same_outcome(mine, match_frame(frame, spec))
    assert mine.scored.ran_on == {"engine": "dask", "partitions": 4}


def test_the_match_stage_scores_on_the_context_engine(tmp_path: Path) -> None:
    fields = ["name", "phone", "city", "amount", "born", "first", "last"]
    records = [{str(k): v for k, v in r.items()} for r in _frame(120, seed=8).to_dict("records")]
    obj = make_object(fields, match=_spec("fellegi_sunter").model_dump())
    runs = {}
    for name, engine in (("here", None), ("there", Shuffling())):
        frame = make_frame(records, fields)
        ctx = make_context(tmp_path / name, frame)
        ctx.engine = engine
        out, result = match.run(frame, obj, ctx)
        runs[name] = (out, result.metrics, ctx.extras["pairs:customer"])
    (here, metrics, pairs), (there, theirs, their_pairs) = runs["here"], runs["there"]
    assert "ran_on" not in metrics
    assert theirs.pop("ran_on") == {"engine": "shuffling", "partitions": 4}
    metrics.pop("seconds"), theirs.pop("seconds")
    assert theirs == metrics and metrics["matches"] > 0
    pd.testing.assert_frame_equal(there, here)
    pd.testing.assert_frame_equal(their_pairs, pairs)
    review = "review/customer_review.csv"
    assert (tmp_path / "there" / review).read_bytes() == (tmp_path / "here" / review).read_bytes()

"""The Dask engine on a real local cluster of worker processes."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest
from distributed import LocalCluster

from migrate.engine.dask_engine import DaskEngine
from migrate.engine.factory import open_engine
from migrate.errors import MigrateError, SourceError, SpecError
from tests.engine.works import CountsLoads, Doubles, FailsAt, SlowAfter, loads_here, reset_loads

WORKERS = 3


@pytest.fixture(scope="module")
def engine() -> Iterator[DaskEngine]:
    with DaskEngine(workers=WORKERS) as started:
        yield started


@pytest.fixture
def windowed(engine: DaskEngine) -> Iterator[DaskEngine]:
    """A second client of the same cluster, by its scheduler address, two chunks in flight."""
    with DaskEngine(scheduler=engine.client.scheduler.address, window=2) as connected:
        yield connected


def _counted(items: Iterator[int], pulled: list[int]) -> Iterator[int]:
    for item in items:
        pulled.append(item)
        yield item


def _tasks_left(engine: DaskEngine, timeout: float = 5.0) -> list[str]:
    """The scheduler's keys, once they have drained (or whatever is left at the timeout)."""

    def keys(dask_scheduler: object) -> list[str]:
        return [str(key) for key in dask_scheduler.tasks]  # type: ignore[attr-defined]

    deadline = time.monotonic() + timeout
    left = engine.client.run_on_scheduler(keys)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = engine.client.run_on_scheduler(keys)
    return left


def test_it_reports_its_name_and_workers(engine: DaskEngine) -> None:
    assert engine.name == "dask"
    assert engine.workers == WORKERS


def test_results_come_in_item_order_when_later_items_finish_first(engine: DaskEngine) -> None:
    items = 12
    assert list(engine.map_ordered(Doubles(items), range(items))) == [2 * i for i in range(items)]


def test_no_items_no_results(engine: DaskEngine) -> None:
    assert list(engine.map_ordered(Doubles(0), [])) == []


def test_work_with_a_large_table_goes_to_each_worker_once(engine: DaskEngine) -> None:
    engine.client.run(reset_loads)
    CountsLoads.dumps = 0
    work = CountsLoads(2_000_000)
    results = list(engine.map_ordered(work, range(30)))
    assert results == [2_000_000 + i for i in range(30)]
    assert CountsLoads.dumps == 1  # pickled here once, not per chunk
    loads = engine.client.run(loads_here)
    assert len(loads) == WORKERS
    # Each worker holds a copy; now and then a worker that got a chunk before its copy arrived
    # also fetches one from a peer, but never a copy per chunk.
    assert all(1 <= count <= 2 for count in loads.values()), loads


def test_a_spec_error_on_a_worker_is_raised_with_its_type_and_message(
    engine: DaskEngine,
) -> None:
    with pytest.raises(SpecError) as raised:
        list(engine.map_ordered(FailsAt(5), range(20)))
    error = raised.value
    assert str(error) == "rules/order.yaml: steps[2].op: unknown op (valid: trim, upper)"
    assert (error.file, error.key_path, error.choices) == (
        "rules/order.yaml",
        "steps[2].op",
        ["trim", "upper"],
    )
    assert error.exit_code == SpecError.exit_code


def test_other_errors_keep_their_type_and_results_before_them_arrive(
    engine: DaskEngine,
) -> None:
    got: list[int] = []
    with pytest.raises(ValueError, match="no good: 4"):
        for result in engine.map_ordered(FailsAt(4, spec=False), range(20)):
            got.append(result)
    assert got == [0, 1, 2, 3]
    assert not [key for key in _tasks_left(engine) if key.startswith("_call")]


def test_the_window_bounds_the_chunks_in_flight(windowed: DaskEngine) -> None:
    pulled: list[int] = []
    for taken, result in enumerate(windowed.map_ordered(Doubles(0), _counted(range(50), pulled))):
        assert result == 2 * taken
        assert len(pulled) <= taken + 1 + 2  # the result in hand and at most two in flight
    assert pulled == list(range(50))


def test_an_error_reading_the_items_cancels_what_is_in_flight(engine: DaskEngine) -> None:
    def items() -> Iterator[int]:
        yield from range(4)
        raise SourceError("erp/order_lines.csv", "not UTF-8", row=5)

    with pytest.raises(SourceError, match="row 5: not UTF-8"):
        list(engine.map_ordered(SlowAfter(0, pause=0.2), items()))
    assert not [key for key in _tasks_left(engine) if key.startswith("_call")]


def test_the_factory_connects_to_a_scheduler(engine: DaskEngine) -> None:
    opened = open_engine("dask", engine.client.scheduler.address, None)
    try:
        assert isinstance(opened, DaskEngine)
        assert opened.workers == WORKERS
        assert list(opened.map_ordered(Doubles(0), range(5))) == [0, 2, 4, 6, 8]
    finally:
        opened.close()
    assert engine.workers == WORKERS  # a connected engine leaves the cluster running


def test_a_closed_engine_says_so(engine: DaskEngine) -> None:
    other = DaskEngine(scheduler=engine.client.scheduler.address)
    other.close()
    other.close()  # closing twice is harmless
    with pytest.raises(MigrateError, match="the dask engine is closed"):
        list(other.map_ordered(Doubles(1), [0]))


def test_a_scheduler_that_does_not_answer_is_a_clear_error() -> None:
    with pytest.raises(MigrateError, match=r"dask scheduler tcp://127\.0\.0\.1:1: cannot connect"):
        DaskEngine(scheduler="tcp://127.0.0.1:1", timeout=1.0)


def test_a_scheduler_without_workers_is_a_clear_error() -> None:
    cluster = LocalCluster(
        n_workers=0,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": ":0"},
    )
    with cluster as empty:
        address = empty.scheduler_address
        with pytest.raises(MigrateError, match=f"dask scheduler {address}: no worker joined"):
            DaskEngine(scheduler=address, timeout=0.5)


# Last: its cancelled chunks keep their workers busy a while after it.
def test_stopping_early_cancels_the_chunks_in_flight(windowed: DaskEngine) -> None:
    pulled: list[int] = []
    results = windowed.map_ordered(SlowAfter(3, pause=2.0), _counted(itertools.count(), pulled))
    assert list(itertools.islice(results, 3)) == [0, 1, 2]
    results.close()  # type: ignore[attr-defined]
    started = time.monotonic()
    assert _tasks_left(windowed) == []  # the slow chunks and the scattered work are gone
    assert time.monotonic() - started < 1.5  # not waited out
    assert len(pulled) <= 3 + windowed.window  # type: ignore[operator]

"""Opening an engine by name."""

from __future__ import annotations

import pytest

from migrate.engine.factory import ENGINES, open_engine
from migrate.engine.local import LocalEngine


def test_local_is_the_in_process_engine() -> None:
    engine = open_engine("local", None, None)
    assert isinstance(engine, LocalEngine)
    assert engine.name == "local"
    assert list(engine.map_ordered(str, [1, 2])) == ["1", "2"]
    engine.close()


def test_the_engines_are_local_and_dask() -> None:
    assert sorted(ENGINES) == ["dask", "local"]


def test_an_unknown_engine_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown engine 'spark' \(valid: local, dask\)"):
        open_engine("spark", None, None)


def test_a_scheduler_address_needs_the_dask_engine() -> None:
    with pytest.raises(ValueError, match="a scheduler address needs engine dask, not local"):
        open_engine("local", "tcp://127.0.0.1:8786", None)


def test_workers_need_the_dask_engine() -> None:
    with pytest.raises(ValueError, match="workers are for engine dask"):
        open_engine("local", None, 3)


def test_a_scheduler_brings_its_own_workers() -> None:
    with pytest.raises(ValueError, match="a scheduler's cluster brings its own workers"):
        open_engine("dask", "tcp://127.0.0.1:8786", 3)

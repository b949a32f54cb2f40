"""The matching benchmark's specs: valid, and the weights mode's people weights do their job."""

from __future__ import annotations

import numpy as np
import pytest

from bench.bench_match import pairwise_quality
from bench.match_tools import SPECS, company_specs
from bench.people import people
from migrate.matching.engine import match_frame
from migrate.spec.match import MatchSpec


def test_company_specs_share_the_demo_blocking_and_validate() -> None:
    specs = {mode: MatchSpec.model_validate(spec) for mode, spec in company_specs().items()}
    assert specs["weights"].mode == "weights" and specs["fellegi_sunter"].mode == "fellegi_sunter"
    assert specs["weights"].blocking == specs["fellegi_sunter"].blocking
    assert "name_key" not in {c.field for c in specs["weights"].compare}


@pytest.mark.parametrize("mode", ["weights", "fellegi_sunter"])
def test_people_specs_find_the_duplicates(mode: str) -> None:
    frame = people(3_000, seed=8)  # a seed the weights were not chosen on
    truth = frame.pop("cluster").to_numpy()
    outcome = match_frame(frame, MatchSpec.model_validate(SPECS["people"][mode]))
    kept = outcome.kept
    left, right = outcome.candidates.left[kept], outcome.candidates.right[kept]
    quality = pairwise_quality(truth, left.astype(np.int64), right.astype(np.int64))
    assert quality["f1"] >= 0.98, quality

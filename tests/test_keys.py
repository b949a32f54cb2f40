"""Business keys as the target sees them: one field's text, or several joined by "|"."""

from __future__ import annotations

import pandas as pd

from migrate.keys import business_key


def test_business_key_of_an_empty_frame_with_a_compound_key_is_an_empty_series() -> None:
    empty = pd.DataFrame({"a": pd.Series([], dtype="str"), "b": pd.Series([], dtype="str")})
    keys = business_key(empty, ["a", "b"])
    assert isinstance(keys, pd.Series) and keys.empty
    two = pd.DataFrame({"a": ["1", "2"], "b": ["x", "y"]})
    assert business_key(two, ["a", "b"]).tolist() == ["1|x", "2|y"]

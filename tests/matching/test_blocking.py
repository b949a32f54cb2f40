"""Blocking: key parts, pairs per pass, oversized blocks, sorted neighbourhood."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from migrate.matching.blocking import blocking_key, candidate_pairs, part_values, pass_pairs
from migrate.spec.match import BlockingKeyPart, BlockingPass
from tests.matching.helpers import make_frame


def _pairs(left: np.ndarray, right: np.ndarray) -> set[tuple[int, int]]:
    return {(int(a), int(b)) for a, b in zip(left, right, strict=True)}


def test_key_part_transforms() -> None:
    values = pd.Series(["Acme Trading", "trading  acme", None, "  ", "021-555 01"], dtype="str")

    def run(**kw: object) -> list[Any]:
        part = BlockingKeyPart.model_validate({"field": "x", **kw})
        return part_values(values, part).tolist()

    assert run()[:2] == ["Acme Trading", "trading  acme"]
    assert run(transform="prefix", length=3)[:2] == ["Acm", "tra"]
    assert run(transform="suffix", length=2)[4] == "01"
    assert run(transform="digits")[4] == "02155501"
    assert run(transform="sorted_tokens")[:2] == ["Acme Trading", "acme trading"]
    for result in (run(), run(transform="digits"), run(transform="sorted_tokens")):
        assert pd.isna(result[2]) and pd.isna(result[3])


def test_missing_key_part_takes_no_part() -> None:
    frame = make_frame([{"a": "x", "b": "1"}, {"a": "x", "b": None}, {"a": "x", "b": "1"}])
    parts = [BlockingKeyPart(field="a"), BlockingKeyPart(field="b")]
    key = blocking_key(frame, parts)
    assert key.notna().tolist() == [True, False, True]
    left, right, _ = pass_pairs(key, BlockingPass(name="ab", key=parts))
    assert _pairs(left, right) == {(0, 2)}


def test_pairs_per_pass_union_and_passes() -> None:
    frame = make_frame(
        [
            {"name": "Acme", "phone": "111"},
            {"name": "Acme", "phone": "222"},
            {"name": "Bolt", "phone": "111"},
            {"name": "Acme", "phone": "111"},
            {"name": "Zeta", "phone": "999"},
        ]
    )
    passes = [
        BlockingPass(name="by_name", key=[BlockingKeyPart(field="name")]),
        BlockingPass(name="by_phone", key=[BlockingKeyPart(field="phone")]),
    ]
    found = candidate_pairs(frame, passes)
    assert found.per_pass == {"by_name": 3, "by_phone": 3}
    assert len(found) == 5  # (0,3) came from both passes
    pairs = zip(found.left.tolist(), found.right.tolist(), strict=True)
    labels = dict(zip(pairs, found.pass_labels(), strict=True))
    assert labels == {
        (0, 1): "by_name",
        (0, 2): "by_phone",
        (0, 3): "by_name|by_phone",
        (1, 3): "by_name",
        (2, 3): "by_phone",
    }
    assert (found.left < found.right).all()
    assert found.left.dtype == np.int32 and found.mask.dtype == np.uint8  # compact per pair


def test_never_all_pairs() -> None:
    rng = np.random.default_rng(3)
    records = [{"zip": f"{rng.integers(0, 50):05d}"} for _ in range(400)]
    frame = make_frame(records)
    found = candidate_pairs(frame, [BlockingPass(name="zip", key=[BlockingKeyPart(field="zip")])])
    sizes = frame["zip"].value_counts()
    assert len(found) == int((sizes * (sizes - 1) // 2).sum())
    assert len(found) < 400 * 399 // 2 / 10


def test_oversized_block_is_skipped_and_named() -> None:
    records = [{"city": "N/A"} for _ in range(6)] + [{"city": "Lyon"}, {"city": "Lyon"}]
    frame = make_frame(records)
    spec = BlockingPass(name="city", key=[BlockingKeyPart(field="city")], max_block=5)
    found = candidate_pairs(frame, [spec])
    assert _pairs(found.left, found.right) == {(6, 7)}
    assert [s.to_dict() for s in found.skipped] == [{"pass": "city", "key": "N/A", "size": 6}]


def test_oversized_blocks_are_named_in_key_order() -> None:
    # keys first seen out of order: an exact pass groups rows without sorting its keys,
    # yet reports the blocks it skipped in key order
    cities = ["Zug", "N/A", "Zug", "Lyon", "N/A", "Zug", "N/A", "Lyon", "Bern", "Bern"]
    frame = make_frame([{"city": c} for c in cities])
    spec = BlockingPass(name="city", key=[BlockingKeyPart(field="city")], max_block=2)
    found = candidate_pairs(frame, [spec])
    assert _pairs(found.left, found.right) == {(3, 7), (8, 9)}
    assert [(s.key, s.size) for s in found.skipped] == [("N/A", 3), ("Zug", 3)]


def test_exact_pass_pairs_every_row_sharing_a_key() -> None:
    rng = np.random.default_rng(3)
    values = rng.choice(["k" + str(i) for i in range(40)] + [""], size=300)
    frame = make_frame([{"k": v} for v in values])
    spec = BlockingPass(name="k", key=[BlockingKeyPart(field="k")])
    found = candidate_pairs(frame, [spec])
    expected = {
        (i, j)
        for i in range(len(values))
        for j in range(i + 1, len(values))
        if values[i] and values[i] == values[j]
    }
    assert _pairs(found.left, found.right) == expected
    assert len(found) == len(expected)


def test_sorted_neighbourhood_finds_typo_key() -> None:
    names = ["SMITHSON", "SMITHSNO", "ADAMS", "ZORRO", "JONES", "SMYTHE"]
    frame = make_frame([{"name": n} for n in names])
    exact = BlockingPass(name="exact", key=[BlockingKeyPart(field="name")])
    assert len(candidate_pairs(frame, [exact])) == 0
    window = BlockingPass(name="snm", key=[BlockingKeyPart(field="name")], window=2)
    found = candidate_pairs(frame, [window])
    assert (0, 1) in _pairs(found.left, found.right)
    assert len(found) == len(names) - 1  # window 2: each row with its next neighbour


def test_sorted_neighbourhood_window_three() -> None:
    frame = make_frame([{"k": k} for k in ["d", "a", "c", "b"]])
    spec = BlockingPass(name="snm", key=[BlockingKeyPart(field="k")], window=3)
    found = candidate_pairs(frame, [spec])
    # key order a(1) b(3) c(2) d(0): neighbours within 2 steps
    assert _pairs(found.left, found.right) == {(1, 3), (1, 2), (2, 3), (0, 3), (0, 2)}


def test_unordered_key_pairs_swapped_fields() -> None:
    frame = make_frame(
        [
            {"first": "Anna", "last": "Berg"},
            {"first": "Berg", "last": "Anna"},  # first name and surname swapped
            {"first": "Anna", "last": None},
            {"first": "Carl", "last": "Berg"},
        ]
    )
    parts = [BlockingKeyPart(field="first"), BlockingKeyPart(field="last")]
    key = blocking_key(frame, parts, unordered=True)
    assert key[0] == key[1] and pd.isna(key[2]) and key[3] != key[0]
    assert blocking_key(frame, parts)[0] != blocking_key(frame, parts)[1]
    spec = BlockingPass(name="names", key=parts, unordered=True)
    found = candidate_pairs(frame, [spec])
    assert _pairs(found.left, found.right) == {(0, 1)}

"""Clustering: components by smallest member, chaining guard."""

from __future__ import annotations

import numpy as np

from migrate.matching.clustering import Edges, cluster_sizes, components
from migrate.matching.constraints import guard_chains


def _edges(triples: list[tuple[int, int, float]]) -> Edges:
    a, b, s = zip(*triples, strict=True) if triples else ((), (), ())
    return Edges(np.array(a, dtype=np.int64), np.array(b, dtype=np.int64), np.array(s, dtype=float))


def test_components_root_is_smallest_member() -> None:
    a = np.array([5, 3, 1, 7])
    b = np.array([6, 5, 3, 8])
    roots = components(10, a, b)
    assert roots.tolist() == [0, 1, 2, 1, 4, 1, 1, 7, 7, 9]
    assert cluster_sizes(roots).tolist() == [1, 4, 1, 4, 1, 4, 4, 2, 2, 1]


def test_components_independent_of_edge_order() -> None:
    rng = np.random.default_rng(5)
    a = rng.integers(0, 2000, 3000)
    b = rng.integers(0, 2000, 3000)
    first = components(2000, a, b)
    shuffle = rng.permutation(len(a))
    assert np.array_equal(first, components(2000, b[shuffle], a[shuffle]))
    # a long chain collapses onto its first node
    chain = np.arange(999)
    assert (components(1000, chain, chain + 1) == 0).all()


def test_guard_splits_chain_with_distinct_ends() -> None:
    # A~B and B~C match, A-C scored distinct: the weakest link goes.
    matches = _edges([(0, 1, 0.92), (1, 2, 0.90)])
    pairs = _edges([(0, 1, 0.92), (1, 2, 0.90), (0, 2, 0.30)])
    result = guard_chains(3, matches, pairs, floor=0.5)
    assert result.kept.tolist() == [True, False]
    assert (result.edges_removed, result.clusters_split) == (1, 1)
    roots = components(3, matches.a[result.kept], matches.b[result.kept])
    assert roots.tolist() == [0, 0, 2]


def test_guard_keeps_consistent_cluster_and_cuts_weak_edge() -> None:
    matches = _edges([(0, 1, 0.95), (1, 2, 0.93), (3, 4, 0.81)])
    pairs = _edges([(0, 1, 0.95), (1, 2, 0.93), (0, 2, 0.88), (3, 4, 0.81)])
    result = guard_chains(5, matches, pairs, floor=0.85)
    assert result.kept.tolist() == [True, True, False]
    assert (result.edges_removed, result.clusters_split) == (1, 1)


def test_guard_removes_until_every_component_passes() -> None:
    # star around 0 plus a chain; 2-4 and 1-4 are known distinct
    matches = _edges([(0, 1, 0.99), (0, 2, 0.97), (2, 3, 0.96), (3, 4, 0.95), (1, 5, 0.9)])
    pairs = _edges(
        [
            (0, 1, 0.99),
            (0, 2, 0.97),
            (2, 3, 0.96),
            (3, 4, 0.95),
            (1, 5, 0.9),
            (2, 4, 0.2),
            (1, 4, 0.1),
        ]
    )
    result = guard_chains(6, matches, pairs, floor=0.5)
    roots = components(6, matches.a[result.kept], matches.b[result.kept])
    assert roots[2] != roots[4] and roots[1] != roots[4]
    assert roots.tolist() == [0, 0, 0, 0, 4, 0]
    assert result.edges_removed == 1

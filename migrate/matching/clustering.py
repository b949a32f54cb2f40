"""Clusters: connected components of the match pairs, with a guard against chaining.

Components are found with an array union-find: every edge hooks the larger of
its two roots under the smaller one (``np.minimum.at``), then pointers are
jumped until every node points at its root; repeated until no edge joins two
roots. Each node's root is the smallest position in its component, so with rows
in ``_rid`` order the cluster id is the smallest ``_rid`` -- the same on every
run whatever the order of the edges.

Chaining guard (``cluster_floor``): A~B and B~C can link A and C although A and C
are scored as distinct. A component fails when one of its match edges, or any
scored pair between two of its members, is below the floor. A failing component
loses its weakest match edges (lowest score, then lowest positions) and is
recomputed, until every component passes -- with one refinement: a weak edge
is only removed when it is needed to separate such a pair. Concretely the
failing component is rebuilt strongest edge first, and an edge is dropped when
keeping it would join two records scored below the floor (match edges below
the floor are such pairs themselves, so they always go). Edges that play no part
in a conflict stay, so a chain is cut at its weakest link between the two
distinct records and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Edges:
    """Scored pairs by position (``a < b``)."""

    a: np.ndarray
    b: np.ndarray
    score: np.ndarray

    def take(self, index: np.ndarray) -> Edges:
        """The edges at ``index``."""
        return Edges(self.a[index], self.b[index], self.score[index])


@dataclass(frozen=True)
class GuardResult:
    """Which match edges survive the chaining guard, and what it cut."""

    kept: np.ndarray
    edges_removed: int
    clusters_split: int


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Root (smallest member position) of each of ``n`` nodes' component."""
    parent = np.arange(n)
    while len(a):
        root_a, root_b = parent[a], parent[b]
        joins = root_a != root_b
        if not joins.any():
            break
        low = np.minimum(root_a[joins], root_b[joins])
        high = np.maximum(root_a[joins], root_b[joins])
        np.minimum.at(parent, high, low)
        parent = _compress(parent)
    return parent


def _compress(parent: np.ndarray) -> np.ndarray:
    """Jump pointers until every node points straight at its root."""
    while True:
        grand = parent[parent]
        if np.array_equal(grand, parent):
            return parent
        parent = grand


def cluster_sizes(roots: np.ndarray) -> np.ndarray:
    """Per node, the size of its component."""
    return np.bincount(roots, minlength=len(roots))[roots]


def failing_roots(roots: np.ndarray, pairs: Edges, floor: float) -> np.ndarray:
    """Roots of components holding a scored pair below ``floor`` between two members."""
    inside = roots[pairs.a] == roots[pairs.b]
    weak = inside & (pairs.score < floor)
    return np.unique(roots[pairs.a[weak]])


def guard_chains(n: int, matches: Edges, pairs: Edges, floor: float) -> GuardResult:
    """Drop the weakest match edges of failing components until all pass the floor.

    ``pairs`` are all scored pairs (matches included); returns a mask over ``matches``.
    """
    kept = matches.score >= floor
    roots = components(n, matches.a[kept], matches.b[kept])
    failing = failing_roots(roots, pairs, floor)
    if failing.size:
        focus = np.flatnonzero(kept & np.isin(roots[matches.a], failing))
        inside = (roots[pairs.a] == roots[pairs.b]) & np.isin(roots[pairs.a], failing)
        cut = _cut_weakest(matches.take(focus), pairs.take(np.flatnonzero(inside)), floor)
        kept[focus[cut]] = False
    before = components(n, matches.a, matches.b)
    after = components(n, matches.a[kept], matches.b[kept])
    in_cluster = cluster_sizes(before) > 1
    pieces = pd.Series(after[in_cluster]).groupby(before[in_cluster]).nunique()
    return GuardResult(kept, int((~kept).sum()), int((pieces > 1).sum()))


def _cut_weakest(edges: Edges, pairs: Edges, floor: float) -> np.ndarray:
    """Indices of ``edges`` to remove so no component holds a pair below ``floor``.

    Edges are taken strongest first (score, then positions) and kept unless
    keeping one would join two records scored below the floor.
    """
    forbidden: dict[int, set[int]] = {}
    weak = pairs.score < floor
    for u, v in zip(pairs.a[weak].tolist(), pairs.b[weak].tolist(), strict=True):
        forbidden.setdefault(u, set()).add(v)
        forbidden.setdefault(v, set()).add(u)
    parent: dict[int, int] = {}
    removed = []
    order = np.lexsort((edges.b, edges.a, -edges.score))
    for index, u, v in zip(
        order.tolist(), edges.a[order].tolist(), edges.b[order].tolist(), strict=True
    ):
        root_u, root_v = _find(parent, u), _find(parent, v)
        if root_u == root_v:
            continue
        mine, theirs = forbidden.get(root_u, set()), forbidden.get(root_v, set())
        small, other = (mine, root_v) if len(mine) <= len(theirs) else (theirs, root_u)
        if any(_find(parent, w) == other for w in small):
            removed.append(index)
            continue
        parent[root_v] = root_u
        forbidden[root_u] = mine | theirs
        forbidden.pop(root_v, None)
    return np.array(removed, dtype=np.int64)


def _find(parent: dict[int, int], node: int) -> int:
    """Root of ``node`` in a dict union-find, halving paths on the way."""
    while parent.get(node, node) != node:
        grand = parent.get(parent[node], parent[node])
        parent[node] = grand
        node = grand
    return node

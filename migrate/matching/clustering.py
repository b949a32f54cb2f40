"""Clusters: connected components of the match pairs.

Components are found with an array union-find: every edge hooks the larger of
its two roots under the smaller one (``np.minimum.at``), then pointers are
jumped until every node points at its root; repeated until no edge joins two
roots. Each node's root is the smallest position in its component, so with rows
in ``_rid`` order the cluster id is the smallest ``_rid`` -- the same on every
run whatever the order of the edges.

The chaining guard (``cluster_floor``) and the other constraints on clusters
(reviewers' decisions, registered golden keys) live in
``migrate.matching.constraints``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Edges:
    """Scored pairs by position (``a < b``)."""

    a: np.ndarray
    b: np.ndarray
    score: np.ndarray

    def take(self, index: np.ndarray) -> Edges:
        """The edges at ``index``."""
        return Edges(self.a[index], self.b[index], self.score[index])


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

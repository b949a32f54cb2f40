"""Clusters under constraints: reviewers' decisions, registered golden keys, the chaining guard.

The links that may join two records come in three levels, strongest first:

* ``DECIDED`` (2): a reviewer said the pair is a match;
* ``REGISTERED`` (1): both records were loaded under the same golden key by an
  earlier run (the golden-key registry);
* ``SCORED`` (0): the pair scored at or above ``auto_merge``.

And three things keep records apart:

* ``never``: a reviewer said the pair is not a match. No link may put the two in one
  cluster, whatever its level, also not through a chain of other links;
* ``weak``: a scored pair below ``cluster_floor`` (the chaining guard). It keeps
  scored links from chaining the two together; decided and registered links
  override it;
* ``labels``: the golden key each record is registered under (-1 for none). A
  scored or registered link never joins two clusters holding different golden keys
  (that would silently re-key records already loaded); only a reviewer's decision
  may.

Components without any conflict keep all their links (vectorised). A component
with a conflict is rebuilt link by link, by level, then strength, then position,
and a link is dropped when keeping it would break a constraint; the reason is
recorded per link.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from migrate.matching.clustering import Edges, cluster_sizes, components

SCORED, REGISTERED, DECIDED = 0, 1, 2
NO_MATCH = "no-match decision"
GUARD = "chaining guard"
REKEY = "would re-key"


@dataclass(frozen=True)
class Links:
    """Candidate joins by position: level, and strength within the level (higher first)."""

    a: np.ndarray
    b: np.ndarray
    level: np.ndarray
    strength: np.ndarray

    def __len__(self) -> int:
        return len(self.a)


@dataclass(frozen=True)
class Apart:
    """What keeps records apart: no-match pairs, weak pairs, golden-key labels."""

    never: tuple[np.ndarray, np.ndarray]
    weak: tuple[np.ndarray, np.ndarray]
    labels: np.ndarray | None = None


@dataclass(frozen=True)
class Resolution:
    """Which links were kept, why the others were dropped, and the resulting clusters."""

    kept: np.ndarray
    reason: np.ndarray
    roots: np.ndarray
    clusters_split: int


def empty_pairs() -> tuple[np.ndarray, np.ndarray]:
    """No pairs."""
    return np.empty(0, np.int64), np.empty(0, np.int64)


def resolve(n: int, links: Links, apart: Apart) -> Resolution:
    """Keep every link that breaks no constraint; rebuild conflicting components greedily."""
    kept = np.ones(len(links), dtype=bool)
    reason = np.full(len(links), "", dtype=object)
    before = components(n, links.a, links.b)
    troubled = _troubled_roots(before, apart)
    if troubled.size:
        focus = np.flatnonzero(np.isin(before[links.a], troubled))
        members = np.isin(before, troubled)
        dropped = _rebuild(links, focus, apart, members)
        for index, why in dropped.items():
            kept[index] = False
            reason[index] = why
    roots = components(n, links.a[kept], links.b[kept])
    return Resolution(kept, reason, roots, _split_count(before, roots))


def _troubled_roots(roots: np.ndarray, apart: Apart) -> np.ndarray:
    """Components holding a never or weak pair, or two different golden-key labels."""
    found = [np.empty(0, np.int64)]
    for a, b in (apart.never, apart.weak):
        inside = roots[a] == roots[b]
        found.append(roots[a[inside]])
    if apart.labels is not None:
        labelled = apart.labels >= 0
        counts = pd.Series(apart.labels[labelled]).groupby(roots[labelled]).nunique()
        found.append(counts.index[counts.to_numpy() > 1].to_numpy(dtype=np.int64))
    return np.unique(np.concatenate(found))


def _split_count(before: np.ndarray, after: np.ndarray) -> int:
    """How many multi-record components of ``before`` ended in more than one piece."""
    grouped = cluster_sizes(before) > 1
    if not grouped.any():
        return 0
    pieces = pd.Series(after[grouped]).groupby(before[grouped]).nunique()
    return int((pieces > 1).sum())


class _Forest:
    """A dict union-find whose roots carry their forbidden neighbours and golden-key labels."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.never: dict[int, set[int]] = {}
        self.weak: dict[int, set[int]] = {}
        self.labels: dict[int, frozenset[int]] = {}

    def find(self, node: int) -> int:
        parent = self.parent
        while parent.get(node, node) != node:
            grand = parent.get(parent[node], parent[node])
            parent[node] = grand
            node = grand
        return node

    def blocks(self, table: dict[int, set[int]], u: int, v: int) -> bool:
        """Would joining roots ``u`` and ``v`` put a forbidden pair of ``table`` together?"""
        mine, theirs = table.get(u, set()), table.get(v, set())
        small, other = (mine, v) if len(mine) <= len(theirs) else (theirs, u)
        return any(self.find(w) == other for w in small)

    def clash(self, u: int, v: int) -> bool:
        """Do roots ``u`` and ``v`` hold golden keys neither of which covers the other's?"""
        mine, theirs = self.labels.get(u, frozenset()), self.labels.get(v, frozenset())
        return bool(mine and theirs and not (mine <= theirs or theirs <= mine))

    def join(self, u: int, v: int) -> None:
        self.parent[v] = u
        for table in (self.never, self.weak):
            merged = table.pop(u, set()) | table.pop(v, set())
            if merged:
                table[u] = merged
        labels = self.labels.pop(u, frozenset()) | self.labels.pop(v, frozenset())
        if labels:
            self.labels[u] = labels


def _forest(apart: Apart, members: np.ndarray) -> _Forest:
    """A forest over the troubled components' records with their constraints."""
    forest = _Forest()
    for table, (a, b) in ((forest.never, apart.never), (forest.weak, apart.weak)):
        inside = members[a] & members[b]
        for u, v in zip(a[inside].tolist(), b[inside].tolist(), strict=True):
            table.setdefault(u, set()).add(v)
            table.setdefault(v, set()).add(u)
    if apart.labels is not None:
        nodes = np.flatnonzero(members & (apart.labels >= 0))
        for node, label in zip(nodes.tolist(), apart.labels[nodes].tolist(), strict=True):
            forest.labels[node] = frozenset((label,))
    return forest


def _rebuild(links: Links, focus: np.ndarray, apart: Apart, members: np.ndarray) -> dict[int, str]:
    """Links of ``focus`` to drop, with the reason, taking links strongest first."""
    forest = _forest(apart, members)
    order = focus[
        np.lexsort((links.b[focus], links.a[focus], -links.strength[focus], -links.level[focus]))
    ]
    dropped: dict[int, str] = {}
    for index in order.tolist():
        u, v = forest.find(int(links.a[index])), forest.find(int(links.b[index]))
        if u == v:
            continue
        level = int(links.level[index])
        why = _refusal(forest, u, v, level)
        if why:
            dropped[index] = why
        else:
            forest.join(u, v)
    return dropped


def _refusal(forest: _Forest, u: int, v: int, level: int) -> str:
    """Why a link of ``level`` may not join roots ``u`` and ``v`` ('' when it may)."""
    if forest.blocks(forest.never, u, v):
        return NO_MATCH
    if level == SCORED and forest.blocks(forest.weak, u, v):
        return GUARD
    if level < DECIDED and forest.clash(u, v):
        return REKEY
    return ""


@dataclass(frozen=True)
class GuardResult:
    """Which match edges survive the chaining guard alone, and what it cut."""

    kept: np.ndarray
    edges_removed: int
    clusters_split: int


def guard_chains(n: int, matches: Edges, pairs: Edges, floor: float) -> GuardResult:
    """The chaining guard without other constraints: a mask over ``matches``.

    ``pairs`` are all scored pairs (matches included); those below ``floor`` are weak.
    """
    weak = pairs.score < floor
    links = Links(matches.a, matches.b, np.zeros(len(matches.a), np.int8), matches.score)
    result = resolve(n, links, Apart(empty_pairs(), (pairs.a[weak], pairs.b[weak])))
    return GuardResult(result.kept, int((~result.kept).sum()), result.clusters_split)

"""The match (dedup) and merge (survivorship) sections of rules/<object>.yaml."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from migrate.spec.base import Strict

KeyTransform = Literal["exact", "prefix", "suffix", "digits", "sorted_tokens"]
CompareMethod = Literal[
    "exact", "jaro_winkler", "levenshtein", "token_set", "partial", "numeric", "date"
]
CROSSABLE_METHODS = ("exact", "jaro_winkler", "levenshtein", "token_set", "partial")
SurvivorRuleName = Literal[
    "source_priority", "most_recent", "most_complete", "most_frequent", "longest", "first_non_null"
]


class BlockingKeyPart(Strict):
    """One part of a blocking key: a field, optionally cut or reshaped."""

    field: str
    transform: KeyTransform = "exact"
    length: int | None = Field(default=None, gt=0)


class BlockingPass(Strict):
    """One blocking pass: rows sharing the key (or, with ``window``, sorted neighbours) pair up."""

    name: str
    key: list[BlockingKeyPart] = Field(min_length=1)
    window: int | None = Field(default=None, ge=2, description="sorted-neighbourhood window")
    unordered: bool = Field(
        default=False,
        description="sort the key parts within each row, so swapped fields (first name and "
        "surname) still meet",
    )
    max_block: int = Field(
        default=500, ge=2, description="larger blocks are skipped with a warning"
    )


class Comparison(Strict):
    """How one field is compared between two records, and how much it counts."""

    field: str
    method: CompareMethod = "jaro_winkler"
    weight: float = Field(default=1.0, ge=0)
    scale: float | None = Field(
        default=None, gt=0, description="numeric/date: distance of zero similarity"
    )
    either_order_with: str | None = Field(
        default=None,
        description="another compared field (a text method's): the two are also compared "
        "crossed (this field against the other's value and back) and, per pair, the "
        "orientation whose two similarities add up to more counts for both",
    )

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field this comparison reads (both fields of an either-order pair)."""
        if self.either_order_with is None:
            return (self.field,)
        return (self.field, self.either_order_with)


@dataclass(frozen=True)
class PairingProblem:
    """Why ``compare[index].either_order_with`` cannot stand, with the valid choices."""

    index: int
    problem: str
    choices: tuple[str, ...] | None = None


def either_order_pairs(compare: Sequence[Comparison]) -> list[tuple[int, int]]:
    """The either-order pairs of ``compare`` as (declaring, partner) positions, in the
    order declared (a pair declared on both of its comparisons counts once); raises
    ``ValueError`` naming the first problem (``pairing_problem``)."""
    problem = pairing_problem(compare)
    if problem is not None:
        raise ValueError(f"compare[{problem.index}].either_order_with: {problem.problem}")
    return _pairs(compare)


def pairing_problem(compare: Sequence[Comparison]) -> PairingProblem | None:
    """The first ``either_order_with`` that does not form a valid pair, or None.

    The named field must be compared exactly once, by another comparison, and both
    comparisons must use a method that can compare across fields (``CROSSABLE_METHODS``);
    a comparison, and a field, may be in one pair only (declaring a pair on both of its
    comparisons is the same pair).
    """
    # comparison position or field -> (position declaring its pair, the pair's positions)
    owner: dict[int | str, tuple[int, frozenset[int]]] = {}
    for index, comparison in enumerate(compare):
        other = comparison.either_order_with
        if other is None:
            continue
        problem = _partner_problem(compare, index, other)
        if problem is not None:
            return PairingProblem(index, *problem)
        partner = next(k for k, c in enumerate(compare) if c.field == other)
        pair = frozenset({index, partner})
        members: list[tuple[int | str, str]] = [
            (index, comparison.field),
            (partner, other),
            (comparison.field, comparison.field),
            (other, other),
        ]
        for member, name in members:
            first, its_pair = owner.setdefault(member, (index, pair))
            if its_pair != pair:
                return PairingProblem(index, f"{name!r} is already paired by compare[{first}]")
    return None


def _partner_problem(
    compare: Sequence[Comparison], index: int, other: str
) -> tuple[str, tuple[str, ...] | None] | None:
    """What is wrong with pairing ``compare[index]`` with the comparison of ``other``."""
    own = compare[index]
    compared = tuple(dict.fromkeys(c.field for c in compare if c.field != own.field))
    if other == own.field:
        return "a comparison cannot be paired with its own field", compared
    partners = [k for k, c in enumerate(compare) if c.field == other]
    if not partners:
        return f"{other!r} is not compared; pair with a compared field", compared
    if len(partners) > 1:
        return f"{other!r} is compared more than once, so the pair is ambiguous", None
    for name, comparison in ((own.field, own), (other, compare[partners[0]])):
        if comparison.method not in CROSSABLE_METHODS:
            method = comparison.method
            return f"{name!r} is compared by {method!r}, which cannot cross fields", (
                CROSSABLE_METHODS
            )
    return None


def _pairs(compare: Sequence[Comparison]) -> list[tuple[int, int]]:
    by_field = {c.field: k for k, c in enumerate(compare)}
    found: dict[frozenset[int], tuple[int, int]] = {}
    for index, comparison in enumerate(compare):
        if comparison.either_order_with is not None:
            pair = (index, by_field[comparison.either_order_with])
            found.setdefault(frozenset(pair), pair)
    return list(found.values())


class Thresholds(Strict):
    """Scores at or above auto_merge merge; between review and auto_merge go to review."""

    auto_merge: float = Field(ge=0, le=1)
    review: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.review > self.auto_merge:
            raise ValueError("review must not be above auto_merge")
        return self


class MatchSpec(Strict):
    """Duplicate detection for one object."""

    blocking: list[BlockingPass] = Field(min_length=1)
    compare: list[Comparison] = Field(min_length=1)
    thresholds: Thresholds
    mode: Literal["weights", "fellegi_sunter"] = "weights"
    cluster_floor: float | None = Field(
        default=None, ge=0, le=1, description="a cluster whose weakest link is below this is split"
    )

    def compared_fields(self) -> list[str]:
        """The fields the comparisons read, once each, in order."""
        return list(dict.fromkeys(f for c in self.compare for f in c.fields))

    def fields(self) -> list[str]:
        """Every field matching reads (blocking keys, then comparisons), once each."""
        keys = [part.field for p in self.blocking for part in p.key]
        return list(dict.fromkeys([*keys, *self.compared_fields()]))


class SurvivorRule(Strict):
    """How the value of a field (or the surviving record) is chosen within a cluster."""

    rule: SurvivorRuleName = "source_priority"
    order: list[str] = Field(default=[], description="system priority; also the tie-break")
    by: str | None = Field(default=None, description="timestamp field for most_recent")

    @model_validator(mode="after")
    def _needs_by(self) -> SurvivorRule:
        if self.rule == "most_recent" and not self.by:
            raise ValueError("most_recent needs 'by' (a timestamp field)")
        return self


class MergeSpec(Strict):
    """Golden-record survivorship for one object."""

    survivor: SurvivorRule = SurvivorRule()
    default: SurvivorRule = SurvivorRule(rule="first_non_null")
    fields: dict[str, SurvivorRule] = {}


class PartnerLink(Strict):
    """``partner_of`` in migration.yaml: this object's golden records may be the same
    business partner as another object's (a vendor that is also a customer).

    Each golden record of this object is compared with the other object's golden
    records (blocking and comparisons as in ``match``; both objects need the compared
    fields); a pair scoring at or above ``thresholds.auto_merge`` links the two, one
    to one (strongest first). ``field`` then holds the business partner key on both
    objects' records: the other object's golden key for linked records, the own
    golden key otherwise. Pairs in the review band go to
    ``<out>/review/<object>_partner_review.csv``.
    """

    object: str
    field: str = "partner_id"
    blocking: list[BlockingPass] = Field(min_length=1)
    compare: list[Comparison] = Field(min_length=1)
    thresholds: Thresholds
    mode: Literal["weights", "fellegi_sunter"] = "weights"

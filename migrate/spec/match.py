"""The match (dedup) and merge (survivorship) sections of rules/<object>.yaml."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from migrate.spec.base import Strict

KeyTransform = Literal["exact", "prefix", "suffix", "digits", "sorted_tokens"]
CompareMethod = Literal[
    "exact", "jaro_winkler", "levenshtein", "token_set", "partial", "numeric", "date"
]
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

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field this comparison reads."""
        return (self.field,)


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

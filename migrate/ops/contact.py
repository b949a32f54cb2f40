"""Contact-data ops: phone numbers (E.164), e-mail addresses and postal codes."""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
import pandas as pd
import phonenumbers
import pydantic
from phonenumbers.phonemetadata import PhoneMetadata, PhoneNumberDesc

from migrate.ops._common import (
    STR_DTYPE,
    apply_unique,
    by_unique,
    checked,
    empty_mask,
    halfwidth,
    keep_failed_input,
    to_text,
)
from migrate.ops.registry import OpParams, OpResult, register_op

_PHONE_NOISE = re.compile(r"[\s\-–—‐·]+")
_MAX_PHONE_TEXT = 60
_POSSIBLE_REASONS = {
    phonenumbers.ValidationResult.TOO_SHORT: "too short",
    phonenumbers.ValidationResult.TOO_LONG: "too long",
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "unknown country code",
    phonenumbers.ValidationResult.INVALID_LENGTH: "wrong number of digits",
    phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "local number without area code",
}


def _blank_to_null(text: pd.Series) -> pd.Series:
    """Trim, and turn empty strings into nulls (blank counts as missing)."""
    stripped = text.str.strip()
    return stripped.where(stripped != "")


class PhoneParams(OpParams):
    """default_region: ISO country used for numbers written without +country code."""

    default_region: str = "CN"

    @pydantic.field_validator("default_region")
    @classmethod
    def _known_region(cls, region: str) -> str:
        region = region.upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"unknown phone region {region!r} (use an ISO code such as CN, DE)")
        return region


def _e164(value: str, region: str) -> tuple[str | None, str | None]:
    """Parse one phone number and format it as E.164, or say why it is not valid."""
    if len(value) > _MAX_PHONE_TEXT:
        return None, "not a phone number (too long)"
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None, "not a phone number"
    if not phonenumbers.is_valid_number(number):
        why = _POSSIBLE_REASONS.get(phonenumbers.is_possible_number_with_reason(number))
        return None, f"invalid phone number ({why or 'no such number range'})"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


def _matches_desc(digits: pd.Series, desc: PhoneNumberDesc | None) -> pd.Series:
    """Vectorised phonenumbers ``_is_number_matching_desc``: allowed length and full match."""
    if desc is None or desc.national_number_pattern is None:
        return pd.Series(False, index=digits.index)
    fits = digits.str.fullmatch(re.compile(desc.national_number_pattern), na=False)
    if desc.possible_length and -1 not in desc.possible_length:
        fits &= digits.str.len().isin(desc.possible_length)
    return fits.astype(bool)


def _fast_e164(compact: pd.Series, region: str) -> pd.Series:
    """E.164 for plain mobile numbers of the default region without calling the parser.

    Only numbers phonenumbers would take as they are qualify: digits (optionally after
    +country code) that match the region's mobile pattern and lengths and cannot be read
    as a national, carrier, international or country-code prefix. Others give NaN.
    """
    meta = PhoneMetadata.metadata_for_region(region)
    if meta is None or meta.country_code is None:
        return pd.Series(pd.NA, index=compact.index, dtype=STR_DTYPE)
    code = str(meta.country_code)
    digits = compact.str.extract(rf"^(?:\+{code})?([1-9][0-9]{{4,16}})$", expand=False)
    fast = _matches_desc(digits, meta.general_desc) & _matches_desc(digits, meta.mobile)
    for prefix in (meta.national_prefix_for_parsing, meta.international_prefix, code):
        if prefix:
            fast &= ~digits.str.match(re.compile(prefix), na=False).astype(bool)
    return ("+" + code + digits).where(fast)


@register_op("phone_e164", params=PhoneParams, can_fail=True)
def phone_e164(values: pd.Series, params: PhoneParams, frame: pd.DataFrame) -> OpResult:
    """Normalise phone numbers to E.164 (+861065521234); invalid numbers fail."""
    original = to_text(values)
    text = _blank_to_null(halfwidth(original, punctuation=True))
    compact = text.str.replace(_PHONE_NOISE, "", regex=True)
    region = params.default_region
    fast = by_unique(compact, lambda uniques: OpResult(_fast_e164(uniques, region))).values
    slow = apply_unique(compact.where(fast.isna()), lambda value: _e164(value, region))
    failed = slow.failed if slow.failed is not None else empty_mask(values.index)
    values = fast.where(fast.notna(), slow.values)
    return keep_failed_input(OpResult(values, failed, slow.reason), original)


def _email_problems(text: pd.Series) -> list[tuple[pd.Series, str]]:
    """Each syntax rule as (rows breaking it, label), first match wins; all linear-time scans."""
    text = text.fillna("")  # missing rows are masked out by the caller
    ats = text.str.count("@")
    pieces = text.str.split("@")
    local, domain = pieces.str[0].astype(STR_DTYPE), pieces.str[-1].astype(STR_DTYPE)
    return [
        (text.str.contains(r"\s", regex=True), "contains spaces"),
        (ats == 0, "has no @"),
        (ats > 1, "has more than one @"),
        (local == "", "has nothing before the @"),
        (~domain.str.contains(".", regex=False), "domain has no dot"),
        (
            domain.str.startswith(".")
            | domain.str.endswith(".")
            | domain.str.contains("..", regex=False),
            "domain has an empty part",
        ),
    ]


@register_op("email", can_fail=True)
def email(values: pd.Series, params: OpParams, frame: pd.DataFrame) -> OpResult:
    """Trim and lower-case e-mail addresses; fail on invalid syntax (one @, dotted domain)."""
    original = to_text(values)
    text = _blank_to_null(halfwidth(original, punctuation=True)).str.lower()
    problems = _email_problems(text)
    present = text.notna().to_numpy(dtype=bool)
    masks = [rows.fillna(False).to_numpy(dtype=bool) & present for rows, _ in problems]
    labels = np.select(masks, [label for _, label in problems], default="")
    failed = pd.Series(np.logical_or.reduce(masks), index=text.index)
    reason = "invalid e-mail address: " + pd.Series(labels, index=text.index, dtype=STR_DTYPE)
    return checked(text.where(~failed, original), failed, reason)


_POSTAL_PATTERNS = {
    "CN": r"[0-9]{6}",
    "DE": r"[0-9]{5}",
    "FR": r"[0-9]{5}",
    "IT": r"[0-9]{5}",
    "ES": r"[0-9]{5}",
    "US": r"[0-9]{5}(?:-[0-9]{4})?",
    "JP": r"[0-9]{3}-[0-9]{4}",
    "NL": r"[0-9]{4} ?[A-Z]{2}",
    "GB": r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}",
    "SG": r"[0-9]{6}",
}


class PostalParams(OpParams):
    """country: whose postal-code format to check (CN: 6 digits)."""

    country: Literal["CN", "DE", "FR", "IT", "ES", "US", "JP", "NL", "GB", "SG"] = "CN"


def _normalise_postal(text: pd.Series, country: str) -> pd.Series:
    """Upper-case and tidy the spacing the country's format expects."""
    text = text.str.upper()
    if country == "GB":  # "SW1A1AA" / "sw1a  1aa" -> "SW1A 1AA"
        compact = text.str.replace(r"\s+", "", regex=True)
        return compact.str.slice(0, -3) + " " + compact.str.slice(-3)
    return text.str.replace(r"\s+", "", regex=True) if country != "NL" else text


@register_op("postal_code", params=PostalParams, can_fail=True)
def postal_code(values: pd.Series, params: PostalParams, frame: pd.DataFrame) -> OpResult:
    """Check a postal code against the country's format (CN: exactly 6 digits)."""
    original = to_text(values)
    text = _normalise_postal(_blank_to_null(halfwidth(original)), params.country)
    pattern = _POSTAL_PATTERNS[params.country]
    failed = text.notna() & ~text.str.fullmatch(pattern, na=False)
    reason = f"not a valid {params.country} postal code (expected format {pattern})"
    return checked(text.where(~failed, original), failed, reason)

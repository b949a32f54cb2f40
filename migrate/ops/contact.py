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
    SPACES,
    STR_DTYPE,
    apply_unique,
    by_unique,
    char_class,
    checked,
    empty_mask,
    halfwidth,
    keep_failed_input,
    to_text,
)
from migrate.ops.registry import OpParams, OpResult, register_op

_PHONE_NOISE = char_class(SPACES + "-–—‐·") + "+"  # a plain pattern: Arrow runs it
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


_NATIONAL = r"([1-9][0-9]{4,16})"


def _abroad(bare: pd.Series, meta: PhoneMetadata) -> pd.Series:
    """The national number of values written +86..., or international prefix + 86 (0086...).

    The international prefix counts only where the region's prefix pattern reads
    exactly those digits as the prefix (HK's reads 008 off 00852 and fails it).
    """
    code = str(meta.country_code)
    national = bare.str.extract(rf"^\+{code}{_NATIONAL}$", expand=False)
    idd = meta.preferred_international_prefix or meta.international_prefix
    if not (idd and idd.isdigit() and meta.international_prefix):
        return national
    read = bare.str.extract(rf"^({meta.international_prefix})", expand=False)
    after_idd = bare.str.extract(rf"^{idd}{code}{_NATIONAL}$", expand=False)
    return national.fillna(after_idd.where(read == idd))


def _valid_national(national: pd.Series, meta: PhoneMetadata, *, mobile_only: bool) -> pd.Series:
    """National numbers matching the region's number pattern and a fixed-line/mobile one."""
    kind = _matches_desc(national, meta.mobile)
    if not mobile_only:
        kind |= _matches_desc(national, meta.fixed_line)
    return _matches_desc(national, meta.general_desc) & kind


def _starts_with(national: pd.Series, prefixes: list[str | None]) -> pd.Series:
    """National numbers phonenumbers might read a prefix or carrier code off."""
    found = pd.Series(False, index=national.index)
    for prefix in prefixes:
        if prefix:
            found |= national.str.match(re.compile(prefix), na=False).astype(bool)
    return found


def _fast_e164(compact: pd.Series, region: str) -> pd.Series:
    """E.164 for the plain numbers of the default region, without calling the parser.

    Only numbers phonenumbers reads the same way qualify: a national number after
    +country code or the international prefix and code (0086), or after the trunk
    prefix (0), matching the region's fixed-line or mobile pattern and lengths; or a
    mobile number written alone. A national number that phonenumbers could strip a
    national prefix or carrier code off never qualifies. Others give NaN, and the
    parser decides them.
    """
    meta = PhoneMetadata.metadata_for_region(region)
    if meta is None or meta.country_code is None:
        return pd.Series(pd.NA, index=compact.index, dtype=STR_DTYPE)
    code = str(meta.country_code)
    bare = compact.str.replace(r"^\(([0-9]+)\)", r"\1", regex=True)  # (025)32824532
    abroad = _abroad(bare, meta)
    found = abroad.where(
        _valid_national(abroad, meta, mobile_only=False)
        & ~_starts_with(abroad, [meta.national_prefix_for_parsing])
    )
    trunk = meta.national_prefix
    if trunk and trunk.isdigit() and meta.national_prefix_transform_rule is None:
        home = bare.str.extract(rf"^{trunk}{_NATIONAL}$", expand=False)
        found = found.fillna(home.where(_valid_national(home, meta, mobile_only=False)))
    alone = bare.str.extract(rf"^{_NATIONAL}$", expand=False)
    prefixes = [meta.national_prefix_for_parsing, meta.international_prefix, code]
    alone = alone.where(
        _valid_national(alone, meta, mobile_only=True) & ~_starts_with(alone, prefixes)
    )
    found = found.fillna(alone)
    return ("+" + code + found).where(found.notna())


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
    local = text.str.extract(r"^([^@]*)", expand=False).astype(STR_DTYPE)  # before the first @
    domain = text.str.extract(r"([^@]*)$", expand=False).astype(STR_DTYPE)  # after the last @
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

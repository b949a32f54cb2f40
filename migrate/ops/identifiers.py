"""Identifier ops backed by python-stdnum: USCC, Chinese resident ID, IBAN, EU VAT number."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import numpy as np
import pandas as pd
import pydantic
from stdnum import exceptions
from stdnum import iban as stdnum_iban
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc
from stdnum.eu import vat as stdnum_vat

from migrate.ops._common import (
    SPACES,
    apply_unique,
    ascii_matrix,
    char_class,
    halfwidth,
    keep_failed_input,
    to_text,
)
from migrate.ops.registry import OpParams, OpResult, register_op

_SEPARATORS = char_class(SPACES + "-./") + "+"  # a plain pattern: Arrow runs it
_MAX_ID_TEXT = 100


@dataclass(frozen=True)
class _IdKind:
    """How to validate one kind of identifier and how to explain each failure."""

    label: str
    module: ModuleType
    length_hint: str
    format_hint: str
    component_hint: str
    known_valid: Callable[[pd.Series], pd.Series] | None = None
    """A vectorised test that passes only values ``module.validate`` accepts unchanged."""

    def check(self, value: str) -> tuple[str | None, str | None]:
        """Validate one compact value; return (compact value, None) or (None, reason)."""
        if len(value) > _MAX_ID_TEXT:
            return None, f"not a {self.label} (wrong length: {len(value)} characters)"
        try:
            return self.module.validate(value), None
        except exceptions.InvalidLength:
            why = f"wrong length: {len(value)} characters, {self.length_hint}"
        except exceptions.InvalidFormat:
            why = f"wrong format: {self.format_hint}"
        except exceptions.InvalidChecksum:
            why = "wrong check digit"
        except exceptions.InvalidComponent:
            why = self.component_hint
        except exceptions.ValidationError:
            why = "not valid"
        return None, f"invalid {self.label} ({why})"


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
_USCC_VALUE = np.full(128, -1, dtype=np.int64)
_USCC_VALUE[[ord(c) for c in _USCC_ALPHABET]] = np.arange(len(_USCC_ALPHABET))


def uscc_known_valid(compact: pd.Series) -> pd.Series:
    """Codes of the right form whose check character is right (GB 32100-2015), vectorised."""
    form = compact.str.fullmatch(r"[0-9]{8}[0-9A-HJ-NP-RTUWXY]{10}", na=False).astype(bool)
    if not form.any():
        return form
    values = _USCC_VALUE[ascii_matrix(compact[form], 18)]
    check = (31 - (values[:, :17] * _USCC_WEIGHTS).sum(axis=1) % 31) % 31
    valid = form.copy()
    valid[form] = check == values[:, 17]
    return valid


_USCC = _IdKind(
    label="unified social credit code",
    module=stdnum_uscc,
    length_hint="expected 18",
    format_hint="8 digits then 10 digits/letters (no I, O, S, V, Z)",
    component_hint="invalid part",
    known_valid=uscc_known_valid,
)
_RIC = _IdKind(
    label="resident ID number",
    module=stdnum_ric,
    length_hint="expected 18 (15-digit first-generation numbers are not accepted)",
    format_hint="17 digits then a digit or X",
    component_hint="impossible birth date or unknown region code",
)
_IBAN = _IdKind(
    label="IBAN",
    module=stdnum_iban,
    length_hint="wrong for the country",
    format_hint="country code, 2 check digits, then the account number",
    component_hint="unknown country or account-number format",
)
_VAT = _IdKind(
    label="EU VAT number",
    module=stdnum_vat,
    length_hint="wrong for the country",
    format_hint="wrong characters for the country",
    component_hint="missing or unknown EU country prefix",
)


def _compact(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return (original text, compact upper-case text without separators; blank -> null)."""
    original = to_text(values)
    compact = halfwidth(original, punctuation=True).str.upper()
    compact = compact.str.replace(_SEPARATORS, "", regex=True)
    return original, compact.where(compact != "")


def _validate(values: pd.Series, kind: _IdKind, prefix: str | None = None) -> OpResult:
    """Validate a column of identifiers, once per unique value."""
    original, compact = _compact(values)
    if prefix:
        has_prefix = compact.str.match(r"[A-Z]{2}", na=False)
        compact = compact.where(has_prefix, prefix + compact)
    if kind.known_valid is None:
        return keep_failed_input(apply_unique(compact, kind.check), original)
    known = kind.known_valid(compact)
    checked = apply_unique(compact.where(~known), kind.check)
    result = OpResult(compact.where(known, checked.values), checked.failed, checked.reason)
    return keep_failed_input(result, original)


@register_op("uscc", can_fail=True)
def uscc(values: pd.Series, params: OpParams, frame: pd.DataFrame) -> OpResult:
    """Check a Chinese unified social credit code (统一社会信用代码) and compact it."""
    return _validate(values, _USCC)


@register_op("cn_resident_id", can_fail=True)
def cn_resident_id(values: pd.Series, params: OpParams, frame: pd.DataFrame) -> OpResult:
    """Check an 18-character Chinese resident ID number (身份证号) and compact it."""
    return _validate(values, _RIC)


@register_op("iban", can_fail=True)
def iban(values: pd.Series, params: OpParams, frame: pd.DataFrame) -> OpResult:
    """Check an IBAN (length, country format, check digits) and compact it."""
    return _validate(values, _IBAN)


class VatParams(OpParams):
    """default_country: EU country prefix to add to numbers written without one (e.g. DE)."""

    default_country: str | None = None

    @pydantic.field_validator("default_country")
    @classmethod
    def _member_state(cls, country: str | None) -> str | None:
        if country is None:
            return None
        code = country.upper()
        if code.lower() not in stdnum_vat.MEMBER_STATES and code != "EL":
            raise ValueError(f"{country!r} is not an EU VAT country prefix")
        return code


@register_op("vat", params=VatParams, can_fail=True)
def vat(values: pd.Series, params: VatParams, frame: pd.DataFrame) -> OpResult:
    """Check an EU VAT number (with country prefix) and compact it."""
    return _validate(values, _VAT, prefix=params.default_country)

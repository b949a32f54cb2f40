"""Units of measure and currency codes: legacy spellings to the target's codes.

Both compare values trimmed, with full-width forms folded and without letter case,
so ``ｋｇ``, `` KG `` and ``kg`` are one spelling. A value map in the mapping does
the same job with a reviewed CSV; these ops suit rule files that also check the
result (an ISO 4217 code, a unit the target knows) in the same step.
"""

from __future__ import annotations

import pandas as pd
import pydantic

from migrate.ops._common import STR_DTYPE, by_unique, checked, halfwidth, preview, to_text
from migrate.ops.registry import OpParams, OpResult, register_op

_ISO_4217_CODES = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD
    BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD
    EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD
    IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL
    MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN
    PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN
    SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES
    VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER
    ZAR ZMW ZWG
"""
ISO_4217 = frozenset(_ISO_4217_CODES.split())
"""Active ISO 4217 alphabetic currency codes (list of 2025, funds and metals included)."""


def spelling(text: pd.Series) -> pd.Series:
    """How spellings are compared: half-width, trimmed, upper case; blank becomes missing."""
    folded = halfwidth(text).str.strip().str.upper()
    return folded.where(folded != "")


def _key(value: str) -> str:
    """One spelling compared the way :func:`spelling` compares a column."""
    return spelling(pd.Series([value], dtype=STR_DTYPE)).iloc[0]


def _lookup(values: pd.Series, table: dict[str, str], unknown: str) -> OpResult:
    """Translate spellings through ``table``; unknown ones fail with ``unknown`` + the value."""
    original = to_text(values)

    def translate(uniques: pd.Series) -> OpResult:
        key = spelling(uniques)
        code = key.map(table).astype(STR_DTYPE)
        failed = (key.notna() & code.isna()).astype(bool)
        reason = ("'" + preview(uniques.str.strip()) + "' " + unknown).where(failed)
        return OpResult(values=code.where(~failed, uniques), failed=failed, reason=reason)

    result = by_unique(original, translate)
    assert result.failed is not None and result.reason is not None
    return checked(result.values, result.failed, result.reason)


class UnitParams(OpParams):
    """units: target unit code -> legacy spellings meaning it (PC: [个, 件, PCS, EA]).

    Every target code also stands for itself. A spelling may mean one code only.
    """

    units: dict[str, list[str]] = pydantic.Field(min_length=1)

    @pydantic.field_validator("units")
    @classmethod
    def _one_meaning(cls, units: dict[str, list[str]]) -> dict[str, list[str]]:
        seen: dict[str, str] = {}
        for code, spellings in units.items():
            for text in [code, *spellings]:
                key = _key(str(text))
                if pd.isna(key):
                    raise ValueError(f"a blank spelling is listed for {code}")
                if key in seen and seen[key] != code:
                    raise ValueError(f"{text!r} is listed for both {seen[key]} and {code}")
                seen[key] = code
        return units

    def table(self) -> dict[str, str]:
        """Compared spelling -> target code."""
        return {
            _key(str(text)): code
            for code, spellings in self.units.items()
            for text in [code, *spellings]
        }


@register_op("unit_of_measure", params=UnitParams, can_fail=True)
def unit_of_measure(values: pd.Series, params: UnitParams, frame: pd.DataFrame) -> OpResult:
    """Turn legacy unit spellings (个, 件, PCS, 千克) into the target's unit codes."""
    known = ", ".join(sorted(params.units))
    return _lookup(values, params.table(), f"is not a known unit of measure (known: {known})")


class CurrencyParams(OpParams):
    """aliases: legacy spellings -> ISO 4217 code (RMB: CNY, 人民币: CNY);
    allowed: the codes the target accepts [default: every active ISO 4217 code]."""

    aliases: dict[str, str] = pydantic.Field(default_factory=dict)
    allowed: list[str] | None = pydantic.Field(default=None, min_length=1)

    @pydantic.model_validator(mode="after")
    def _iso_codes(self) -> CurrencyParams:
        named = [*self.aliases.values(), *(self.allowed or [])]
        for code in named:
            if code not in ISO_4217:
                raise ValueError(f"{code!r} is not an ISO 4217 currency code")
        return self

    def table(self) -> dict[str, str]:
        """Compared spelling -> ISO code: the allowed codes themselves, then the aliases."""
        codes = self.allowed if self.allowed is not None else sorted(ISO_4217)
        table = {code: code for code in codes}
        allowed = set(codes)
        table |= {_key(k): v for k, v in self.aliases.items() if v in allowed}
        return table


@register_op("currency_code", params=CurrencyParams, can_fail=True)
def currency_code(values: pd.Series, params: CurrencyParams, frame: pd.DataFrame) -> OpResult:
    """Check ISO 4217 currency codes, translating legacy spellings (RMB, 人民币) first."""
    if params.allowed is None:
        return _lookup(values, params.table(), "is not an ISO 4217 currency code")
    shown = ", ".join(params.allowed)
    return _lookup(values, params.table(), f"is not a currency the target accepts ({shown})")

"""unit_of_measure and currency_code: legacy spellings to the target's codes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pydantic
import pytest

from migrate.ops import get_op, parse_params
from migrate.ops.units import ISO_4217

UNITS = {"PC": ["个", "件", "PCS", "EA"], "KG": ["千克", "公斤"], "M": ["米"]}
NASTY = [None, np.nan, pd.NA, "", "   ", 12, 3.5, "x" * 100_000, "𠀀😀", "\u200bKG"]


def test_units_are_translated_whatever_the_spelling(run) -> None:
    ran = run(
        "unit_of_measure", ["个", " pcs ", "ＰＣＳ", "ea", "千克", "kg", "PC", "米"], units=UNITS
    )
    assert ran.out == ["PC", "PC", "PC", "PC", "KG", "KG", "PC", "M"]
    assert not any(ran.failed)


def test_unknown_unit_fails_and_keeps_its_text(run) -> None:
    ran = run("unit_of_measure", ["盒", "KG", " box "], units=UNITS)
    assert ran.failed == [True, False, True]
    assert ran.out == ["盒", "KG", " box "]
    assert ran.reasons[0] == "'盒' is not a known unit of measure (known: KG, M, PC)"
    assert ran.reasons[2] is not None and ran.reasons[2].startswith("'box'")


def test_units_survive_nasty_values(run) -> None:
    ran = run("unit_of_measure", NASTY, units=UNITS)
    assert ran.out[:5] == [None] * 5
    assert ran.failed == [False] * 5 + [True] * 5
    assert ran.reasons[7] is not None and len(ran.reasons[7]) < 200


def test_a_spelling_may_mean_one_unit_only() -> None:
    op = get_op("unit_of_measure")
    with pytest.raises(pydantic.ValidationError, match="both PC and KG"):
        parse_params(op, {"units": {"PC": ["个"], "KG": ["个"]}})
    with pytest.raises(pydantic.ValidationError, match="both"):
        parse_params(op, {"units": {"PC": ["pcs"], "PCS": []}})
    with pytest.raises(pydantic.ValidationError, match="blank"):
        parse_params(op, {"units": {"PC": [" "]}})
    with pytest.raises(pydantic.ValidationError):
        parse_params(op, {"units": {}})


def test_currency_codes_and_aliases(run) -> None:
    aliases = {"RMB": "CNY", "人民币": "CNY", "US$": "USD"}
    ran = run(
        "currency_code", ["cny", "RMB", "人民币", "US$", "ＵＳＤ", "EUR", "XYZ"], aliases=aliases
    )
    assert ran.out == ["CNY", "CNY", "CNY", "USD", "USD", "EUR", "XYZ"]
    assert ran.failed == [False] * 6 + [True]
    assert ran.reasons[6] == "'XYZ' is not an ISO 4217 currency code"


def test_currency_allowed_limits_the_codes(run) -> None:
    ran = run(
        "currency_code", ["CNY", "EUR", "RMB"], allowed=["CNY", "USD"], aliases={"RMB": "CNY"}
    )
    assert ran.out == ["CNY", "EUR", "CNY"]
    assert ran.failed == [False, True, False]
    assert ran.reasons[1] == "'EUR' is not a currency the target accepts (CNY, USD)"


def test_currency_params_name_iso_codes_only() -> None:
    op = get_op("currency_code")
    with pytest.raises(pydantic.ValidationError, match="'RMB' is not an ISO 4217"):
        parse_params(op, {"allowed": ["CNY", "RMB"]})
    with pytest.raises(pydantic.ValidationError, match="'YUAN' is not an ISO 4217"):
        parse_params(op, {"aliases": {"元": "YUAN"}})
    assert {"CNY", "USD", "EUR", "HKD", "JPY"} <= ISO_4217 and all(len(c) == 3 for c in ISO_4217)


def test_currency_survives_nasty_values(run) -> None:
    ran = run("currency_code", NASTY)
    assert ran.out[:5] == [None] * 5
    assert ran.failed == [False] * 5 + [True] * 5

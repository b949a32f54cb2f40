"""Identifier ops: USCC, Chinese resident ID, IBAN, EU VAT."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pydantic
import pytest

from migrate.ops import get_op, parse_params

LONG = "x" * 100_000
NULLS = [None, np.nan, pd.NA]
USCC = "91110000600037341L"
RIC = "11010519491231002X"


def test_uscc_valid_forms(run) -> None:
    values = [
        USCC,
        USCC.lower(),
        "9111 0000 6000 3734 1L",
        "9111-0000-6000-3734-1L",
        "９１１１００００６０００３７３４１Ｌ",
        f"  {USCC}\u3000",
        "91110108551385082Q",
    ]
    ran = run("uscc", values)
    assert ran.out == [USCC] * 6 + ["91110108551385082Q"]
    assert not any(ran.failed)


def test_uscc_reasons_distinguish_length_format_check_digit(run) -> None:
    values = ["91110000600037341M", "9111000060003734", "9111000060003734IL", "9111000060003734OL"]
    ran = run("uscc", values)
    assert ran.failed == [True] * 4
    assert ran.reasons[0] == "invalid unified social credit code (wrong check digit)"
    assert ran.reasons[1] is not None and "wrong length: 16 characters" in ran.reasons[1]
    assert ran.reasons[2] is not None and "wrong format" in ran.reasons[2]
    assert ran.reasons[3] is not None and "wrong format" in ran.reasons[3]
    assert ran.out == values


def test_uscc_edge_values(run) -> None:
    ran = run("uscc", ["", " ", *NULLS, 12345, 1.5, "𠀀😀", LONG])
    assert ran.out == [None] * 5 + ["12345", "1.5", "𠀀😀", LONG]
    assert ran.failed == [False] * 5 + [True] * 4
    assert ran.reasons[-1] is not None and "wrong length: 100000 characters" in ran.reasons[-1]


def test_cn_resident_id(run) -> None:
    values = [RIC, RIC.lower(), "110105 19491231 002X", "３６０４２６１９９１０１０１００７１"]
    ran = run("cn_resident_id", values)
    assert ran.out == [RIC, RIC, RIC, "360426199101010071"]
    assert not any(ran.failed)


def test_cn_resident_id_failures(run) -> None:
    values = ["110105194912310021", "110105491231002", "110105194902300004", "1101051949123100XX"]
    ran = run("cn_resident_id", values)
    assert ran.failed == [True] * 4
    assert ran.reasons[0] == "invalid resident ID number (wrong check digit)"
    assert ran.reasons[1] is not None and "15-digit first-generation" in ran.reasons[1]
    assert ran.reasons[2] is not None and "impossible birth date" in ran.reasons[2]
    assert ran.reasons[3] is not None and "wrong format" in ran.reasons[3]


def test_cn_resident_id_edge_values(run) -> None:
    ran = run("cn_resident_id", ["", *NULLS, 110105194912310021, 2.5, "𠀀", LONG])
    assert ran.out == [None] * 4 + ["110105194912310021", "2.5", "𠀀", LONG]
    assert ran.failed == [False] * 4 + [True] * 4


def test_iban(run) -> None:
    values = [
        "GB82 WEST 1234 5698 7654 32",
        "gb82west12345698765432",
        "DE89 3704 0044 0532 0130 00",
        "ＤＥ８９３７０４００４４０５３２０１３０００",
        "GB82WEST12345698765433",
        "XX00",
        "",
        None,
        12345,
        "𠀀",
        LONG,
    ]
    ran = run("iban", values)
    assert ran.out[:4] == ["GB82WEST12345698765432"] * 2 + ["DE89370400440532013000"] * 2
    assert ran.out[4:] == ["GB82WEST12345698765433", "XX00", None, None, "12345", "𠀀", LONG]
    assert ran.failed == [False] * 4 + [True, True, False, False, True, True, True]
    assert ran.reasons[4] == "invalid IBAN (wrong check digit)"


def test_vat(run) -> None:
    values = [
        "DE136695976",
        "de 136 695 976",
        "NL004495445B01",
        "ATU13585627",
        "EL094259216",
        "DE136695977",
        "136695976",
        "",
        None,
        7,
        "😀",
        LONG,
    ]
    ran = run("vat", values)
    assert ran.out[:5] == [
        "DE136695976",
        "DE136695976",
        "NL004495445B01",
        "ATU13585627",
        "EL094259216",
    ]
    assert ran.failed == [False] * 5 + [True, True, False, False, True, True, True]
    assert ran.reasons[5] == "invalid EU VAT number (wrong check digit)"
    assert ran.reasons[6] == "invalid EU VAT number (missing or unknown EU country prefix)"


def test_vat_default_country(run) -> None:
    ran = run("vat", ["136695976", "NL004495445B01", "１３６６９５９７６"], default_country="de")
    assert ran.out == ["DE136695976", "NL004495445B01", "DE136695976"]
    assert not any(ran.failed)


def test_vat_default_country_must_be_eu() -> None:
    with pytest.raises(pydantic.ValidationError):
        parse_params(get_op("vat"), {"default_country": "US"})

"""Contact ops: phone numbers, e-mail addresses, postal codes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import phonenumbers
import pydantic
import pytest

from migrate.ops import get_op, parse_params
from migrate.ops.contact import _fast_e164

LONG = "x" * 100_000
NULLS = [None, np.nan, pd.NA]
_RANGES = [
    (10**4, 10**8),
    (6 * 10**8, 8 * 10**8),
    (10**9, 2 * 10**9),
    (2 * 10**9, 10**10),
    (10**10, 2 * 10**10),
]


def test_phone_e164_chinese_formats(run) -> None:
    values = [
        "010-6552 1234",
        "+86 10 6552 1234",
        "(010)65521234",
        "0086 10 65521234",
        "138 1234 5678",
        "+86-138-1234-5678",
        "010 65521234 ext. 12",
    ]
    ran = run("phone_e164", values)
    assert ran.out == ["+861065521234"] * 4 + ["+8613812345678"] * 2 + ["+861065521234"]
    assert not any(ran.failed)


def test_phone_e164_fullwidth(run) -> None:
    ran = run(
        "phone_e164",
        [
            "１３８１２３４５６７８",
            "（０１０）６５５２－１２３４",
            "＋８６\u3000１０\u3000６５５２１２３４",
        ],
    )
    assert ran.out == ["+8613812345678", "+861065521234", "+861065521234"]


def test_phone_e164_mixed_types(run) -> None:
    ran = run("phone_e164", [13812345678, 13812345678.0, "13812345678", 12.5])
    assert ran.out == ["+8613812345678"] * 3 + ["12.5"]
    assert ran.failed == [False, False, False, True]


def test_phone_e164_invalid_numbers_fail_and_keep_input(run) -> None:
    values = [
        "12345",
        "abc",
        "010-6552 1234 / 13800138000",
        "1381234567890123",
        "😀",
        "𠀀123",
        LONG,
    ]
    ran = run("phone_e164", values)
    assert ran.out == values
    assert all(ran.failed)
    assert ran.reasons[0] is not None and ran.reasons[0].startswith("invalid phone number")
    assert ran.reasons[1] == "not a phone number"
    assert ran.reasons[3] == "invalid phone number (too long)"
    assert ran.reasons[-1] == "not a phone number (too long)"


def test_phone_e164_blank_and_null_are_missing(run) -> None:
    ran = run("phone_e164", ["", "   ", *NULLS])
    assert ran.out == [None] * 5
    assert ran.failed == [False] * 5


def test_phone_e164_other_region(run) -> None:
    ran = run("phone_e164", ["030 1234567", "+86 138 1234 5678"], default_region="de")
    assert ran.out == ["+49301234567", "+8613812345678"]


def test_phone_region_must_exist() -> None:
    with pytest.raises(pydantic.ValidationError):
        parse_params(get_op("phone_e164"), {"default_region": "ZZ"})


def test_email_normalises(run) -> None:
    values = [
        " John.Doe@Example.COM ",
        "ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ",
        "张@例子.中国",
        "a@b.co",
    ]
    ran = run("email", values)
    assert ran.out == ["john.doe@example.com", "john@example.com", "张@例子.中国", "a@b.co"]
    assert not any(ran.failed)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("a@b", "domain has no dot"),
        ("a b@c.com", "contains spaces"),
        ("a@@b.com", "has more than one @"),
        ("a@b@c.com", "has more than one @"),
        ("@x.com", "has nothing before the @"),
        ("a@x..com", "domain has an empty part"),
        ("a@x.com.", "domain has an empty part"),
        ("plainaddress", "has no @"),
        (12, "has no @"),
        (1.5, "has no @"),
        ("😀@𠀀", "domain has no dot"),
        (LONG, "has no @"),
    ],
)
def test_email_invalid(run, value: object, problem: str) -> None:
    ran = run("email", [value])
    assert ran.failed == [True]
    assert ran.reasons == [f"invalid e-mail address: {problem}"]
    assert ran.out == [value if isinstance(value, str) else str(value)]


def test_email_missing(run) -> None:
    ran = run("email", ["", " ", *NULLS])
    assert ran.out == [None] * 5 and ran.failed == [False] * 5


def test_postal_code_cn(run) -> None:
    values = [
        "100000",
        " 200 001 ",
        "１００００１",
        100000,
        100000.0,
        "10000",
        "abcdef",
        "1000000",
        "",
        None,
        "𠀀",
        LONG,
    ]
    ran = run("postal_code", values)
    assert ran.out == [
        "100000",
        "200001",
        "100001",
        "100000",
        "100000",
        "10000",
        "abcdef",
        "1000000",
        None,
        None,
        "𠀀",
        LONG,
    ]
    assert ran.failed == [False] * 5 + [True] * 3 + [False, False, True, True]
    assert ran.reasons[5] == "not a valid CN postal code (expected format [0-9]{6})"


def test_postal_code_other_countries(run) -> None:
    assert run("postal_code", ["sw1a1aa", "SW1A 1AA", "123"], country="GB").out == [
        "SW1A 1AA",
        "SW1A 1AA",
        "123",
    ]
    ran = run("postal_code", ["12345", "12345-6789", "1234"], country="US")
    assert ran.failed == [False, False, True]


def test_postal_code_unknown_country() -> None:
    with pytest.raises(pydantic.ValidationError):
        parse_params(get_op("postal_code"), {"country": "XX"})


@pytest.mark.parametrize("region", ["CN", "DE", "US", "GB", "FR"])
def test_phone_fast_path_agrees_with_phonenumbers(region: str) -> None:
    rng = np.random.default_rng(7)
    code = str(phonenumbers.country_code_for_region(region))
    pools = [rng.integers(low, high, 2_000) for low, high in _RANGES]
    plain = [str(number) for pool in pools for number in pool]
    numbers = plain + [f"+{code}{number}" for number in plain[::3]]
    fast = _fast_e164(pd.Series(numbers, dtype="str"), region)
    assert fast.notna().sum() > 50  # the fast path is really taken
    for number, e164 in zip(numbers, fast, strict=True):
        if pd.isna(e164):
            continue
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == e164


def test_phone_fast_and_slow_paths_give_the_same_column(run) -> None:
    values = [
        "13812345678",
        "+8613812345678",
        "12012345678",
        "17912345678",
        "0013812345678",
        "8613812345678",
        "010-65521234",
        "11012345678",
        "14012345678",
    ]
    ran = run("phone_e164", values)
    for value, out, failed in zip(values, ran.out, ran.failed, strict=True):
        try:
            parsed = phonenumbers.parse(value, "CN")
            valid = phonenumbers.is_valid_number(parsed)
        except phonenumbers.NumberParseException:
            valid = False
        assert failed is not valid
        if valid:
            assert out == phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

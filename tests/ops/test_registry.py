"""The op registry, and robustness of every built-in op against awkward columns."""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pydantic
import pytest

from migrate.ops import OPS, OpParams, OpResult, UnknownOpError, get_op, parse_params, register_op

BUILT_INS = {
    "trim",
    "collapse_whitespace",
    "upper",
    "lower",
    "remove_control",
    "fullwidth_to_halfwidth",
    "regex_replace",
    "regex_extract",
    "pad_zeros",
    "strip_zeros",
    "truncate",
    "default",
    "to_simplified",
    "company_name_key",
    "pinyin_key",
    "phone_e164",
    "email",
    "postal_code",
    "uscc",
    "cn_resident_id",
    "iban",
    "vat",
    "parse_date",
    "parse_decimal",
    "material_code",
    "flag_duplicates",
    "not_blank",
    "matches",
    "in_set",
    "max_length",
}
MIN_ARGS: dict[str, dict[str, object]] = {
    "regex_replace": {"pattern": "x", "replacement": "y"},
    "regex_extract": {"pattern": "(x+)"},
    "pad_zeros": {"width": 4},
    "truncate": {"length": 5},
    "default": {"value": "n/a"},
    "material_code": {"default_prefix": "MAT"},
    "matches": {"pattern": "[a-z]+"},
    "in_set": {"values": ["a", "b"]},
    "max_length": {"length": 5},
}
NULLS = [None, np.nan, pd.NA]
AWKWARD = [
    *NULLS,
    "",
    "   ",
    12,
    3.5,
    44931.0,
    "x" * 100_000,
    "𠀀😀",
    "ＡＢＣ１２３",
    "a\x00b\u200b",
]


@pytest.fixture
def scratch_ops() -> Iterator[list[str]]:
    """Names registered by a test; removed from OPS afterwards."""
    names: list[str] = []
    yield names
    for name in names:
        OPS.pop(name, None)


def test_all_built_ins_registered_with_descriptions() -> None:
    assert set(OPS) >= BUILT_INS
    for name in BUILT_INS:
        op = OPS[name]
        assert op.name == name
        assert op.description and "\n" not in op.description
        assert issubclass(op.params, OpParams)


def test_checks_and_parsers_can_fail_transforms_cannot() -> None:
    assert OPS["phone_e164"].can_fail and OPS["parse_date"].can_fail and OPS["truncate"].can_fail
    assert not OPS["trim"].can_fail and not OPS["company_name_key"].can_fail


def test_unknown_op_lists_known_names() -> None:
    with pytest.raises(UnknownOpError) as caught:
        get_op("phone_e165")
    assert isinstance(caught.value, KeyError)
    message = str(caught.value)
    assert "phone_e165" in message and "phone_e164" in message and "trim" in message
    assert caught.value.name == "phone_e165"
    assert "parse_date" in caught.value.known


def test_unknown_arg_rejected() -> None:
    with pytest.raises(pydantic.ValidationError, match="default_regoin"):
        parse_params(get_op("phone_e164"), {"default_regoin": "CN"})
    with pytest.raises(pydantic.ValidationError):
        parse_params(get_op("trim"), {"anything": 1})


def test_bad_arg_values_rejected() -> None:
    with pytest.raises(pydantic.ValidationError, match="phone region"):
        parse_params(get_op("phone_e164"), {"default_region": "XX"})
    with pytest.raises(pydantic.ValidationError, match="regular expression"):
        parse_params(get_op("matches"), {"pattern": "(unclosed"})
    with pytest.raises(pydantic.ValidationError):
        parse_params(get_op("pad_zeros"), {"width": 0})
    with pytest.raises(pydantic.ValidationError):
        parse_params(get_op("pad_zeros"), {})


def test_params_are_frozen_and_defaults_apply() -> None:
    params = parse_params(get_op("phone_e164"), {})
    assert params.default_region == "CN"  # type: ignore[attr-defined]
    with pytest.raises(pydantic.ValidationError):
        params.default_region = "DE"  # type: ignore[attr-defined]


def test_duplicate_registration_refused(scratch_ops: list[str]) -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_op("trim")(lambda values, params, frame: OpResult(values))
    scratch_ops.append("test_once")
    register_op("test_once")(lambda values, params, frame: OpResult(values))
    with pytest.raises(ValueError, match="test_once"):
        register_op("test_once")(lambda values, params, frame: OpResult(values))


def test_params_must_be_an_op_params_model() -> None:
    with pytest.raises(TypeError):
        register_op("test_bad_params", params=dict)  # type: ignore[arg-type]


def test_user_registered_op_works(scratch_ops: list[str]) -> None:
    class SuffixParams(OpParams):
        suffix: str = "!"

    scratch_ops.append("test_shout")

    @register_op("test_shout", params=SuffixParams, can_fail=True)
    def shout(values: pd.Series, params: SuffixParams, frame: pd.DataFrame) -> OpResult:
        """Upper-case and add a suffix.

        More text that is not part of the description.
        """
        failed = values.str.len() > 3
        return OpResult(values.str.upper() + params.suffix, failed, "too long to shout")

    op = get_op("test_shout")
    assert op.func is shout and op.can_fail and op.description == "Upper-case and add a suffix."
    params = parse_params(op, {"suffix": "?"})
    result = op.func(pd.Series(["hi", "hello"]), params, pd.DataFrame())
    assert result.values.tolist() == ["HI?", "HELLO?"]
    assert result.failed is not None and result.failed.tolist() == [False, True]
    with pytest.raises(pydantic.ValidationError):
        parse_params(op, {"suffix": "?", "volume": 11})


def test_parse_params_accepts_none_for_no_args() -> None:
    assert parse_params(get_op("trim"), None) == OpParams()  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(BUILT_INS))
def test_every_op_survives_awkward_values(name: str) -> None:
    op = get_op(name)
    params = parse_params(op, MIN_ARGS.get(name, {}))
    column = pd.Series(AWKWARD, dtype=object, index=range(100, 100 + len(AWKWARD)))
    result = op.func(column, params, column.to_frame("value"))
    assert result.values.index.equals(column.index)
    failed = result.failed if result.failed is not None else pd.Series(False, column.index)
    assert failed.dtype == bool and failed.index.equals(column.index)
    nulls = column.index[: len(NULLS)]
    if name == "default":  # the one op whose job is to fill nulls
        assert result.values[nulls].tolist() == ["n/a"] * len(NULLS)
    else:
        assert result.values[nulls].isna().all()
    assert failed[nulls].all() if name == "not_blank" else not failed[nulls].any()
    if failed.any():
        reason = result.reason
        texts = reason[failed] if isinstance(reason, pd.Series) else pd.Series([reason])
        assert texts.notna().all() and (texts.astype(str).str.len() > 0).all()


@pytest.mark.parametrize("name", sorted(BUILT_INS))
def test_every_op_handles_an_empty_column(name: str) -> None:
    op = get_op(name)
    params = parse_params(op, MIN_ARGS.get(name, {}))
    column = pd.Series([], dtype="str")
    result = op.func(column, params, column.to_frame("value"))
    assert len(result.values) == 0


@pytest.mark.parametrize("name", sorted(BUILT_INS))
def test_every_op_handles_a_duplicate_index(name: str) -> None:
    op = get_op(name)
    params = parse_params(op, MIN_ARGS.get(name, {}))
    values = ["ＡＢ", "12", None, "ＡＢ", "2023-01-05", "mat-7", "(北京)恆通有限公司"]
    column = pd.Series(values, dtype=object, index=[7] * len(values))
    plain = column.reset_index(drop=True)
    expected = op.func(plain, params, plain.to_frame("value"))
    result = op.func(column, params, column.to_frame("value"))
    assert list(result.values.index) == [7] * len(values)
    assert result.values.reset_index(drop=True).equals(expected.values)


ADVERSARIAL = [
    "1" * 100_000 + "x",
    "1," * 50_000 + "x",
    "a@" * 50_000 + ".",
    "(" * 50_000 + ")" * 50_000,
    "2023-" * 20_000,
    "有限公司" * 25_000 + "x",
    "x" + " co" * 30_000,
]


@pytest.mark.parametrize("name", sorted(BUILT_INS))
def test_every_op_is_linear_on_adversarial_text(name: str) -> None:
    op = get_op(name)
    params = parse_params(op, MIN_ARGS.get(name, {}))
    column = pd.Series(ADVERSARIAL, dtype=object)
    started = time.perf_counter()
    result = op.func(column, params, column.to_frame("value"))
    assert time.perf_counter() - started < 10  # a quadratic regex would take minutes
    assert len(result.values) == len(ADVERSARIAL)

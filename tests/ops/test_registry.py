"""The op registry, and robustness of every built-in op against awkward columns."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pydantic
import pytest

from migrate.ops import (
    OPS,
    SHAPES,
    OpInfo,
    OpParams,
    OpResult,
    UnknownOpError,
    get_op,
    parse_params,
    register_op,
    shape_problem,
)

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
    "unit_of_measure",
    "currency_code",
    "split",
    "join",
    "date_not_before",
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
    "unit_of_measure": {"units": {"PC": ["个", "PCS"]}},
    "split": {"separator": ","},
    "date_not_before": {"other": "value"},
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


def _call(op: OpInfo, params: OpParams, column: pd.Series) -> OpResult:
    """Call an op the way a step of its shape does; split and join get two outputs/inputs."""
    frame = column.to_frame("value")
    if op.shape == "split":
        result = op.func(column, params, frame, 2)
        assert len(result.parts) == 2 and result.parts[0].index.equals(column.index)
        return OpResult(result.parts[0], result.failed, result.reason)
    if op.shape == "join":
        pair = pd.concat([column.rename("a"), column.rename("b")], axis=1)
        return op.func(pair, params, pair)
    return op.func(column, params, frame)


@pytest.mark.parametrize("name", sorted(BUILT_INS))
def test_every_op_survives_awkward_values(name: str) -> None:
    op = get_op(name)
    params = parse_params(op, MIN_ARGS.get(name, {}))
    column = pd.Series(AWKWARD, dtype=object, index=range(100, 100 + len(AWKWARD)))
    result = _call(op, params, column)
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
    result = _call(op, params, pd.Series([], dtype="str"))
    assert len(result.values) == 0


@pytest.mark.parametrize("name", sorted(BUILT_INS))
def test_every_op_handles_a_duplicate_index(name: str) -> None:
    op = get_op(name)
    params = parse_params(op, MIN_ARGS.get(name, {}))
    values = ["ＡＢ", "12", None, "ＡＢ", "2023-01-05", "mat-7", "(北京)恆通有限公司"]
    column = pd.Series(values, dtype=object, index=[7] * len(values))
    expected = _call(op, params, column.reset_index(drop=True))
    result = _call(op, params, column)
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
def test_every_op_finishes_on_adversarial_text(name: str) -> None:
    """Text that makes a backtracking regex quadratic; a regression shows as a hung test."""
    op = get_op(name)
    params = parse_params(op, MIN_ARGS.get(name, {}))
    result = _call(op, params, pd.Series(ADVERSARIAL, dtype=object))
    assert len(result.values) == len(ADVERSARIAL)


def test_every_op_has_a_known_shape() -> None:
    assert {op.shape for op in OPS.values()} <= set(SHAPES)
    with pytest.raises(ValueError, match="unknown op shape"):
        register_op("test_bad_shape", shape="fan")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "fields", "into", "problem"),
    [
        ("trim", ["a"], None, None),
        ("trim", ["a", "b"], None, None),
        ("company_name_key", ["a"], "k", None),
        ("company_name_key", ["a", "b"], "k", "'into' needs exactly one field"),
        ("trim", ["a"], ["b", "c"], "trim writes one field: give 'into' as a name, not a list"),
        ("split", ["a"], ["b", "c"], None),
        ("split", ["a", "b"], ["c", "d"], "split splits exactly one field (got 2)"),
        ("split", ["a"], "b", "split needs 'into' as a list of at least two fields"),
        ("split", ["a"], None, "split needs 'into' as a list of at least two fields"),
        ("join", ["a", "b"], "c", None),
        ("join", ["a"], "c", "join joins at least two fields (got 1)"),
        ("join", ["a", "b"], ["c"], "join needs 'into' as the one field to write"),
    ],
)
def test_shape_problem(name: str, fields: list[str], into: object, problem: str | None) -> None:
    assert shape_problem(get_op(name), fields, into) == problem  # type: ignore[arg-type]

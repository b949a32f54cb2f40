"""Rule suggestions: what each finding turns into, and only ops the registry knows."""

from __future__ import annotations

import pandas as pd
import pytest

from migrate.ops.registry import OPS, parse_params
from migrate.profile.model import SourceProfile, Suggestion
from migrate.profile.profiler import profile_frame
from migrate.profile.suggest import COLUMN_SUGGESTERS
from tests.profile.employees import employees


@pytest.fixture(scope="module")
def profile() -> SourceProfile:
    frame, _ = employees(500)
    return profile_frame(frame.astype("str").where(frame.notna()), "staff", "csv", "staff.csv")


def _for(profile: SourceProfile, column: str) -> dict[str, Suggestion]:
    return {s.kind: s for s in profile.suggestions if s.column == column}


def test_every_suggested_op_is_registered_with_valid_args(profile: SourceProfile) -> None:
    ops = [s for s in profile.suggestions if s.op is not None]
    assert ops
    for suggestion in ops:
        parse_params(OPS[suggestion.op], suggestion.args)  # raises if not valid


def test_phone_formats_are_counted(profile: SourceProfile) -> None:
    phone = _for(profile, "手机")["phone"]
    assert phone.op == "phone_e164"
    assert phone.message.startswith("手机: 4 formats seen (")


def test_dates_amounts_remarks_and_codes(profile: SourceProfile) -> None:
    assert _for(profile, "入职日期")["parse"].op == "parse_date"
    assert _for(profile, "月薪")["parse"].op == "parse_decimal"
    remarks = _for(profile, "备注")
    assert remarks["control"].op == "remove_control"
    assert remarks["fullwidth"].op == "fullwidth_to_halfwidth"
    assert remarks["mojibake"].op is None
    department = _for(profile, "部门")
    assert department["case"].op == "upper"
    assert department["value_map"].op is None and "HR" in department["value_map"].message
    assert _for(profile, "邮箱")["email"].op == "email"
    assert _for(profile, "姓名")["spaces"].op == "trim"


def test_the_key_column_gets_no_suggestion(profile: SourceProfile) -> None:
    assert _for(profile, "工号") == {}


def test_source_suggestions_point_at_duplicates(profile: SourceProfile) -> None:
    match = [s for s in profile.suggestions if s.kind == "match"]
    assert len(match) == 1 and "手机" in match[0].message


def test_suggesters_are_listed_by_name() -> None:
    assert {"phone", "email", "parse", "control", "mojibake"} <= set(COLUMN_SUGGESTERS)


def test_a_column_without_findings_gets_none() -> None:
    frame = pd.DataFrame({"id": [f"{i}" for i in range(50)], "v": ["same"] * 50}, dtype="str")
    profile = profile_frame(frame, "t", "csv", "t.csv")
    assert [s for s in profile.suggestions if s.column == "v"] == []
